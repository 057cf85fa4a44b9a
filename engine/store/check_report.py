"""What `store check` reports: its findings (on the common `Finding`) and how it prints them."""

from __future__ import annotations

from dataclasses import dataclass, field

from demozone.common.diagnostics import CheckReport, Finding, Location, Severity


def store_finding(
    severity: str, check: str, subject: str, message: str, message_zh: str = ""
) -> Finding:
    """A finding of `store check`'s check `check` (open | kb | ruleset | shapes | assessment |
    graph) on `subject` (a graph, an assessment, a focus node)."""
    return Finding(Severity(severity), check, Location(), message, message_zh, subject=subject)


def render_store_finding(finding: Finding) -> str:
    """A finding as store check prints it: "[severity] check subject: message (中文)"."""
    zh = f" ({finding.message_zh})" if finding.message_zh else ""
    return f"[{finding.severity}] {finding.code} {finding.subject}: {finding.message}{zh}"


@dataclass
class StoreReport(CheckReport):
    """What `store check` found in one store, filled in as the check goes."""

    location: str
    findings: list[Finding] = field(default_factory=list)
    assessments: int = 0
    complete: int = 0

    render = staticmethod(render_store_finding)

    def to_dict(self) -> dict:
        return {
            "location": self.location,
            "ok": self.ok,
            "assessments": self.assessments,
            "complete": self.complete,
            "findings": [
                {
                    "severity": f.severity,
                    "check": f.code,
                    "subject": f.subject,
                    "message": f.message,
                    "message_zh": f.message_zh,
                }
                for f in self.findings
            ],
        }
