"""What an assessment report says, as plain values: one function from an assessment to them.

`build_report` gathers everything a signed 评估报告 holds (report-style.md): the creation object,
the system by its full title and status, the pass rule with its source sentence, the first-level
scores and rates, the 评分表 row by row (reasons as scoring words them, the clauses with their
citations, kb.citation: source id and file, character and byte range; the evidence ids), the
assessors' judgments by clause, the evidence with hashes and the reproducibility receipt.
Renderers (HTML, PDF, Word) only lay these out; nothing here formats for a medium. Labels and
reasons are in `lang`; verbatim source text and names stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from demozone.assessment.resolve import Resolved, rescore, stored_record
from demozone.common.numbers import fmt_percent, fmt_points
from demozone.explain.derivation import explain
from demozone.kb import load as kb
from demozone.kb.citation import Citation, cite
from demozone.report.labels import labels, level_names
from demozone.rules.kinds.wording import assessor_name
from demozone.scoring.reasons import indicator_reasons


@dataclass(frozen=True)
class LevelRow:
    number: str
    label: str
    points: str
    score: str
    rate: str
    meets_rate: bool


@dataclass(frozen=True)
class SheetRow:
    """One row of the 评分表: an indicator with its levels, points, score and grounds."""

    number: str
    first_level: str
    second_level: str | None
    label: str
    points: str
    score: str
    reasons: tuple[str, ...]
    clauses: tuple[tuple[str, tuple[Citation, ...]], ...]  # (clause id, where it is written)
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Opinion:
    assessor: str
    satisfied: bool
    evidence: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ClauseOpinions:
    """Every judgment on one clause, and whether the panel agreed."""

    clause: str
    indicator: str
    opinions: tuple[Opinion, ...]
    satisfied: int
    not_satisfied: int
    agreed: bool
    clause_score: str


@dataclass(frozen=True)
class EvidenceItem:
    id: str
    title: str
    kind: str
    file: str
    sha256: str
    issued_by: str
    date: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    issuer: str
    document_number: str


@dataclass(frozen=True)
class Report:
    """Everything a report shows, in the order it is read."""

    lang: str
    t: dict  # the labels of `lang`
    title: str
    region: str
    region_class: str
    submission_id: str
    system_id: str
    system_title: str
    system_status: str
    years: tuple[int, ...]
    date: str  # when the scores were computed (the receipt's time), in the language's style
    assessment_iri: str
    recorded: bool  # the assessment is in a store (else scored for this report only)
    assessors: tuple[str, ...]
    sources: tuple[Source, ...]
    methods: tuple[tuple[str, bool], ...]  # (method, used)
    methods_source: Citation | None
    total: str
    max_total: str
    pass_total: str
    pass_rate: str
    passed: bool
    pass_reasons: tuple[str, ...]
    pass_rule: Citation | None
    levels: tuple[LevelRow, ...]
    level_names: tuple[str, ...]  # the system's own: 一级指标, 二级指标[, 三级指标]
    sheet: tuple[SheetRow, ...]
    opinions: tuple[ClauseOpinions, ...]
    evidence: tuple[EvidenceItem, ...]
    receipt: tuple[tuple[str, str], ...]
    engine: str
    plan: object | None = None  # plansheet.PlanSheet: the optional 意见建议 section, when asked

    @property
    def system_status_note(self) -> str:
        """The status in brackets, unless the title already says it (…（试行）)."""
        if self.system_status.lower() in self.system_title.lower():
            return ""
        return f"{self.t['open']}{self.system_status}{self.t['close']}"

    @property
    def has_second_level(self) -> bool:
        return len(self.level_names) == 3


def report_of(resolved: Resolved, submission=None, lang: str = "zh") -> Report:
    """The report of a resolved assessment (resolve_assessment). A stored one is re-scored from
    its submission file (`submission`, checked as `rescore` does) and keeps its own receipt."""
    scored = rescore(resolved, submission)
    receipt = scored.receipt if resolved.origin == "file" else stored_record(resolved).receipt
    trees = explain(scored.result, scored.submission)
    recorded = resolved.origin == "store" or resolved.written
    return build_report(
        scored.result, scored.submission, trees, receipt, resolved.iri, lang, recorded=recorded
    )


def build_report(
    result,
    submission,
    trees: list[dict],
    receipt: dict,
    iri: str,
    lang: str = "zh",
    *,
    recorded: bool = True,
) -> Report:
    """The report of one assessment: its score result, the submission it scored, the
    derivation trees of `explain`, its receipt and its IRI. `lang` is "zh" or "en"."""
    t = labels(lang)
    system = kb.get_system(result.system)
    knowledge = kb.load_kb()
    sources = tuple(_source(knowledge, s) for s in system.sources)
    rule = system.pass_rule
    return Report(
        lang=lang,
        t=t,
        title=t["report_title"].format(region=result.region),
        region=result.region,
        region_class=submission.region_class,
        submission_id=result.submission_id,
        system_id=system.id,
        system_title=system.title if lang == "zh" else system.title_en,
        system_status=t["status"].get(system.status, system.status),
        years=tuple(submission.years),
        date=_date(receipt.get("time", ""), lang),
        assessment_iri=iri,
        recorded=recorded,
        assessors=tuple(
            assessor_name(submission, a) for a in sorted({j.assessor for j in submission.judgments})
        ),
        sources=sources,
        methods=_methods(submission, t),
        methods_source=_methods_source(knowledge),
        total=fmt_points(result.total),
        max_total=fmt_points(result.max_total),
        pass_total=fmt_points(Fraction(rule.total_at_least)) if rule else "",
        pass_rate=fmt_percent(Fraction(rule.first_level_rate_at_least), 0) if rule else "",
        passed=result.passed,
        pass_reasons=tuple(result.pass_reasons_en if lang == "en" else result.pass_reasons),
        pass_rule=cite(knowledge, rule.anchors[0]) if rule and rule.anchors else None,
        levels=tuple(_level_row(level, system, rule, lang) for level in result.first_level),
        level_names=level_names(system, lang),
        sheet=tuple(
            _sheet_row(i, tree, system, knowledge, lang) for i, tree in _pairs(result, trees)
        ),
        opinions=_opinions(result, submission),
        evidence=tuple(_evidence(e) for e in submission.evidence.values()),
        receipt=tuple(receipt.items()),
        engine=result.engine,
    )


def _pairs(result, trees: list[dict]):
    by_number = {tree["number"]: tree for tree in trees}
    return [(i, by_number[i.number]) for i in result.indicators]


def _source(knowledge, source_id: str) -> Source:
    doc = knowledge.sources.get(source_id)
    if doc is None:
        return Source(source_id, source_id, "", "")
    return Source(doc.id, doc.title, doc.issuer, doc.document_number or "")


def _date(time: str, lang: str) -> str:
    """2026-12-06T05:10:02Z -> 2026年12月6日 (zh) or 2026-12-06 (en)."""
    day = time[:10]
    if lang != "zh" or len(day) != 10:
        return day
    year, month, date = day.split("-")
    return f"{year}年{int(month)}月{int(date)}日"


def _methods(submission, t: dict) -> tuple[tuple[str, bool], ...]:
    """The measures' four ways of evaluating (art. 14), and which this assessment used: the
    records show materials (evidence), data against national figures (references) and expert
    judgments; an on-site check leaves no record in a submission, so it is never claimed."""
    used = {
        "review": bool(submission.evidence),
        "data": bool(submission.metrics),
        "site": False,
        "expert": bool(submission.judgments),
    }
    return tuple((t["method"][key], flag) for key, flag in used.items())


def _methods_source(knowledge) -> Citation | None:
    """Article 14 of the measures, where the four ways are named."""
    for procedure in knowledge.procedures:
        for article in procedure.articles:
            if article.number == "14" and article.anchors:
                return cite(knowledge, article.anchors[-1])
    return None


def _level_row(level, system, rule, lang: str) -> LevelRow:
    info = system.level(level.id)
    label = info.label_en if lang == "en" and info and info.label_en else level.label
    threshold = Fraction(rule.first_level_rate_at_least) if rule else Fraction(0)
    return LevelRow(
        number=str(level.number),
        label=label,
        points=fmt_points(level.points),
        score=fmt_points(level.score),
        rate=fmt_percent(level.rate),
        meets_rate=level.rate >= threshold,
    )


def _level_label(system, level_id: str | None, lang: str) -> str | None:
    level = system.level(level_id) if level_id else None
    if level is None:
        return None
    return level.label_en if lang == "en" and level.label_en else level.label


def _sheet_row(indicator, tree: dict, system, knowledge, lang: str) -> SheetRow:
    info = system.indicator(indicator.number)
    label = info.label_en if lang == "en" and info and info.label_en else indicator.label
    clauses = []
    for clause in tree["clauses"]:
        spans = tuple(Citation.from_json(c) for c in clause["citations"])
        clauses.append((clause["id"], spans))
    return SheetRow(
        number=indicator.number,
        first_level=_level_label(system, indicator.first_level, lang) or "",
        second_level=_level_label(system, indicator.second_level, lang),
        label=label,
        points=fmt_points(indicator.points),
        score=fmt_points(indicator.score),
        reasons=(
            tuple(indicator_reasons(indicator, lang)) if indicator.score < indicator.points else ()
        ),
        clauses=tuple(clauses),
        evidence=_evidence_ids(tree),
    )


def _evidence_ids(tree: dict) -> tuple[str, ...]:
    """The evidence the indicator's facts rest on, each once, in the order first met."""
    seen: dict[str, None] = {}
    for rule in tree["rules"]:
        for case in rule["cases"]:
            for fact in case["facts"]:
                for item in fact.get("evidence", []):
                    seen.setdefault(item["id"])
    return tuple(seen)


