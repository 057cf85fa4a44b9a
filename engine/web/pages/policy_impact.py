"""The policy room's impact page: a variant against its base (any two rule sets) over chosen
submissions, with every flip of pass/fail and its attribution.

The submissions are chosen among the store's (the latest assessment of each, usable when its
recorded file is still there unchanged: the store keeps digests, not files), the example folders
shipped beside the engine, and files uploaded with the form (kept only while the run lasts).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from demozone import api
from demozone.web import deps, i18n
from demozone.web.auth import require
from demozone.web.pages.policy_shared import READERS, ROOM, policy_folder, rule_set_ids
from demozone.web.templating import render

router = APIRouter()

MAX_UPLOADS = 200


def _page(request: Request, status: int = 200, **values):
    stored = api.stored_submissions(deps.store_location(request))
    ids = rule_set_ids()
    shown = {"a": ids[0] if ids else "", "b": "", "chosen": [], "result": None, "errors": ()}
    return render(
        request,
        "policy/impact.html",
        status,
        room=ROOM,
        ids=ids,
        stored=stored,
        examples=api.example_sets(),
        causes={
            k: v[1 if i18n.language(request) == "en" else 0]
            for k, v in api.IMPACT_CAUSE_WORDS.items()
        },
        **(shown | values),
    )


@router.get("/impact")
def impact_form(
    request: Request, user: dict = Depends(require(*READERS)), folder=Depends(policy_folder)
):
    """The form: rule sets A and B, and the submissions to score under both."""
    return _page(request)


@router.post("/impact")
async def impact_run(
    request: Request,
    a: str = Form(""),
    b: str = Form(""),
    stored: list[str] = Form([]),
    examples: list[str] = Form([]),
    files: list[UploadFile] = File([]),
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
):
    """Score the chosen submissions under A and B (nothing is written to the store): totals,
    verdicts, the indicators that moved with the rule changes behind them, each flip's cause.
    A mistake in the choice answers 422 on the page."""
    lang = i18n.language(request)
    ids = rule_set_ids()
    chosen = list(stored) + list(examples)
    errors = []
    if a not in ids or b not in ids:
        errors.append(i18n.translate("policy.missing", lang) + f"：{a} / {b}")
    usable = {
        row["submission"]: row["file"]
        for row in api.stored_submissions(deps.store_location(request))
        if row["usable"]
    }
    sets = {row["name"]: row["files"] for row in api.example_sets()}
    paths = [usable[s] for s in stored if s in usable]
    paths += [f for name in examples for f in sets.get(name, [])]
    uploads = [f for f in files if f.filename]
    unknown = [s for s in stored if s not in usable] + [e for e in examples if e not in sets]
    if unknown:
        errors.append("无法使用 / cannot use: " + "、".join(unknown))
    if not paths and not uploads:
        errors.append(i18n.translate("policy.impact.none_chosen", lang))
    if len(uploads) > MAX_UPLOADS:
        errors.append(f"最多 {MAX_UPLOADS} 个文件 / at most {MAX_UPLOADS} files")
    if errors:
        return _page(request, 422, a=a, b=b, chosen=chosen, errors=tuple(errors))
    with tempfile.TemporaryDirectory(prefix="demozone-impact-") as scratch:
        for index, upload in enumerate(uploads, start=1):
            target = Path(scratch) / f"{index:03d}-{_safe_name(upload.filename)}"
            target.write_bytes(await upload.read())
            paths.append(str(target))
        report = api.impact(a, b, paths)
        result = api.impact_json(report)
    for item in result["submissions"] + result["rejected"]:
        item["file"] = _shown_file(item["file"], scratch)
    return _page(request, a=a, b=b, chosen=chosen, result=result)


def _safe_name(name: str) -> str:
    """An uploaded file's own name, reduced to a plain file name (its suffix kept)."""
    plain = re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._") or "submission"
    return plain[-100:]


def _shown_file(file: str, scratch: str) -> str:
    """A file as the page names it: an upload by its own name, an example by its path from
    the installation."""
    path = Path(file)
    if file.startswith(scratch):
        return path.name.split("-", 1)[1]
    if "examples" in path.parts[:-1]:
        return str(Path(*path.parts[len(path.parts) - path.parts[::-1].index("examples") - 1 :]))
    return file
