"""The admin room (a stub: its index lists the users)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from demozone import api
from demozone.web import deps
from demozone.web.auth import require
from demozone.web.templating import render

router = APIRouter(prefix="/admin")


@router.get("/")
def index(request: Request, user: dict = Depends(require("admin"))):
    """Every user with role and state."""
    users = api.list_users(db=deps.accounts_db(request))
    return render(request, "admin/index.html", room="room.admin", users=users)
