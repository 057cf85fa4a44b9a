"""What `demozone kb check` reports: findings (of `demozone.common.diagnostics`) about the
knowledge base, each on a subject of a system or locality, and how kb check shows them.

Severity: `error` is a fault in demozone's own data (it fails the check); `warning` is a property
of a source text, reported and kept verbatim, never fixed silently; `info` is a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demozone.common.diagnostics import CheckReport, Finding, Location, Severity


def kb_finding(
    severity: str,
    check: str,
    scope: str,
    subject: str,
    message: str,
    message_zh: str = "",
    file: str = "",
    line: int | None = None,
    source: str = "",
) -> Finding:
    """A finding of check `check` (shacl | anchor | points_text | arithmetic | coverage | units |
    vocabulary | recorded | load) on `subject` ("indicator 3", "clause 3.1", "level promote",
    "unit <id>", "total", ...) of `scope` (a system, locality or procedure id; "" for the whole
    knowledge base), written at `file`:`line`, concerning the source document `source`."""
    return Finding(
        Severity(severity),
        check,
        Location(file, line),
        message,
        message_zh,
        subject=subject,
        scope=scope,
        source=source,
    )


def render(finding: Finding, lang: str = "zh") -> str:
    """A finding as kb check prints it: "[scope] subject: message (file:line)"."""
    where = " ".join(
        part for part in (f"[{finding.scope}]" if finding.scope else "", finding.subject) if part
    )
    written = f" ({finding.location})" if finding.file else ""
    return f"{where}: {finding.text(lang)}{written}"


def as_json(finding: Finding) -> dict:
    """A finding in `kb check --json`, plus e.g. "indicator": "3" when the subject is one."""
    result = {
        "severity": finding.severity,
        "check": finding.code,
        "scope": finding.scope,
        "subject": finding.subject,
        "message": finding.message,
        "message_zh": finding.message_zh,
        "file": finding.file,
        "line": finding.line,
        "source": finding.source,
    }
    words = finding.subject.split()
    if len(words) >= 2 and words[0] in ("indicator", "clause", "level", "unit"):
        result[words[0]] = words[1]
    return result


@dataclass(frozen=True)
class KbReport(CheckReport):
    """Everything kb check found in one knowledge-base directory, errors first."""

    directory: str
    findings: tuple[Finding, ...]
    counts: dict = field(default_factory=dict)  # systems, indicators, clauses, anchors, ...
    reused: bool = field(default=False, compare=False)  # the result of an earlier identical run

    render = staticmethod(render)  # a finding as kb check prints it

    def to_dict(self) -> dict:
        return {
            "directory": self.directory,
            "ok": self.ok,
            "counts": self.counts,
            "reused": self.reused,
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "findings": [as_json(f) for f in self.findings],
        }
