"""The admin room: the users, and a form to add one (the pattern of a room's form: CSRF token,
the acting user recorded, a user mistake shown on the page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from demozone import api
from demozone.web import deps, i18n
from demozone.web.auth import require
from demozone.web.templating import render

router = APIRouter(prefix="/admin")

ROLE_CHOICES = ("assessor", "policy", "auditor", "admin")


def _users_page(request: Request, status: int = 200, errors: tuple[str, ...] = ()):
    users = api.list_users(db=deps.accounts_db(request))
    return render(
        request,
        "admin/index.html",
        status,
        room="room.admin",
        users=users,
        roles=ROLE_CHOICES,
        errors=errors,
    )


@router.get("/")
def index(request: Request, user: dict = Depends(require("admin"))):
    """Every user with role and state, and the form to add one."""
    return _users_page(request)


@router.post("/users")
def add_user(
    request: Request,
    name: str = Form(""),
    role: str = Form(""),
    password: str = Form(""),
    user: dict = Depends(require("admin")),
):
    """Add a user (recorded in the audit log as done by this admin); a mistake is shown on the
    page with status 422."""
    lang = i18n.language(request)
    try:
        api.add_user(name, role, password, by=user["name"], db=deps.accounts_db(request))
    except api.InputError as err:
        return _users_page(request, 422, tuple(p.text(lang) for p in err.problems))
    return RedirectResponse("/admin/", status_code=303)
