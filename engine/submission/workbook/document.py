"""A loaded submission written back as a document of the submission format (YAML or JSON), every
value exact: rates and growth as percentages ("97.5%"), amounts as decimals, counts as whole
numbers. What `demozone convert` writes; reading it back gives the same submission."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml

from demozone.kb.metrics import metric_vocabulary
from demozone.submission.model import Evidence, Submission
from demozone.submission.workbook.numbers import decimal_text, exact_decimal, percent_text
from demozone.submission.workbook.plan import reference_row

_EVIDENCE_ORDER = ("id", "title", "kind", "file", "sha256", "issued_by", "date")
_EVIDENCE_ORDER += ("level", "type", "form")


def document_of(submission: Submission) -> dict:
    """The submission as a document of the submission format."""
    vocabulary = metric_vocabulary()
    metrics: dict = {}
    for (metric, year), item in sorted(submission.metrics.items()):
        kind = vocabulary[metric].kind
        metrics.setdefault(metric, {})[year] = _value(item.value, kind)
    for metric, series in metrics.items():
        only_last = list(series) == [submission.years[-1]] if submission.years else False
        if only_last and not vocabulary[metric].per_year:
            metrics[metric] = series[submission.years[-1]]
    references: dict = {}
    for (ref, year), item in sorted(submission.references.items(), key=_reference_key):
        value = _value(item.value, reference_row(ref).kind)
        if year is None:
            references[ref] = value
        else:
            references.setdefault(ref, {})[year] = value
    doc = {
        "submission": {
            "id": submission.id,
            "region": submission.region,
            "region_class": submission.region_class,
            "system": submission.system,
            "years": list(submission.years),
        },
        "metrics": metrics,
        "reference": references,
        "operators": [
            {"name": o.name, "year": o.year, "annual_sales": exact_decimal(o.annual_sales)}
            for o in submission.operators
        ],
        "evidence": [_evidence(e) for e in submission.evidence.values()],
        "judgments": [
            {
                "clause": j.clause,
                "satisfied": j.satisfied,
                "evidence": list(j.evidence),
                "assessor": j.assessor,
                **({"note": j.note} if j.note else {}),
            }
            for j in submission.judgments
        ],
        "assessors": dict(submission.assessors),
    }
    return {key: value for key, value in doc.items() if value or key == "submission"}


def _reference_key(entry) -> tuple:
    (ref, year), _ = entry
    return (ref, -1 if year is None else year)


def _value(value: Fraction, kind: str):
    if kind in ("rate", "growth"):
        return percent_text(value)
    if kind == "count" and value.denominator == 1:
        return int(value)
    return exact_decimal(value)


def _evidence(item: Evidence) -> dict:
    return {key: getattr(item, key) for key in _EVIDENCE_ORDER if getattr(item, key) is not None}


def relocated(submission: Submission, folder: Path) -> Submission:
    """The submission with its evidence file paths relative to `folder` instead of its own,
    where they stay inside `folder`; a path that would leave it is kept as written, since
    evidence is read only inside the submission's folder (copy the evidence beside the output)."""
    home = Path(submission.file).parent.resolve()
    if home == folder.resolve():
        return submission
    evidence = {}
    for key, item in submission.evidence.items():
        if item.file is not None:
            moved = os.path.relpath(home / item.file, folder.resolve())
            if not moved.startswith(".."):
                item = replace(item, file=Path(moved).as_posix())
        evidence[key] = item
    return replace(submission, evidence=evidence)


# -- text -------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Safe YAML with exact decimals written as plain numbers."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = decimal_text(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)


def yaml_text(doc: dict, source: str = "") -> str:
    head = f"# converted by demozone convert from {source}\n" if source else ""
    return head + yaml.dump(
        doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )


def json_text(doc: dict) -> str:
    return json.dumps(_jsonable(doc), ensure_ascii=False, indent=2) + "\n"


def _jsonable(value):
    """Decimals as JSON numbers where a double reads them back as written, else as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        number = float(value)
        return number if Decimal(repr(number)) == value else decimal_text(value)
    return value
