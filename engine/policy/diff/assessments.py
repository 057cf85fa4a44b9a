"""Two stored assessments side by side (`demozone compare A B`).

Under the same system they are compared indicator by indicator, as `history` compares runs.
Under two systems an indicator number means different things, so the indicators and clauses are
paired through the systems' matching (`matching.match_systems`: by number within a lineage, by
text across revisions); an indicator with no counterpart is shown on its side alone.
"""

from __future__ import annotations

from decimal import Decimal

from demozone.common.errors import StoreError
from demozone.kb import load as kb
from demozone.policy.diff.matching import match_systems
from demozone.store.base import BaseStore, assessment_iri
from demozone.store.history import diff, read_assessments


def compare_assessments(store: BaseStore, a: str, b: str) -> dict:
    """What differs between assessments `a` and `b` (IRIs or ids) in `store`; StoreError when
    one is not there, InputError when their systems cannot be matched."""
    old, new = read_assessments(store, [_info(store, a), _info(store, b)])
    head = {
        "a": _summary(old),
        "b": _summary(new),
        "total": {"a": old["total"], "b": new["total"]},
        "passed": {"a": old["passed"], "b": new["passed"]},
    }
    if old["system"] == new["system"]:
        return {**head, "how": "same system", "changes": diff(old, new)}
    matching = match_systems(old["system"], new["system"])
    pairs = [
        {
            "a": pair.a,
            "b": pair.b,
            "a_score": old["indicators"].get(pair.a) if pair.a else None,
            "b_score": new["indicators"].get(pair.b) if pair.b else None,
            "a_points": _points(old["system"], pair.a),
            "b_points": _points(new["system"], pair.b),
        }
        for pair in matching.pairs
    ]
    return {
        **head,
        "how": f"matched ({matching.how})",
        "indicators": pairs,
        "panels": panel_changes(old["judgments"], new["judgments"], matching.clause_b_for_a),
    }


def panel_changes(old: list[dict], new: list[dict], clause_b_for_a) -> dict:
    """Across systems the assessors may differ, so clauses are compared panel by panel: for each
    clause judged on both sides and paired by the matching, the count of assessors who found it
    satisfied; `differ` lists the pairs whose majority verdict is not the same."""
    tally_a, tally_b = _tally(old), _tally(new)
    pairs = [
        (clause, clause_b_for_a(clause))
        for clause in sorted(tally_a, key=_clause_key)
        if clause_b_for_a(clause) in tally_b
    ]
    differ = [
        {"a": a, "b": b, "a_panel": _panel(tally_a[a]), "b_panel": _panel(tally_b[b])}
        for a, b in pairs
        if _majority(tally_a[a]) != _majority(tally_b[b])
    ]
    return {
        "judged": {"a": len(tally_a), "b": len(tally_b)},
        "paired": len(pairs),
        "differ": differ,
    }


def _tally(judgments: list[dict]) -> dict[str, tuple[int, int]]:
    """clause -> (satisfied, judged), each assessor once."""
    by_clause: dict[str, dict[str, bool]] = {}
    for j in judgments:
        by_clause.setdefault(j["clause"], {})[j["author"]] = j["satisfied"]
    return {c: (sum(v.values()), len(v)) for c, v in by_clause.items()}


def _majority(tally: tuple[int, int]) -> bool:
    satisfied, judged = tally
    return 2 * satisfied > judged


def _panel(tally: tuple[int, int]) -> str:
    satisfied, judged = tally
    return f"{satisfied}:{judged - satisfied}"


def _clause_key(clause: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in clause.split("."))


def _info(store: BaseStore, reference: str):
    iri = assessment_iri(reference).value
    found = next((run for run in store.assessments() if run.iri == iri), None)
    if found is None:
        raise StoreError(f"no assessment {reference!r} in {store.location} (找不到该评估记录)")
    return found


def _summary(entry: dict) -> dict:
    keys = ("iri", "id", "submission", "system", "total", "max_points", "passed", "started")
    return {key: entry.get(key) for key in keys}


def _points(system_id: str, number: str | None) -> str | None:
    system = kb.get_system(system_id)
    indicator = system.indicator(number) if system and number else None
    if indicator is None or indicator.points is None:
        return None
    return format(Decimal(indicator.points).normalize(), "f")
