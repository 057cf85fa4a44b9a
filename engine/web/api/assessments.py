"""GET /api/assessments/{id}, its explanation, and POST its judgments.

Who may read an assessment: an assessor assigned to its submission, and policy staff and
auditors (read-only); administrators manage accounts, not assessments (403). Only an assessor
assigned to the submission records judgments.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from demozone import api
from demozone.web import deps
from demozone.web.auth import require

router = APIRouter(prefix="/api", tags=["assessments"])

READERS = ("assessor", "policy", "auditor")


class JudgmentIn(BaseModel):
    clause: str
    satisfied: bool
    evidence: list[str] = []
    note: str = ""


class Judgments(BaseModel):
    judgments: list[JudgmentIn]


def readable(request: Request, reference: str, user: dict) -> dict:
    """The workspace assessment if this user may read it: 404 unknown, 403 an assessor not
    assigned to its submission."""
    try:
        found = api.workspace_assessment(
            reference, store=deps.store_location(request), db=deps.accounts_db(request)
        )
    except api.UnknownAssessment as err:
        raise HTTPException(404, err.problems[0].text("zh")) from None
    if user["role"] == "assessor" and not api.is_assigned(
        found["submission"], user["name"], db=deps.accounts_db(request)
    ):
        raise HTTPException(403, f"{user['name']} 未被分配评审申报材料 {found['submission']}")
    return found


@router.get("/assessments/{reference:path}/explain", responses={403: {}, 404: {}, 422: {}})
def explain(
    request: Request,
    reference: str,
    indicator: str | None = None,
    lang: str = "zh",
    user: dict = Depends(require(*READERS)),
) -> dict:
    """The `explain --json` object of one indicator (?indicator=N), or of all."""
    readable(request, reference, user)
    return api.explain_assessment(
        reference,
        indicator,
        lang="en" if lang == "en" else "zh",
        store=deps.store_location(request),
        db=deps.accounts_db(request),
    )


@router.post(
    "/assessments/{reference:path}/judgments",
    status_code=201,
    responses={403: {}, 404: {}, 422: {}},
)
def judge(
    request: Request,
    reference: str,
    body: Judgments,
    user: dict = Depends(require("assessor")),
):
    """Record the logged-in assessor's judgments ({clause, satisfied, evidence}) on the
    submission of this assessment: 201 with the new assessment's `score --json` object."""
    readable(request, reference, user)
    try:
        made = api.record_judgments(
            reference,
            [j.model_dump() for j in body.judgments],
            user["name"],
            store=deps.store_location(request),
            db=deps.accounts_db(request),
        )
    except api.NotAssigned as err:
        raise HTTPException(403, err.problems[0].text("zh")) from None
    return JSONResponse(made, 201)


@router.get("/assessments/{reference:path}", responses={403: {}, 404: {}})
def assessment(request: Request, reference: str, user: dict = Depends(require(*READERS))) -> dict:
    """The `score --json` object of an assessment made in the workspace (id or IRI)."""
    return readable(request, reference, user)["result"]
