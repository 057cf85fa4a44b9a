"""One vocabulary for what demozone finds wrong: a `Severity`, a `Location` and a `Finding`.

Every command that reports on an input speaks it: the loaders (a submission, the knowledge base,
a rule file) raise an `InputError` of findings, `kb check`, `lint` and `store check` return a
`CheckReport` of them. Each command keeps its own text and JSON layout (they are contracts with
scripts and users), written beside the command as a view of the same finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is. Compares and serialises as its plain name ("error", ...)."""

    ERROR = "error"  # a fault that fails the input or the check
    WARNING = "warning"  # reported and kept, e.g. a defect of a source text scored as written
    INFO = "info"  # a note

    @property
    def rank(self) -> int:
        """Errors first: the order findings are listed in."""
        return list(Severity).index(self)


SEVERITIES = tuple(Severity)


@dataclass(frozen=True)
class Location:
    """Where a finding points: a file and, as far as known, its line (1-based), the field path
    inside it ("metrics.online_retail.2023", "override.RULE.bands[1]") and a sheet cell."""

    file: str = ""
    line: int | None = None
    path: str = ""
    cell: str = ""  # a spreadsheet cell, sheet included: "指标!B7"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.cell:
            where += f"[{self.cell}]"
        return f"{where}: {self.path}" if self.path else where


@dataclass(frozen=True)
class Finding:
    """One thing found wrong (or worth saying) about an input.

    `code` names what found it: a lint code ("band-gap"), a `kb check` or `store check` check
    ("anchor", "assessment") or "input" for a loader's problem. `subject` and `scope` say what
    the finding is about when a location alone does not ("indicator 3" of system "x", a graph).
    """

    severity: Severity
    code: str
    location: Location
    message: str  # English
    message_zh: str = ""
    subject: str = ""
    scope: str = ""  # the system, locality or procedure id the subject belongs to
    source: str = ""  # the source document concerned
    expected: str = ""  # what would have been right, for a user to fix an input
    source_defect: str = ""  # where a defect of the source text is documented, if it is one

    # The location's parts, read directly as a loader's problem is.
    @property
    def file(self) -> str:
        return self.location.file

    @property
    def line(self) -> int | None:
        return self.location.line

    @property
    def path(self) -> str:
        return self.location.path

    def text(self, lang: str = "zh") -> str:
        """The message in `lang` (Chinese when there is one, else English)."""
        return self.message_zh if (lang == "zh" and self.message_zh) else self.message

    def render(self, lang: str = "zh") -> str:
        """One line a user fixes an input from: "file:line: path: message (应为/expected: ...)"."""
        text = self.text(lang)
        if self.expected:
            text += f" (应为/expected: {self.expected})"
        return f"{self.location}: {text}"

    def to_dict(self) -> dict:
        """An input problem for machines (`{"error": {"kind": "input", "problems": [...]}}`);
        a workbook's problem also has its `cell` ("指标数据!C7")."""
        shape = {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "message": self.message,
            "message_zh": self.message_zh,
            "expected": self.expected,
        }
        return {**shape, "cell": self.location.cell} if self.location.cell else shape


class CheckReport:
    """What one check found. A command's report adds its own facts and JSON layout."""

    findings: Sequence[Finding]

    @property
    def ok(self) -> bool:
        """True when nothing is an error (warnings and notes do not fail a check)."""
        return not self.count(Severity.ERROR)

    def by_severity(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def count(self, severity: str) -> int:
        return len(self.by_severity(severity))


__all__ = ["SEVERITIES", "CheckReport", "Finding", "Location", "Severity"]
