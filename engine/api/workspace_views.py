"""What the workspace shows of its assessments: the score object, one indicator's explanation,
the panel's opinions (majority and disagreements), the report, and a source document with the
passage an anchor points at."""

from __future__ import annotations

from pathlib import Path

from demozone.accounts import judgments as rows
from demozone.api.workspace import UnknownAssessment, kept_path
from demozone.common.errors import InputError, Problem
from demozone.common.paths import KB_DIR


def workspace_assessment(
    reference: str, *, store: str | None = None, db: str | None = None
) -> dict:
    """An assessment the workspace made (id or IRI): {id, iri, submission, kept, system, user,
    result (the `score --json` object), time}. UnknownAssessment when there is none."""
    found = rows.workspace_assessment(reference, db=db, store=store)
    if found is None:
        raise UnknownAssessment(
            [
                Problem(
                    reference,
                    "assessment",
                    "no such assessment in the workspace",
                    "工作台中没有该评估记录",
                )
            ]
        )
    return found


def submission_assessments(
    submission: str, *, store: str | None = None, db: str | None = None
) -> list[dict]:
    """The workspace's assessments of a submission, newest first."""
    return rows.submission_assessments(submission, db=db, store=store)


def submission_judgments(
    submission: str, *, store: str | None = None, db: str | None = None
) -> list[dict]:
    """Every judgment row recorded in the workspace for a submission, oldest first."""
    return rows.judgments_of(submission, db=db, store=store)


def explain_assessment(
    reference: str,
    indicator: str | None = None,
    *,
    lang: str = "zh",
    store: str | None = None,
    db: str | None = None,
) -> dict:
    """The `explain --json` object of a workspace assessment (one indicator, or all): its kept
    file scored again under its system, writing nothing. InputError for an unknown indicator."""
    from demozone.explain.derivation import explain_reference

    found = workspace_assessment(reference, store=store, db=db)
    path = kept_path(found["kept"], store, db)
    explained = explain_reference(path, indicator, system=found["system"] or None, lang=lang)
    if indicator is not None and not explained.trees:
        numbers = ", ".join(i.number for i in explained.assessment.result.indicators)
        raise InputError(
            [
                Problem(
                    reference,
                    "indicator",
                    f"no indicator {indicator!r} (one of {numbers})",
                    f"没有指标 {indicator!r}（可选：{numbers}）",
                )
            ]
        )
    return {
        "submission": explained.assessment.result.submission_id,
        "system": explained.assessment.result.system,
        "assessment": found["iri"],
        "indicators": explained.trees,
    }


def _resolved(found: dict, store, db):
    from demozone.assessment.resolve import resolve_assessment

    return resolve_assessment(
        kept_path(found["kept"], store, db), None, system=found["system"] or None
    )


def assessment_opinions(
    reference: str, *, lang: str = "zh", store: str | None = None, db: str | None = None
) -> list[dict]:
    """The 专家评审意见汇总 of a workspace assessment, clause by clause: {clause, indicator,
    opinions [{assessor, satisfied, evidence, note}], satisfied, not_satisfied, agreed,
    majority (True, False, or None on a tie), clause_score}."""
    return assessment_panel(reference, lang=lang, store=store, db=db)["opinions"]


def assessment_panel(
    reference: str, *, lang: str = "zh", store: str | None = None, db: str | None = None
) -> dict:
    """What an assessor judges with: {opinions (as `assessment_opinions`), evidence [{id,
    title}] (the 证明材料清单 a judgment may cite)}."""
    from demozone.report.model import report_of

    found = workspace_assessment(reference, store=store, db=db)
    model = report_of(_resolved(found, store, db), None, lang)
    out = []
    for c in model.opinions:
        majority = None if c.satisfied == c.not_satisfied else c.satisfied > c.not_satisfied
        out.append(
            {
                "clause": c.clause,
                "indicator": c.indicator,
                "opinions": [
                    {
                        "assessor": o.assessor,
                        "satisfied": o.satisfied,
                        "evidence": list(o.evidence),
                        "note": o.note,
                    }
                    for o in c.opinions
                ],
                "satisfied": c.satisfied,
                "not_satisfied": c.not_satisfied,
                "agreed": c.agreed,
                "majority": majority,
                "clause_score": c.clause_score,
            }
        )
    evidence = [{"id": e.id, "title": e.title} for e in model.evidence]
    return {"opinions": out, "evidence": evidence}


def assessment_report(
    reference: str,
    fmt: str = "pdf",
    *,
    lang: str = "zh",
    store: str | None = None,
    db: str | None = None,
) -> bytes:
    """The 评估报告 of a workspace assessment as a PDF, DOCX or HTML file's bytes (the stored
    assessment, re-scored from its kept file)."""
    from demozone.api.reports import report

    found = workspace_assessment(reference, store=store, db=db)
    data, _model, _notes = report(
        found["iri"], fmt, lang=lang, store=store, submission=kept_path(found["kept"], store, db)
    )
    return data


def source_passage(source: str, start: int, end: int) -> dict:
    """A knowledge-base source document's verbatim text split at a passage: {source, title,
    file, before, passage, after}. InputError for an unknown source or a passage outside it."""
    from demozone.kb import load as kb

    found = kb.load_kb().sources.get(source)
    if found is None:
        raise InputError(
            [
                Problem(
                    source, "source", f"no source document {source!r}", f"没有来源文件 {source!r}"
                )
            ]
        )
    text = (Path(KB_DIR) / "sources" / found.file).read_text(encoding="utf-8")
    if not 0 <= start <= end <= len(text):
        raise InputError(
            [
                Problem(
                    source,
                    "start",
                    f"passage {start}-{end} lies outside the document ({len(text)} characters)",
                    f"段落位置 {start}–{end} 超出文件范围",
                )
            ]
        )
    return {
        "source": source,
        "title": found.title,
        "file": found.file,
        "before": text[:start],
        "passage": text[start:end],
        "after": text[end:],
    }


def level_names(system: str, lang: str = "zh") -> tuple[str, ...]:
    """The system's own names of its indicator levels (一级指标, 二级指标, ...)."""
    from demozone.kb import load as kb

    found = kb.get_system(system)
    if found is None:
        raise InputError(
            [Problem(system, "system", f"unknown system {system!r}", f"未知的指标体系 {system!r}")]
        )
    return tuple(found.level_names(lang))
