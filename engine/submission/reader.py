"""Validate a parsed submission document section by section against the contract, collecting
every problem (file, field path, line, what was expected, in Chinese and English) instead of
stopping at the first; `submission.load_submission` is the way in.

Each section has its reader: header.py (the sections and the `submission:` header), figures.py
(metrics, national references, operators), evidence.py and judgments.py; reading.py holds what
they share.
"""

from __future__ import annotations

from demozone.submission.evidence import read_evidence
from demozone.submission.figures import read_metrics, read_operators, read_references
from demozone.submission.header import check_sections, read_header, section
from demozone.submission.judgments import read_assessors, read_judgments
from demozone.submission.model import Submission
from demozone.submission.reading import Reading


class Reader(Reading):
    """Reads one document section by section, collecting problems instead of stopping."""

    def read(self, doc: dict, sha256: str, system_override: str | None) -> Submission | None:
        """The submission, or None when any problem was found (they are in `problems`)."""
        check_sections(self, doc)
        header = section(self, doc, "submission", dict, "映射")
        info = read_header(self, header, system_override)
        metrics = read_metrics(self, section(self, doc, "metrics", dict, "映射") or {})
        references = read_references(self, section(self, doc, "reference", dict, "映射") or {})
        operators = read_operators(self, section(self, doc, "operators", list, "列表") or [])
        evidence = read_evidence(self, section(self, doc, "evidence", list, "列表") or [])
        judgments = read_judgments(self, section(self, doc, "judgments", list, "列表") or [], info)
        names = read_assessors(self, section(self, doc, "assessors", dict, "映射") or {}, judgments)
        if self.problems or info is None or header is None:
            return None
        return Submission(
            id=header["id"],
            region=str(header["region"]).strip(),
            region_class=header["region_class"],
            system=info.id,
            years=self.years,
            file=self.file,
            sha256=sha256,
            metrics=metrics,
            references=references,
            operators=operators,
            evidence=evidence,
            judgments=judgments,
            assessors=names,
        )
