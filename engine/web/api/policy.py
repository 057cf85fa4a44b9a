"""The policy room's JSON under /api/policy: rule sets, one rule set's table, the diff between
two, lint results, an impact run over stored or example submissions, and adding a variant
(multipart `file`, optional `base` and `id`; 201, or 422 with lint's findings when refused).

Policy staff and admins may add variants; auditors read and run impact (nothing is written);
other roles get 403, no session 401, a POST without X-CSRF-Token 403."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from demozone import api
from demozone.web import deps
from demozone.web.auth import require
from demozone.web.pages.policy_shared import READERS, WRITERS, policy_folder, rule_set_ids

router = APIRouter(prefix="/api/policy", tags=["policy"])


def _known(*ids: str) -> None:
    unknown = [i for i in ids if i not in rule_set_ids()]
    if unknown:
        raise HTTPException(404, f"没有这个规则 / no such rule set: {', '.join(unknown)}")


@router.get("/rule-sets")
def rule_sets(user: dict = Depends(require(*READERS)), folder=Depends(policy_folder)) -> dict:
    """`demozone systems --json`: {"systems": [...], "rule_sets": [...]}."""
    return {"systems": api.systems(), "rule_sets": api.rule_sets()}


@router.get("/rule-sets/{rule_set}")
def rule_set(
    rule_set: str,
    lang: str = "zh",
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
) -> dict:
    """One rule set's indicators: levels, points, clause text, what its rules award."""
    _known(rule_set)
    return api.rule_set_table(rule_set, lang)


@router.get("/diff")
def diff(
    a: str, b: str, user: dict = Depends(require(*READERS)), folder=Depends(policy_folder)
) -> dict:
    """`demozone diff A B --json`, with the memo (Chinese) under "memo"."""
    _known(a, b)
    found = api.diff_systems(a, b)
    return {
        **found.to_dict(),
        "lint_errors": api.lint_errors([a, b]),
        "memo": api.render_memo(found),
    }


@router.get("/lint")
def lint(
    target: str = "", user: dict = Depends(require(*READERS)), folder=Depends(policy_folder)
) -> dict:
    """`demozone lint --json` of one rule set, or of every one."""
    if target:
        _known(target)
    reports = api.lint([target] if target else rule_set_ids())
    return {"ok": all(r.ok for r in reports), "reports": [r.to_dict() for r in reports]}


class ImpactAsked(BaseModel):
    a: str
    b: str
    stored: list[str] = []  # submission ids of the store (usable ones: see /policy/impact)
    examples: list[str] = []  # example folders (api.example_sets)


@router.post("/impact")
def impact(
    asked: ImpactAsked,
    request: Request,
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
) -> dict:
    """`demozone impact A B ... --json` over the chosen stored and example submissions."""
    _known(asked.a, asked.b)
    usable = {
        row["submission"]: row["file"]
        for row in api.stored_submissions(deps.store_location(request))
        if row["usable"]
    }
    sets = {row["name"]: row["files"] for row in api.example_sets()}
    unknown = [s for s in asked.stored if s not in usable]
    unknown += [e for e in asked.examples if e not in sets]
    if unknown or not (asked.stored or asked.examples):
        problems = [
            api.Problem(u, "", "not a usable submission or example", "无法使用的申报材料或示例")
            for u in unknown
        ] or [api.Problem("", "stored", "choose submissions", "请至少选择一份申报材料")]
        raise api.InputError(problems)
    files = [usable[s] for s in asked.stored] + [f for e in asked.examples for f in sets[e]]
    return api.impact_json(api.impact(asked.a, asked.b, files))


@router.post("/variants", status_code=201)
async def add_variant(
    request: Request,
    file: UploadFile = File(...),
    base: str = Form(""),
    id: str = Form(""),
    user: dict = Depends(require(*WRITERS)),
    folder=Depends(policy_folder),
    db: str = Depends(deps.accounts_db),
):
    """Lint the variant and add it to the policy folder: 201 {"system", "file", "lint"}; 422
    {"detail", "lint"} when lint finds errors (nothing written); 422 with the problems for a
    file that is not a rule set. Recorded in the audit log with the user."""
    name = Path(file.filename or "variant.yaml").name
    with tempfile.TemporaryDirectory(prefix="demozone-upload-") as scratch:
        upload = Path(scratch) / ("upload" + Path(name).suffix.lower())
        upload.write_bytes(await file.read())
        try:
            done = api.add_variant(
                upload, name, deps.store_location(request), base=base or None, system=id or None
            )
        except api.InputError as err:
            detail = "; ".join(p.render("en") for p in err.problems)[:2000]
            api.audit(user["name"], "policy.variant.refused", name, detail, db=db)
            raise
    if not done["written"]:
        lint = done["lint"]
        api.audit(user["name"], "policy.variant.refused", done["system"], "lint errors", db=db)
        detail = f"规则检查发现 {lint['errors']} 个错误，变体未被采用 / lint found errors"
        return JSONResponse({"detail": detail, "lint": lint}, 422)
    api.audit(
        user["name"], "policy.variant.add", done["system"], f"{name} -> {done['file']}", db=db
    )
    return {"system": done["system"], "file": done["file"], "lint": done["lint"]}