def _opinions(result, submission) -> tuple[ClauseOpinions, ...]:
    by_clause: dict[str, list] = defaultdict(list)
    for judgment in submission.judgments:
        by_clause[judgment.clause].append(judgment)
    clause_scores = {c.id: (i.number, c.score) for i in result.indicators for c in i.clauses}
    rows = []
    for clause in sorted(by_clause, key=_clause_key):
        judgments = by_clause[clause]
        yes = sum(1 for j in judgments if j.satisfied)
        number, score = clause_scores.get(clause, (clause.split(".")[0], None))
        rows.append(
            ClauseOpinions(
                clause=clause,
                indicator=number,
                opinions=tuple(
                    Opinion(
                        assessor_name(submission, j.assessor),
                        j.satisfied,
                        tuple(j.evidence),
                        j.note,
                    )
                    for j in sorted(judgments, key=lambda j: j.assessor)
                ),
                satisfied=yes,
                not_satisfied=len(judgments) - yes,
                agreed=yes in (0, len(judgments)),
                clause_score=fmt_points(score) if score is not None else "",
            )
        )
    return tuple(rows)


def _clause_key(clause: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in clause.split("."))


def _evidence(item) -> EvidenceItem:
    return EvidenceItem(
        id=item.id,
        title=item.title,
        kind=item.kind,
        file=item.file or "",
        sha256=item.sha256 or "",
        issued_by=item.issued_by or "",
        date=item.date or "",
    )
