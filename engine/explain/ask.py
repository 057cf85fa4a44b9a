"""Saved questions for assessors and auditors, asked of one assessment by name.

Each question has a name, a title in Chinese and English, the parameters it takes and what it
answers (`QUESTIONS`). It is asked of one assessment: a submission file scored now, or an
assessment in the store (`assessments.resolve_assessment`).

Where the assessment's provenance can answer, the answer is a SPARQL query kept beside this
module as `questions/<name>.rq`, so an auditor reads exactly what was asked (`query_text`). It
runs over the union of the assessment's triples and the knowledge base graph, wherever either
keeps a triple. What the provenance does not hold comes from the score result and the
submission: the unit that issued an evidence item (the submission's `issued_by`), and what
withdrawing an evidence item would change (the submission is scored again without it). For a
stored assessment that means naming its submission file, which the store does not keep
(`assessments.rescore` checks it is the same file and reproduces the stored scores).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pyoxigraph as ox

from demozone.assessment.assess import Assessment, score_as
from demozone.assessment.resolve import Resolved, is_submission_file, rescore, resolve_assessment
from demozone.common.errors import InputError, Problem
from demozone.common.numbers import fmt_points
from demozone.common.vocab import DZ, last_segment
from demozone.scoring.facts import FactId
from demozone.scoring.report import points_json
from demozone.store.base import KB_GRAPH, to_ox

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"


@dataclass(frozen=True)
class Parameter:
    name: str  # the command-line option is --<name>
    zh: str
    en: str
    variable: str | None = None  # the SPARQL variable it is bound to, if any


@dataclass(frozen=True)
class Column:
    """A column of an answer's table: the row key and its heading."""

    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class Question:
    name: str
    title_zh: str
    title_en: str
    answers: str  # what it answers, in English
    answers_zh: str
    parameters: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    needs_submission: bool  # answered (in part) from the score result and the submission
    how: Callable[[Subject, dict[str, str]], tuple[list[dict], list[str]]]

    def query_text(self) -> str | None:
        """The SPARQL the question runs over the provenance graph, or None if it runs none."""
        path = QUESTIONS_DIR / f"{self.name}.rq"
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title_zh,
            "title_en": self.title_en,
            "answers": self.answers,
            "answers_zh": self.answers_zh,
            "parameters": [{"name": p.name, "zh": p.zh, "en": p.en} for p in self.parameters],
            "sparql": self.query_text() is not None,
            "needs_submission": self.needs_submission,
        }


@dataclass
class Answer:
    question: Question
    assessment: str  # the assessment's IRI
    origin: str  # "file" (scored now) or "store"
    parameters: dict[str, str]
    rows: list[dict]
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "question": self.question.name,
            "title": self.question.title_zh,
            "title_en": self.question.title_en,
            "assessment": self.assessment,
            "origin": self.origin,
            "parameters": self.parameters,
            "rows": self.rows,
            "summary": self.summary,
            "notes": self.notes,
        }


class Subject:
    """The assessment a question is asked of: its provenance with the knowledge base, and (when
    a question needs it) its score result and submission."""

    def __init__(self, resolved: Resolved, submission: str | Path | None = None) -> None:
        self.resolved = resolved
        self._submission = submission
        self._dataset: ox.Store | None = None
        self._scored: Assessment | None = None

    def select(self, query: str, **bindings: str) -> list[dict[str, str]]:
        """The solutions of a SELECT query as {variable: text} (unbound variables left out);
        `bindings` give variables literal values (they must be in the SELECT clause)."""
        substitutions = {ox.Variable(k): ox.Literal(v) for k, v in bindings.items()}
        solutions = self.dataset().query(
            query, use_default_graph_as_union=True, substitutions=substitutions or None
        )
        names = [v.value for v in solutions.variables]
        return [
            {n: row[n].value for n in names if row[n] is not None}
            for row in solutions  # type: ignore[union-attr]
        ]

    def dataset(self) -> ox.Store:
        """The assessment's quads and the knowledge base in one in-memory store (built once)."""
        if self._dataset is None:
            dataset = ox.Store()
            dataset.extend(self.resolved.quads)
            dataset.extend(
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), KB_GRAPH)
                for s, p, o in self.resolved.kb_graph
            )
            self._dataset = dataset
        return self._dataset

    def scored(self) -> Assessment:
        """The score result and submission (re-scored from the named file for a stored one)."""
        if self._scored is None:
            self._scored = rescore(self.resolved, self._submission)
        return self._scored

    def evidence_ids(self) -> list[str]:
        """The ids of the evidence items the provenance names."""
        rows = self.select(_EVIDENCE_ITEMS)
        return sorted({evidence_id(r["item"]) for r in rows}, key=_id_key)


