"""A plan's changes applied: to a loaded submission (for scoring them) and to the submission's
file (`demozone plan --apply OUT`, YAML, JSON or a workbook from any of them), which then loads
and scores like any other."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import yaml

from demozone.common.numbers import decimal_text
from demozone.kb.metrics import is_rate
from demozone.submission.model import Evidence, Judgment, MetricValue, Submission
from demozone.submission.workbook.convert import convert
from demozone.submission.workbook.document import document_of, json_text, relocated, yaml_text

PLAN_EVIDENCE = "PLAN-WORK"  # the evidence item new work on judged clauses rests on
PLAN_ASSESSOR = "plan"


def _evidence_id(change) -> str:
    digest = hashlib.sha256(change.target.encode()).hexdigest()[:8]
    return f"PLAN-{digest}-{change.copy}"


def apply_to_submission(submission: Submission, changes: Iterable) -> Submission:
    metrics = dict(submission.metrics)
    evidence = dict(submission.evidence)
    judgments = list(submission.judgments)
    year = submission.years[-1]
    for change in changes:
        if change.kind == "metric":
            metrics[(change.target, year)] = MetricValue(
                change.target, year, change.value, f"metrics.{change.target}"
            )
        elif change.kind == "evidence":
            fields = dict(change.fields)
            item_id = _evidence_id(change)
            evidence[item_id] = Evidence(
                item_id, f"计划新增{item_id}", fields.get("kind", "document"), None, None, None,
                f"{year}-06-30", fields.get("level"), fields.get("type"), fields.get("form"),
                f"evidence.{item_id}",
            )  # fmt: skip
        else:
            judgments = _satisfied(judgments, change.target)
    return dataclasses.replace(
        submission, metrics=metrics, evidence=evidence, judgments=tuple(judgments)
    )


def _satisfied(judgments: list[Judgment], clause: str) -> list[Judgment]:
    """The clause judged satisfied by each of its assessors (one, "plan", when none judged it)."""
    assessors = [j.assessor for j in judgments if j.clause == clause] or [PLAN_ASSESSOR]
    kept = [j for j in judgments if j.clause != clause]
    start = max((j.index for j in judgments), default=-1) + 1
    return kept + [
        Judgment(
            start + i,
            clause,
            True,
            (PLAN_EVIDENCE,),
            who,
            "计划：新增工作",
            f"judgments[{start + i}]",
        )
        for i, who in enumerate(assessors)
    ]


APPLY_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def apply_to_file(source: Path, changes: Iterable, submission: Submission, out: Path) -> None:
    """Write the submission with the changes applied to `out`, as YAML, JSON or a workbook by its
    suffix (APPLY_SUFFIXES); the source may be any of them (a YAML source's comments are lost)."""
    out = Path(out)
    doc = _source_document(Path(source), submission, out)
    year = submission.years[-1]
    changes = list(changes)
    if any(c.kind == "judgment" for c in changes):
        doc.setdefault("evidence", []).append(
            {"id": PLAN_EVIDENCE, "title": "计划新增工作", "kind": "document"}
        )
    for change in changes:
        if change.kind == "metric":
            _set_metric(doc.setdefault("metrics", {}), change.target, year, change.value)
        elif change.kind == "evidence":
            fields = dict(change.fields)
            item = {"id": _evidence_id(change), "title": f"计划新增{_evidence_id(change)}"}
            item |= {"kind": fields.get("kind", "document"), "date": f"{year}-06-30"}
            item |= {k: fields[k] for k in ("level", "type", "form") if k in fields}
            doc.setdefault("evidence", []).append(item)
        else:
            _judge(doc, change.target)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        _write_workbook(doc, out)
    else:
        text = json_text(doc) if suffix == ".json" else yaml_text(doc)
        out.write_text(text, encoding="utf-8")


def _source_document(source: Path, submission: Submission, out: Path) -> dict:
    """The source as a submission document, its evidence files named from `out`'s folder."""
    if source.suffix.lower() == ".xlsx":
        return document_of(relocated(submission, out.resolve().parent))
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))  # JSON reads as YAML
    for item in doc.get("evidence") or []:  # evidence files stay where they are
        if isinstance(item, dict) and item.get("file") and not Path(item["file"]).is_absolute():
            where = (source.resolve().parent / item["file"]).resolve()
            item["file"] = os.path.relpath(where, out.resolve().parent)
    return doc


def _write_workbook(doc: dict, out: Path) -> None:
    """The document as a submission workbook, through `demozone convert` from a YAML beside
    `out` (so evidence paths read the same), which checks it as strictly as any source."""
    handle, temporary = tempfile.mkstemp(dir=out.resolve().parent, suffix=".yaml")
    os.close(handle)
    try:
        Path(temporary).write_text(yaml_text(doc), encoding="utf-8")
        convert(Path(temporary), out)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _set_metric(metrics: dict, metric: str, year: int, value: Fraction) -> None:
    text = f"{decimal_text(value * 100)}%" if is_rate(metric) else decimal_text(value)
    current = metrics.get(metric)
    if isinstance(current, dict):
        current[year] = text
    else:
        metrics[metric] = text


def _judge(doc: dict, clause: str) -> None:
    judgments = doc.get("judgments") or []
    assessors = [j["assessor"] for j in judgments if str(j.get("clause")) == clause]
    kept = [j for j in judgments if str(j.get("clause")) != clause]
    for who in assessors or [PLAN_ASSESSOR]:
        kept.append(
            {"clause": clause, "satisfied": True, "evidence": [PLAN_EVIDENCE], "assessor": who}
        )
    doc["judgments"] = kept
