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

This module holds the questions and the way in; answers.py how each is answered, subject.py the
assessment it is asked of.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from demozone.common.errors import InputError, Problem

if TYPE_CHECKING:
    from demozone.explain.subject import Subject

# The registry below loads nothing heavy (the CLI builds its options from it at start-up): the
# answering modules are imported when a question is asked.
_ANSWERS = "demozone.explain.answers"


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
    answered_by: str  # the function of explain.answers: (Subject, params) -> (rows, summary)

    def how(self, subject: Subject, given: dict[str, str]) -> tuple[list[dict], list[str]]:
        """The rows and summary lines that answer the question of `subject`."""
        return getattr(importlib.import_module(_ANSWERS), self.answered_by)(subject, given)

    def query_text(self) -> str | None:
        """The SPARQL the question runs over the provenance graph, or None if it runs none."""
        return importlib.import_module(_ANSWERS).saved_query(self.name)

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
            "evidence_clauses",
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
            "below_max",
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
            "disagreements",
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
            "units",
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
            "withdraw_evidence",
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
                    expected="one of " + ", ".join(QUESTIONS),
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
    from demozone.assessment.resolve import is_submission_file, resolve_assessment
    from demozone.explain.subject import Subject

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
