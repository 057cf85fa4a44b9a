"""What changed between the assessments of a submission (`demozone store history`).

History, not overwrites: every scoring run is a new assessment in the store, so the history of a
submission is read from its assessments, oldest first: indicator and level scores, the judgments
each run read (by clause and author), and for each pair of runs what changed.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal, InvalidOperation

from demozone.common.vocab import last_segment
from demozone.scoring.derive import judgment_label
from demozone.store.base import BaseStore
from demozone.store.terms import PREFIXES, sparql_term, submission_iri


def _number(text: str | None) -> Decimal:
    """A score as recorded (an xsd:decimal's lexical form); exact, never a float."""
    try:
        return Decimal(text or "0")
    except InvalidOperation:
        return Decimal(0)


def _delta(a: str | None, b: str | None) -> str:
    d = _number(b) - _number(a)
    text = format(d.normalize(), "f") if d else "0"
    return ("+" if d > 0 else "") + text


def history(store: BaseStore, submission: str) -> dict:
    """The assessments of a submission, oldest first, and what changed from each to the next."""
    runs = store.assessments(submission)
    sub = sparql_term(submission_iri(submission))
    scores: dict[str, dict[str, str]] = {r.iri: {} for r in runs}
    levels: dict[str, dict[str, str]] = {r.iri: {} for r in runs}
    judgments: dict[str, list[dict]] = {r.iri: [] for r in runs}
    if runs:
        for row in store.select(
            f"""{PREFIXES}
            SELECT ?a ?ind ?v WHERE {{ VALUES ?sub {{ {sub} }}
              GRAPH ?a {{ ?a dz:submission ?sub . ?s dz:indicator ?ind ; dz:value ?v }} }}"""
        ):
            if row["a"].value in scores:
                scores[row["a"].value][last_segment(row["ind"].value)] = row["v"].value
        for row in store.select(
            f"""{PREFIXES}
            SELECT ?a ?lvl ?v WHERE {{ VALUES ?sub {{ {sub} }}
              GRAPH ?a {{ ?a dz:submission ?sub . ?s a dz:Score ; dz:level ?lvl ; dz:value ?v }} }}"""
        ):
            if row["a"].value in levels:
                levels[row["a"].value][last_segment(row["lvl"].value)] = row["v"].value
        for row in store.select(
            f"""{PREFIXES}
            SELECT ?a ?j ?clause ?v ?who WHERE {{ VALUES ?sub {{ {sub} }}
              GRAPH ?a {{ ?a dz:submission ?sub . ?j a dz:Judgment ; dz:value ?v .
                OPTIONAL {{ ?j dz:judgedClause ?clause }}
                OPTIONAL {{ ?j prov:wasAttributedTo ?who }} }}
            }} ORDER BY ?a ?j"""
        ):
            if row["a"].value in judgments:
                clause = last_segment(row["clause"].value) if row.get("clause") else ""
                judgments[row["a"].value].append(
                    {
                        "id": last_segment(row["j"].value),
                        "author": last_segment(row["who"].value) if row.get("who") else "",
                        "clause": clause,
                        "label": judgment_label(clause),
                        "satisfied": row["v"].value == "true",
                    }
                )
    entries = []
    for run in runs:
        info = run.to_dict()
        info["indicators"] = dict(
            sorted(scores[run.iri].items(), key=lambda kv: _number_key(kv[0]))
        )
        info["levels"] = levels[run.iri]
        info["judgments"] = [{**j, "time": run.recorded or run.started} for j in judgments[run.iri]]
        entries.append(info)
    changes = [_diff(old, new) for old, new in itertools.pairwise(entries)]
    return {
        "submission": submission,
        "location": store.location,
        "assessments": entries,
        "changes": changes,
    }


def _number_key(number: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", number))


def _diff(old: dict, new: dict) -> dict:
    indicators = []
    for number in sorted(set(old["indicators"]) | set(new["indicators"]), key=_number_key):
        a, b = old["indicators"].get(number), new["indicators"].get(number)
        if a is None or b is None or _number(a) != _number(b):
            indicators.append(
                {
                    "number": number,
                    "from": a,
                    "to": b,
                    "delta": _delta(a, b),
                }
            )
    levels = [
        {"level": lvl, "from": old["levels"].get(lvl), "to": new["levels"].get(lvl)}
        for lvl in sorted(set(old["levels"]) | set(new["levels"]))
        if _number(old["levels"].get(lvl)) != _number(new["levels"].get(lvl))
    ]

    def key(j: dict) -> tuple:
        return (j["author"], j["clause"], j["satisfied"])

    def judgment(k: tuple) -> dict:
        author, clause, satisfied = k
        return {
            "author": author,
            "clause": clause,
            "label": judgment_label(clause),
            "satisfied": satisfied,
        }

    before, after = {key(j) for j in old["judgments"]}, {key(j) for j in new["judgments"]}
    return {
        "from": old["iri"],
        "to": new["iri"],
        "total": {
            "from": old["total"],
            "to": new["total"],
            "delta": _delta(old["total"], new["total"]),
        },
        "passed": {
            "from": old["passed"],
            "to": new["passed"],
            "changed": old["passed"] != new["passed"],
        },
        "system": {"from": old["system"], "to": new["system"]},
        "indicators": indicators,
        "levels": levels,
        "judgments": {
            "added": [judgment(k) for k in sorted(after - before)],
            "removed": [judgment(k) for k in sorted(before - after)],
        },
    }
