"""The assessor room: my assigned submissions, uploading one, its score table, each indicator's
explanation with the source passage, judgments clause by clause, the report and the template."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from demozone import api
from demozone.web import deps, i18n
from demozone.web.api.assessments import readable
from demozone.web.api.submissions import accept
from demozone.web.auth import require
from demozone.web.pages.assessor_words import WORDS
from demozone.web.templating import render

router = APIRouter(prefix="/assessor")
i18n.UI_STRINGS.update(WORDS)

REPORT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def _index(request: Request, user: dict, status: int = 200, errors=()):
    db = deps.accounts_db(request)
    assigned = api.assignments(user["name"], db=db)
    for a in assigned:
        made = api.submission_assessments(
            a["submission"], store=deps.store_location(request), db=db
        )
        a["latest"] = made[0] if made else None
    return render(
        request,
        "assessor/index.html",
        status,
        room="room.assessor",
        assigned=assigned,
        systems=api.systems(),
        errors=errors,
    )


@router.get("/")
def index(request: Request, user: dict = Depends(require("assessor"))):
    """My assigned submissions, with the latest assessment of each, and the upload form."""
    return _index(request, user)


@router.post("/upload")
def upload(
    request: Request,
    file: UploadFile = File(...),
    system: str = Form(""),
    user: dict = Depends(require("assessor")),
):
    """Upload a submission: its score page, or the form again with its problems (422)."""
    try:
        made = accept(request, user, file, system or None)
    except api.InputError as err:
        shown = tuple(p.render(i18n.language(request)) for p in err.problems)
        return _index(request, user, 422, shown)
    return RedirectResponse(f"/assessor/assessments/{made['assessment'].rsplit('/', 1)[-1]}", 303)


@router.get("/assessments/{reference}")
def assessment(request: Request, reference: str, user: dict = Depends(require("assessor"))):
    """The score table (评分表) of an assessment, the panel's opinions and the judgment form."""
    found = readable(request, reference, user)
    db, store = deps.accounts_db(request), deps.store_location(request)
    lang = i18n.language(request)
    return render(
        request,
        "assessor/assessment.html",
        room="room.assessor",
        found=found,
        result=found["result"],
        levels=api.level_names(found["result"]["system"], lang),
        panel=api.assessment_panel(found["id"], lang=lang, store=store, db=db),
        history=api.submission_assessments(found["submission"], store=store, db=db),
        errors=(),
    )


@router.post("/assessments/{reference}/judgments")
async def judge(request: Request, reference: str, user: dict = Depends(require("assessor"))):
    """The judgment form: one 满足/不满足 per clause with its evidence ids (comma separated);
    a new assessment, shown; a mistake shows the form again with its problems (422)."""
    found = readable(request, reference, user)
    form = await request.form()
    judgments = []
    for clause in form.getlist("clause"):
        verdict = form.get(f"satisfied-{clause}", "")
        if verdict not in ("yes", "no"):
            continue
        evidence = [e.strip() for e in str(form.get(f"evidence-{clause}", "")).split(",")]
        judgments.append(
            {
                "clause": clause,
                "satisfied": verdict == "yes",
                "evidence": [e for e in evidence if e],
            }
        )
    try:
        made = api.record_judgments(
            found["id"],
            judgments,
            user["name"],
            store=deps.store_location(request),
            db=deps.accounts_db(request),
        )
    except api.NotAssigned as err:
        raise HTTPException(403, err.problems[0].text("zh")) from None
    except api.InputError as err:
        lang = i18n.language(request)
        return render(
            request,
            "assessor/error.html",
            422,
            room="room.assessor",
            errors=tuple(p.render(lang) for p in err.problems),
            back=f"/assessor/assessments/{reference}",
        )
    return RedirectResponse(f"/assessor/assessments/{made['assessment'].rsplit('/', 1)[-1]}", 303)


@router.get("/assessments/{reference}/indicators/{number}")
def indicator(
    request: Request, reference: str, number: str, user: dict = Depends(require("assessor"))
):
    """One indicator's explanation: the clause text, how it was scored, why not more, and a
    link from each citation to its passage in the source document."""
    found = readable(request, reference, user)
    lang = i18n.language(request)
    explained = api.explain_assessment(
        found["id"],
        number,
        lang=lang,
        store=deps.store_location(request),
        db=deps.accounts_db(request),
    )
    return render(
        request,
        "assessor/indicator.html",
        room="room.assessor",
        found=found,
        tree=explained["indicators"][0],
    )


@router.get("/source/{source}")
def source(
    request: Request,
    source: str,
    start: int = 0,
    end: int = 0,
    user: dict = Depends(require("assessor", "policy", "auditor")),
):
    """The verbatim source document with the cited passage marked (<mark id="passage">) and
    scrolled to."""
    return render(
        request,
        "assessor/source.html",
        room="room.assessor",
        doc=api.source_passage(source, start, end),
    )


@router.get("/assessments/{reference}/report.{fmt}")
def report(request: Request, reference: str, fmt: str, user: dict = Depends(require("assessor"))):
    """The 评估报告 of the assessment as PDF, DOCX or HTML, downloaded."""
    if fmt not in REPORT_TYPES:
        raise HTTPException(404, "未知的报告格式 / unknown report format")
    found = readable(request, reference, user)
    data = api.assessment_report(
        found["id"],
        fmt,
        lang=i18n.language(request),
        store=deps.store_location(request),
        db=deps.accounts_db(request),
    )
    name = f"{found['submission']}-report.{fmt}"
    return Response(
        data,
        media_type=REPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/template/{system}.xlsx")
def template(request: Request, system: str, user: dict = Depends(require("assessor"))):
    """The empty submission workbook of a system (demozone template)."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "template.xlsx"
        api.template(system, target)
        data = target.read_bytes()
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{system}-template.xlsx"'},
    )
