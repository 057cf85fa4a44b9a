"""The policy room's upload: a variant (a YAML rule file, or a rule workbook made into a variant
of a base) added to the policy folder only when lint finds no error in it; the upload, accepted
or refused, is recorded in the audit log with its user."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from demozone import api
from demozone.web import deps, i18n
from demozone.web.auth import require
from demozone.web.pages.policy_shared import READERS, ROOM, WRITERS, policy_folder, rule_set_ids
from demozone.web.templating import render

router = APIRouter()

MAX_BYTES = 5 * 1024 * 1024  # a rule file or rule workbook is far smaller


def _page(request: Request, status: int = 200, **values):
    user = request.state.user
    shown = {"errors": (), "refused": None, "base": "", "variant": ""}
    return render(
        request,
        "policy/upload.html",
        status,
        room=ROOM,
        ids=rule_set_ids(),
        can_write=user["role"] in WRITERS,
        folder=str(api.policy_rules_dir(deps.store_location(request))),
        **(shown | values),
    )


@router.get("/upload")
def upload_form(
    request: Request, user: dict = Depends(require(*READERS)), folder=Depends(policy_folder)
):
    """The upload form (for policy staff and admins; auditors see that they may only read)."""
    return _page(request)


@router.post("/upload")
async def upload(
    request: Request,
    file: UploadFile = File(...),
    base: str = Form(""),
    variant: str = Form(""),
    user: dict = Depends(require(*WRITERS)),
    folder=Depends(policy_folder),
    db: str = Depends(deps.accounts_db),
):
    """Lint the uploaded variant; with no error, add it to the policy folder and go to the
    room's first page; with errors, 422 with the findings and nothing written. A file that is
    not a rule set answers 422 with the problems."""
    lang = i18n.language(request)
    store = deps.store_location(request)
    name = Path(file.filename or "variant.yaml").name
    data = await file.read(MAX_BYTES + 1)
    values = {"base": base, "variant": variant}
    if len(data) > MAX_BYTES:
        return _page(request, 413, errors=("文件过大 / the file is too large",), **values)
    with tempfile.TemporaryDirectory(prefix="demozone-upload-") as scratch:
        upload_path = Path(scratch) / ("upload" + Path(name).suffix.lower())
        upload_path.write_bytes(data)
        try:
            done = api.add_variant(
                upload_path, name, store, base=base or None, system=variant or None
            )
        except api.InputError as err:
            api.audit(user["name"], "policy.variant.refused", name, _problems(err, "en"), db=db)
            return _page(request, 422, errors=tuple(p.render(lang) for p in err.problems), **values)
    if not done["written"]:
        lint = done["lint"]
        detail = f"lint: {lint['errors']} errors"
        api.audit(user["name"], "policy.variant.refused", done["system"], detail, db=db)
        return _page(request, 422, refused=lint, **values)
    detail = f"{name} -> {done['file']} (lint: {done['lint']['warnings']} warnings)"
    api.audit(user["name"], "policy.variant.add", done["system"], detail, db=db)
    return RedirectResponse(f"/policy/?added={done['system']}", status_code=303)


def _problems(err: api.InputError, lang: str) -> str:
    return "; ".join(p.render(lang) for p in err.problems)[:2000]
