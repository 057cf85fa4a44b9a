"""The `judgments:` section: each assessor's verdict on one qualitative clause of the system,
with the evidence it cites (which must be declared under `evidence:`)."""

from __future__ import annotations

import difflib

from demozone.submission.model import JUDGMENT_KEYS, Judgment, SystemInfo
from demozone.submission.reading import Reading, scalar_text


def read_judgments(reading: Reading, items: list, info: SystemInfo | None) -> tuple[Judgment, ...]:
    """The judgments, one per assessor and clause; `info` is None when the system is unknown
    (already reported), and then any clause is accepted here."""
    judgments, seen = [], set()
    for index, item in enumerate(items):
        path = f"judgments[{index}]"
        if not reading.keys(item, JUDGMENT_KEYS, ("clause", "satisfied", "assessor"), path):
            continue
        clause, named = scalar_text(item["clause"]), scalar_text(item["assessor"])
        assessor = named and reading.text(item, "assessor", f"{path}.assessor", short=True)
        note_ok = item.get("note") is None or (
            reading.text(item, "note", f"{path}.note", lines=True) is not None
        )
        cited = _cited(reading, item, path)
        ok = all(
            [
                _clause_known(reading, item, path, clause, info),
                _satisfied_ok(reading, item, path, cited),
                _assessor_ok(reading, item, path, named),
                named is None or assessor is not None,
                cited is not None,
                note_ok,
            ]
        )
        if (clause, assessor) in seen:
            reading.problem(
                f"{path}.assessor",
                f"{assessor} judged clause {clause} twice",
                f"评审专家 {assessor} 对条款 {clause} 重复评审",
                "one judgment per assessor and clause",
                item,
                "assessor",
            )
            ok = False
        seen.add((clause, assessor))
        if ok and clause is not None:
            note = str(item.get("note") or "")
            judgments.append(
                Judgment(index, clause, item["satisfied"], cited, assessor, note, path)
            )
    return tuple(judgments)


def _clause_known(reading: Reading, item: dict, path: str, clause: str | None, info) -> bool:
    if clause is not None and (info is None or clause in info.clause_ids):
        return _clause_judged(reading, item, path, clause, info)
    shown = item["clause"] if clause is None else clause
    nearby = _nearby_clauses(clause or "", info.clause_ids) if info is not None else []
    system = info.id if info is not None else "the system"
    reading.problem(
        f"{path}.clause",
        f"clause {shown!r} is not in {system}"
        + (f"; nearby clauses: {', '.join(nearby)}" if nearby else ""),
        f"条款 {shown!r} 不在指标体系 {system} 中"
        + (f"；相近的条款：{', '.join(nearby)}" if nearby else ""),
        '"<indicator number>.<clause number>" of the system, e.g. "12.2"',
        item,
        "clause",
    )
    return False


def _clause_judged(reading: Reading, item: dict, path: str, clause: str, info) -> bool:
    judged = getattr(info, "judged_clause_ids", None)
    if judged is None or clause in judged:
        return True
    reading.problem(
        f"{path}.clause",
        f"clause {clause} is scored from the submitted figures (metrics), not by an "
        "assessor's judgment; record the figures under metrics",
        f"条款 {clause} 依据填报数据（metrics）计分，不由评审专家评判；请在 metrics 中填报数据",
        "a qualitative clause, e.g. " + ", ".join(sorted(judged, key=_clause_key)[:4]),
        item,
        "clause",
    )
    return False


def _clause_key(clause: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in clause.split("."))


def _nearby_clauses(clause: str, clause_ids: frozenset[str]) -> list[str]:
    """The clauses of the same indicator, else the closest ids by spelling."""
    indicator = clause.split(".")[0]
    same = sorted((c for c in clause_ids if c.split(".")[0] == indicator), key=_clause_key)
    return same or difflib.get_close_matches(clause, sorted(clause_ids), n=5, cutoff=0.5)


def _assessor_ok(reading: Reading, item: dict, path: str, assessor: str | None) -> bool:
    if assessor is not None:
        return True
    reading.problem(
        f"{path}.assessor",
        f"assessor must be a name such as expert-li, got {item['assessor']!r}",
        "assessor 应为评审专家的名称（如 expert-li）",
        "expert-li",
        item,
        "assessor",
    )
    return False


def _satisfied_ok(reading: Reading, item: dict, path: str, cited: tuple[str, ...] | None) -> bool:
    satisfied = item["satisfied"]
    if not isinstance(satisfied, bool):
        reading.problem(
            f"{path}.satisfied",
            f"satisfied must be true or false, got {satisfied!r}",
            f"satisfied 应为 true（满足）或 false（不满足），实际为 {satisfied!r}",
            "true | false",
            item,
            "satisfied",
        )
        return False
    if satisfied and cited == ():
        reading.problem(
            f"{path}.evidence",
            "a satisfied judgment must cite at least one evidence item",
            "认定满足的评审意见必须引用至少一项证明材料",
            "evidence: [E1, ...]",
            item,
            "satisfied",
        )
        return False
    return True


def _cited(reading: Reading, item: dict, path: str) -> tuple[str, ...] | None:
    """The evidence ids a judgment cites, or None after a problem."""
    raw = item.get("evidence")
    raw = [] if raw is None else raw
    ids = [scalar_text(e) for e in raw] if isinstance(raw, list) else [None]
    if None in ids:
        reading.problem(
            f"{path}.evidence",
            f"evidence must be a list of evidence ids, got {raw!r}",
            "evidence 应为证明材料编号的列表",
            "e.g. [E1, E2]",
            item,
            "evidence",
        )
        return None
    missing = [e for e in ids if e not in reading.declared_evidence]
    for evidence_id in missing:
        reading.problem(
            f"{path}.evidence",
            f"cites evidence {evidence_id!r}, which is not in the evidence list",
            f"引用的证明材料 {evidence_id!r} 不在 evidence 列表中",
            ", ".join(sorted(reading.declared_evidence)) or "an id of the evidence section",
            item,
            "evidence",
        )
    return None if missing else tuple(ids)


def read_assessors(reading: Reading, names: dict, judgments: tuple[Judgment, ...]) -> dict:
    """The `assessors:` section, assessor id -> name: each id as a judgment's `assessor` writes
    it, each name a short text; an id no judgment uses is a problem (a misspelt id would
    otherwise leave its assessor unnamed without a word)."""
    result: dict[str, str] = {}
    judged = {j.assessor for j in judgments}
    for key in names:
        path = f"assessors.{key}"
        assessor = scalar_text(key)
        name = reading.text(names, key, path, short=True)
        if name is None:
            continue
        if not name:
            reading.problem(path, "the name is empty", "评审专家姓名为空", "a name", names, key)
            continue
        if judgments and assessor not in judged:
            reading.problem(
                path,
                f"no judgment is by {assessor}",
                f"没有评审意见出自 {assessor}",
                ", ".join(sorted(judged)),
                names,
                key,
            )
            continue
        result[assessor] = name
    return result
