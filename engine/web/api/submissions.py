"""POST /api/submissions: upload a submission file (YAML, JSON or .xlsx), scored and recorded."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse

from demozone import api
from demozone.web import deps
from demozone.web.auth import require

router = APIRouter(prefix="/api", tags=["assessments"])


def accept(request: Request, user: dict, file: UploadFile, system: str | None) -> dict:
    """The upload through api.accept_submission; NotAssigned becomes 403."""
    content = file.file.read(api.UPLOAD_LIMIT + 1)  # one byte more tells it is too large
    try:
        return api.accept_submission(
            content,
            file.filename or "",
            system=system or None,
            user=user["name"],
            store=deps.store_location(request),
            db=deps.accounts_db(request),
        )
    except api.NotAssigned as err:
        raise HTTPException(403, err.problems[0].text("zh")) from None


@router.post("/submissions", status_code=201, responses={403: {}, 422: {}})
def upload(
    request: Request,
    file: UploadFile = File(...),
    system: str | None = Form(None),
    user: dict = Depends(require("assessor")),
):
    """Upload a submission (multipart field `file`, optional `system`): 201 with the `score
    --json` object, whose `assessment` names the new assessment; 422 with the problems by
    field or sheet!cell. The uploading assessor is assigned to the submission."""
    return JSONResponse(accept(request, user, file, system), 201)