_EVIDENCE_ITEMS = f"""PREFIX dz: <{DZ}>
SELECT DISTINCT ?item WHERE {{ ?item a dz:Evidence }}"""


def fact_id(iri: str) -> str:
    """The id a fact, case or assessor node is named by: the last segment of its IRI, decoded."""
    return last_segment(iri)


def evidence_id(iri: str) -> str:
    """The id of the evidence item a fact node (evidence:<id>) stands for."""
    return FactId.parse(fact_id(iri)).rest


def _id_key(text: str) -> tuple:
    """Order ids and numbers naturally: E2 before E10, 3.2 before 12.1."""
    digits = "".join(c if c.isdigit() else " " for c in text).split()
    return (tuple(int(d) for d in digits), text)


def _points(text: str | None) -> int | float | str | None:
    return points_json(Fraction(Decimal(text))) if text is not None else None


# ---------------------------------------------------------------------------------------------
# The questions


def _evidence_clauses(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    evidence = params["evidence"]
    _check_evidence(evidence, subject.evidence_ids(), "provenance")
    clauses: dict[str, dict] = {}
    query = QUESTIONS["evidence-clauses"].query_text() or ""
    for r in subject.select(query, **{EVIDENCE.variable or "": evidence}):
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
        row["judgments"].sort(key=lambda j: _id_key(j["where"]))
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


def _below_max(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    indicators: dict[str, dict] = {}
    for r in subject.select(QUESTIONS["below-max"].query_text() or ""):
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


def _disagreements(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    clauses: dict[str, dict] = {}
    for r in subject.select(QUESTIONS["disagreements"].query_text() or ""):
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
            judgment["evidence"].append(evidence_id(r["evidence"]))
    rows = list(clauses.values())
    for row in rows:
        row["judgments"] = sorted(row["judgments"].values(), key=lambda j: _id_key(j["where"]))
        row["satisfied"] = sorted(j["assessor"] for j in row["judgments"] if j["satisfied"])
        row["not_satisfied"] = sorted(j["assessor"] for j in row["judgments"] if not j["satisfied"])
    return rows, [f"评审意见不一致的条款 {len(rows)} 个：{_join(r['clause'] for r in rows)}"]


def _units(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    evidence = subject.scored().submission.evidence
    facts: dict[str, dict] = {}
    for r in subject.select(QUESTIONS["units"].query_text() or ""):
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
            item = evidence.get(evidence_id(r["evidence"]))
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


def _withdraw_evidence(subject: Subject, params: dict[str, str]) -> tuple[list[dict], list[str]]:
    scored = subject.scored()
    evidence = params["evidence"]
    _check_evidence(evidence, sorted(scored.submission.evidence, key=_id_key), "submission")
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


# ---------------------------------------------------------------------------------------------
# The registry

EVIDENCE = Parameter(
    "evidence",
    "证明材料编号（如 E2）",
    "an evidence item's id in the submission (e.g. E2)",
    "evidenceId",
)
_INDICATOR = Column("indicator", "指标", "indicator")
_CLAUSE = Column("clause", "条款", "clause")
_CLAUSE_TEXT = Column("text", "条款内容", "clause text")

QUESTIONS: dict[str, Question] = {
    q.name: q
    for q in (
        Question(
            "evidence-clauses",
            "证明材料支撑哪些条款",
            "Clauses resting on an evidence item",
            "Which clauses rest on an evidence item: the judgments citing it and the rules "
            "that counted it, with each clause's score.",
            "哪些条款的得分以该证明材料为依据：引用它的评审意见、将其计为合格材料的规则，及各条款得分。",
            (EVIDENCE,),
            (
                _INDICATOR,
                _CLAUSE,
                Column("score", "得分", "score"),
                _CLAUSE_TEXT,
                Column("support", "依据（评审意见或计数规则）", "support"),
            ),
            False,
            _evidence_clauses,
        ),
        Question(
            "below-max",
            "未得满分的指标及原因",
            "Indicators below their maximum, and why",
            "Every indicator scored below its maximum, with the reasons the assessment recorded.",
            "每个未得满分的指标，及评估记录的原因。",
            (),
            (
                _INDICATOR,
                Column("label", "指标名称", "label"),
                Column("score", "得分", "score"),
                Column("max", "满分", "max"),
                Column("reasons", "原因", "reasons"),
            ),
            False,
            _below_max,
        ),
        Question(
            "disagreements",
            "评审意见不一致的条款",
            "Judgments on which assessors disagree",
            "Every clause on which assessors reached different verdicts: who found it "
            "satisfied, who did not, the evidence each cited, and the clause's score.",
            "评审专家意见不一致的条款：谁认定满足、谁认定不满足、各自引用的证明材料，及条款得分。",
            (),
            (
                _INDICATOR,
                _CLAUSE,
                Column("satisfied", "认定满足", "satisfied"),
                Column("not_satisfied", "认定不满足", "not satisfied"),
                Column("score", "条款得分", "clause score"),
                _CLAUSE_TEXT,
            ),
            False,
            _disagreements,
        ),
        Question(
            "units",
            "事实来自哪些单位",
            "Which facts came from which unit",
            "Every fact the rules read, by the unit it came from: the unit that issued the "
            "evidence it rests on (the submission's issued_by), the responsible units the "
            "knowledge base names for its indicators (local decompositions), or the published "
            "source of a national figure; and the facts no unit is named for.",
            "规则读取的每项事实来自哪个单位：所依据证明材料的出具单位（申报材料 issued_by）、"
            "知识库为相应指标规定的责任单位（地方分解），或全国数据的公开发布来源；以及未注明单位的事实。",
            (),
            (
                Column("unit", "单位", "unit"),
                Column("role_zh", "关系", "role"),
                Column("where", "事实（字段）", "fact (field)"),
                Column("label", "事实", "fact"),
                Column("indicators", "指标", "indicators"),
            ),
            True,
            _units,
        ),
        Question(
            "withdraw-evidence",
            "撤回证明材料后哪些得分会变",
            "Scores that change if an evidence item is withdrawn",
            "Which indicator scores change if an evidence item were withdrawn: the submission "
            "is scored again without it (judgments citing only it removed), before -> after.",
            "若撤回某项证明材料，哪些指标得分会变化：去掉该材料（及仅以其为依据的评审意见）后重新计分，列出变化前后得分。",
            (EVIDENCE,),
            (
                _INDICATOR,
                Column("label", "指标名称", "label"),
                Column("before", "撤回前", "before"),
                Column("after", "撤回后", "after"),
                Column("change", "变化", "change"),
            ),
            True,
            _withdraw_evidence,
        ),
    )
}


def question(name: str) -> Question:
    """The saved question of that name; InputError naming the known ones otherwise."""
    found = QUESTIONS.get(name)
    if found is None:
        raise InputError(
            [
                Problem(
                    "ask",
                    name,
                    f"no saved question {name!r}",
                    f"没有名为 {name} 的问题",
                    expected="one of " + _join(QUESTIONS),
                )
            ]
        )
    return found


def ask(
    name: str,
    ref: str | Path,
    params: dict[str, str | None],
    *,
    store: str | None = None,
    submission: str | Path | None = None,
    system: str | None = None,
) -> Answer:
    """Ask the saved question `name` of the assessment `ref` names (a submission file, scored
    now and recorded when `store` is given, or an assessment in the store; see
    assessments.resolve_assessment). `submission` is the file of a stored assessment, for the
    questions that need it. InputError/StoreError for what cannot be used."""
    q = question(name)
    check_parameters(q, params)  # before anything is scored
    if submission is not None and is_submission_file(ref):
        raise InputError(
            [
                Problem(
                    str(ref),
                    "--submission",
                    "--submission names the file of a stored assessment; a submission file is "
                    "scored itself",
                    "--submission 用于指定已存储评估的申报材料文件；申报材料文件本身直接计分",
                )
            ]
        )
    return answer(q, Subject(resolve_assessment(ref, store, system=system), submission), params)


def check_parameters(q: Question, params: dict[str, str | None]) -> dict[str, str]:
    """The parameters given for `q` (None: not given), stripped; InputError for a missing one or
    one the question does not take."""
    given = {k: str(v).strip() for k, v in params.items() if v is not None}
    wanted = {p.name for p in q.parameters}
    problems = [
        Problem("ask", q.name, f"missing --{p.name}: {p.en}", f"缺少参数 --{p.name}：{p.zh}")
        for p in q.parameters
        if not given.get(p.name)
    ] + [
        Problem("ask", q.name, f"{q.name} takes no --{k}", f"问题 {q.name} 不接受参数 --{k}")
        for k in sorted(set(given) - wanted)
    ]
    if problems:
        raise InputError(problems)
    return given


def answer(q: Question, subject: Subject, params: dict[str, str | None]) -> Answer:
    """Ask one question of one assessment. InputError for a missing or unexpected parameter,
    an unknown evidence item, or (questions that need it) a submission that cannot be had."""
    given = check_parameters(q, params)
    rows, summary = q.how(subject, given)
    return Answer(
        q,
        subject.resolved.iri,
        subject.resolved.origin,
        given,
        rows,
        summary,
        list(subject.resolved.notes),
    )
