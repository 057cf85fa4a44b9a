"""The policy room: the systems and rule sets as tables, one rule set's indicators, the diff
memo between two rule sets, lint results; impact runs (pages/policy_impact.py) and adding a
variant to the policy folder (pages/policy_variants.py).

Policy staff and admins write (add a variant); auditors read every page and may run an
impact analysis, which writes nothing; assessors are refused (403).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from demozone import api
from demozone.web import i18n
from demozone.web.auth import require
from demozone.web.pages import policy_impact, policy_variants
from demozone.web.pages.policy_shared import READERS, ROOM, policy_folder, rule_set_ids
from demozone.web.templating import render

router = APIRouter(prefix="/policy")


@router.get("/")
def index(
    request: Request,
    added: str = "",
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
):
    """The indicator systems and every rule set with its base and where it comes from."""
    lang = i18n.language(request)
    systems = [
        {
            **row,
            "status_text": api.status_text(row["status"], lang),
            "pass_text": api.pass_rule_text(row["pass_rule"], lang),
            "lineage_text": api.lineage_text(row, lang),
        }
        for row in api.systems()
    ]
    return render(
        request,
        "policy/index.html",
        room=ROOM,
        systems=systems,
        rule_sets=api.rule_sets(),
        folder=str(folder),
        added=added,
    )


@router.get("/rules/{rule_set}")
def rule_set(
    request: Request,
    rule_set: str,
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
):
    """One rule set's indicators: levels, points, clause text and what its rules award."""
    if rule_set not in rule_set_ids():
        return render(request, "policy/missing.html", 404, room=ROOM, what=rule_set)
    table = api.rule_set_table(rule_set, i18n.language(request))
    return render(request, "policy/rules.html", room=ROOM, table=table)


@router.get("/diff")
def diff(
    request: Request,
    a: str = "",
    b: str = "",
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
):
    """The form of two selects, and the diff memo between the two rule sets chosen."""
    ids = rule_set_ids()
    memo, lint_errors, status = "", [], 200
    if a and b:
        if a not in ids or b not in ids:
            return render(request, "policy/missing.html", 404, room=ROOM, what=f"{a} / {b}")
        lint_errors = api.lint_errors([a, b])
        memo = api.render_memo(api.diff_systems(a, b), i18n.language(request))
    return render(
        request,
        "policy/diff.html",
        status,
        room=ROOM,
        ids=ids,
        a=a,
        b=b,
        memo=memo,
        lint_errors=lint_errors,
    )


@router.get("/lint")
def lint(
    request: Request,
    target: str = "",
    user: dict = Depends(require(*READERS)),
    folder=Depends(policy_folder),
):
    """Lint results of every rule set, or of the one chosen."""
    ids = rule_set_ids()
    if target and target not in ids:
        return render(request, "policy/missing.html", 404, room=ROOM, what=target)
    reports = [report.to_dict() for report in api.lint([target] if target else ids)]
    return render(request, "policy/lint.html", room=ROOM, ids=ids, target=target, reports=reports)


router.include_router(policy_impact.router)
router.include_router(policy_variants.router)
