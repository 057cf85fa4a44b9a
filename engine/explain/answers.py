"""How each saved question is answered: the SPARQL kept beside this module as
`questions/<name>.rq` run over the assessment's provenance, its rows gathered into one row per
clause, indicator or unit, and a summary line; or, for what the provenance does not hold, the
submission itself (the unit that issued an evidence item, a score without an evidence item)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from demozone.assessment.assess import score_as
from demozone.common.errors import DemozoneBug, InputError, Problem
from demozone.common.numbers import fmt_points
from demozone.explain.subject import Subject, fact_id, id_key
from demozone.scoring.facts import FactId
from demozone.scoring.report import points_json

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"


def saved_query(name: str) -> str | None:
    """The SPARQL the question `name` runs over the provenance graph, or None if it runs none."""
    path = QUESTIONS_DIR / f"{name}.rq"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _sparql(name: str) -> str:
    text = saved_query(name)
    if text is None:
        raise DemozoneBug(f"the saved question {name!r} has no questions/{name}.rq")
    return text


def _points(text: str | None) -> int | float | str | None:
    return points_json(Fraction(Decimal(text))) if text is not None else None


def evidence_clauses(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    evidence = params["evidence"]
    _check_evidence(evidence, subject.evidence_ids(), "provenance")
    clauses: dict[str, dict] = {}
    query = _sparql("evidence-clauses")
    for r in subject.select(query, evidenceId=evidence):  # the variable ask.EVIDENCE names
        row = clauses.setdefault(
            r["clauseNumber"],
            {
                "indicator": r["indicatorNumber"],
                "clause": r["clauseNumber"],
                "score": _points(r["clauseScore"]),
                "max": _points(r.get("clausePoints")),
                "judgments": [],
                "items": [],
                "text": r["clauseText"],
            },
        )
        rule = fact_id(r["rule"])
        if r["via"] == "judgment":
            row["judgments"].append(
                {
                    "assessor": fact_id(r["assessor"]),
                    "satisfied": r["satisfied"] == "true",
                    "where": r["where"],
                    "rule": rule,
                }
            )
        else:
            row["items"].append({"rule": rule, "points": _points(r["points"])})
    rows = list(clauses.values())
    for row in rows:
        row["judgments"].sort(key=lambda j: id_key(j["where"]))
        row["support"] = [
            f"{j['assessor']} {'满足' if j['satisfied'] else '不满足'}" for j in row["judgments"]
        ] + [f"规则 {i['rule']} 计为合格材料 +{i['points']}" for i in row["items"]]
    scored = [r for r in rows if r["score"] not in (0, None)]
    indicators = _join(dict.fromkeys(r["indicator"] for r in scored))
    summary = [
        f"证明材料 {evidence} 支撑 {len(rows)} 个条款，其中 {len(scored)} 个条款得分"
        + (f"（指标 {indicators}）" if indicators else "")
    ]
    return rows, summary


def below_max(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    indicators: dict[str, dict] = {}
    for r in subject.select(_sparql("below-max")):
        row = indicators.setdefault(
            r["indicatorNumber"],
            {
                "indicator": r["indicatorNumber"],
                "label": r.get("indicatorLabel", ""),
                "score": _points(r["score"]),
                "max": _points(r["max"]),
                "lost": _points(str(Decimal(r["max"]) - Decimal(r["score"]))),
                "reasons": [],
            },
        )
        if "reason" in r:
            row["reasons"].append(r["reason"])
    rows = list(indicators.values())
    lost = sum((Fraction(str(r["lost"])) for r in rows), Fraction(0))
    return rows, [f"{len(rows)} 项指标未得满分，共失 {fmt_points(lost)} 分"]


def disagreements(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    clauses: dict[str, dict] = {}
    for r in subject.select(_sparql("disagreements")):
        row = clauses.setdefault(
            r["clauseNumber"],
            {
                "indicator": r["indicatorNumber"],
                "clause": r["clauseNumber"],
                "score": _points(r["clauseScore"]),
                "max": _points(r.get("clausePoints")),
                "judgments": {},
                "text": r["clauseText"],
            },
        )
        judgment = row["judgments"].setdefault(
            r["where"],
            {
                "assessor": fact_id(r["assessor"]),
                "satisfied": r["satisfied"] == "true",
                "where": r["where"],
                "evidence": [],
            },
        )
        if "evidence" in r:
            judgment["evidence"].append(FactId.parse(fact_id(r["evidence"])).rest)
    rows = list(clauses.values())
    for row in rows:
        row["judgments"] = sorted(row["judgments"].values(), key=lambda j: id_key(j["where"]))
        row["satisfied"] = sorted(j["assessor"] for j in row["judgments"] if j["satisfied"])
        row["not_satisfied"] = sorted(j["assessor"] for j in row["judgments"] if not j["satisfied"])
    return rows, [f"评审意见不一致的条款 {len(rows)} 个：{_join(r['clause'] for r in rows)}"]


def units(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    evidence = subject.scored().submission.evidence
    facts: dict[str, dict] = {}
    for r in subject.select(_sparql("units")):
        fact = facts.setdefault(
            r["fact"],
            {
                "fact": fact_id(r["fact"]),
                "label": r["factLabel"],
                "origin": r["origin"],
                "where": r.get("where", ""),
                "indicators": [],
                "units": {},
            },
        )
        if r["indicatorNumber"] not in fact["indicators"]:
            fact["indicators"].append(r["indicatorNumber"])
        if "evidence" in r:
            item = evidence.get(FactId.parse(fact_id(r["evidence"])).rest)
            if item is not None and item.issued_by:
                fact["units"][(item.issued_by, "issued_by")] = item.id
        if "unitName" in r:
            fact["units"][(r["unitName"], "responsible")] = r["indicatorNumber"]
        if r["origin"] == "kb":
            fact["units"][(fact["where"], "published")] = None
    rows, unattributed = [], []
    for fact in facts.values():
        units = fact.pop("units")
        if not units:
            unattributed.append(fact)
        for (unit, role), via in units.items():  # via: the evidence item, or the indicator
            rows.append({"unit": unit, "role": role, "role_zh": _ROLES[role], "via": via, **fact})
    rows.sort(key=lambda r: (list(_ROLES).index(r["role"]), r["unit"]))
    summary = [
        f"{len({(r['unit'], r['role']) for r in rows})} 个单位或来源，涉及 "
        f"{len({r['fact'] for r in rows})} 项事实",
        f"未注明来源单位的事实 {len(unattributed)} 项（见“未注明”各行）",
    ]
    rows += [{"unit": None, "role": None, "role_zh": "未注明", **f} for f in unattributed]
    return rows, summary


_ROLES = {"issued_by": "出具单位", "responsible": "责任单位", "published": "公开发布"}


def withdraw_evidence(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    scored = subject.scored()
    evidence = params["evidence"]
    _check_evidence(evidence, sorted(scored.submission.evidence, key=id_key), "submission")
    reduced, dropped = withdraw(scored.submission, evidence)
    before = scored.result
    after = score_as(reduced, before.rule_set, before.engine)
    now = {i.number: i for i in after.indicators}
    rows = [
        {
            "indicator": i.number,
            "label": i.label,
            "before": points_json(i.score),
            "after": points_json(now[i.number].score),
            "change": points_json(now[i.number].score - i.score),
            "max": points_json(i.points),
            "reasons": now[i.number].reasons,
        }
        for i in before.indicators
        if now[i.number].score != i.score
    ]
    verdict = {True: "合格", False: "不合格"}
    summary = [
        f"撤回证明材料 {evidence} 后重新计分：总分 {fmt_points(before.total)} → "
        f"{fmt_points(after.total)}，{verdict[before.passed]} → {verdict[after.passed]}",
        f"随之失去全部证明材料而删除的评审意见 {len(dropped)} 条：{_join(dropped)}",
        *[f"  · {reason}" for reason in after.pass_reasons],
    ]
    return rows, summary


def withdraw(submission, evidence_id: str):
    """The submission without one evidence item: judgments no longer cite it, and a judgment
    that cited only it is removed. Returns (submission, field paths of the removed judgments)."""
    judgments, dropped = [], []
    for judgment in submission.judgments:
        if evidence_id not in judgment.evidence:
            judgments.append(judgment)
            continue
        rest = tuple(e for e in judgment.evidence if e != evidence_id)
        if rest:
            judgments.append(dataclasses.replace(judgment, evidence=rest))
        else:
            dropped.append(judgment.path)
    reduced = dataclasses.replace(
        submission,
        evidence={k: v for k, v in submission.evidence.items() if k != evidence_id},
        judgments=tuple(judgments),
    )
    return reduced, dropped


def _check_evidence(evidence: str, known: list[str], where: str) -> None:
    if evidence not in known:
        raise InputError(
            [
                Problem(
                    "--evidence",
                    "",
                    f"no evidence item {evidence!r} in this assessment's {where} "
                    f"(it has {_join(known) or 'none'})",
                    f"该评估的{'溯源记录' if where == 'provenance' else '申报材料'}中没有证明材料"
                    f" {evidence}（现有：{_join(known) or '无'}）",
                    expected="one of " + (_join(known) or "none"),
                )
            ]
        )


def _join(items) -> str:
    return ", ".join(str(i) for i in items)
