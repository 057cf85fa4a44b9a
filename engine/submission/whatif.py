"""What if: apply the `needs` of a why-not entry (`demozone explain --json`) to a submission
document, the YAML or JSON shape of docs/submission-format.md, to score it again.

`needs` maps a part of the submission to a list of changes (docs/why-not.md):
`metric` sets a figure ({id, year, value}); `judgment` sets one assessor's judgment on a clause
({clause, assessor, satisfied, evidence}), replacing that assessor's judgment there or adding
it; `evidence` and `operator` add items as the submission format writes them. The document is
copied, never changed in place; the result is read by the ordinary loader, which checks it.
"""

from __future__ import annotations

import copy

from demozone.common.errors import InputError, Problem

PARTS = ("evidence", "operator", "metric", "judgment")


def apply_needs(document: dict, needs: dict) -> dict:
    """A copy of `document` with `needs` applied; InputError for a `needs` of another shape."""
    unknown = sorted(set(needs) - set(PARTS))
    if unknown or not all(isinstance(v, list) for v in needs.values()):
        raise InputError(
            [
                Problem(
                    "needs",
                    ", ".join(unknown),
                    "needs maps evidence, operator, metric or judgment to a list of changes",
                    "needs 的键应为 evidence、operator、metric 或 judgment，值为变更列表",
                    ", ".join(PARTS),
                )
            ]
        )
    doc = copy.deepcopy(document)
    for item in needs.get("evidence", []):
        doc.setdefault("evidence", []).append(dict(item))
    for item in needs.get("operator", []):
        doc.setdefault("operators", []).append(dict(item))
    for change in needs.get("metric", []):
        _set_metric(doc, change)
    for change in needs.get("judgment", []):
        _set_judgment(doc, change)
    return doc


def _set_metric(doc: dict, change: dict) -> None:
    """The figure of one metric in one year; a bare value stands for the last assessed year."""
    metric, year, value = change["id"], int(change["year"]), change["value"]
    last = int(doc["submission"]["years"][-1])
    metrics = doc.setdefault("metrics", {})
    current = metrics.get(metric)
    if isinstance(current, dict):
        for key in [k for k in current if int(k) == year]:
            del current[key]
        current[year] = value
    elif current is None or year == last:
        metrics[metric] = value if year == last else {year: value}
    else:
        metrics[metric] = {last: current, year: value}


def _set_judgment(doc: dict, change: dict) -> None:
    judgments = doc.setdefault("judgments", [])
    entry = {
        "clause": change["clause"],
        "satisfied": bool(change["satisfied"]),
        "evidence": list(change.get("evidence", [])),
        "assessor": change["assessor"],
    }
    for i, judgment in enumerate(judgments):
        if (
            str(judgment.get("clause")) == entry["clause"]
            and judgment.get("assessor") == entry["assessor"]
        ):
            judgments[i] = {**judgment, **entry}
            return
    judgments.append(entry)
