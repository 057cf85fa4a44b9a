"""The auditor room (a stub: its index page; the room's pages are added here)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from demozone.web.auth import require
from demozone.web.templating import render

router = APIRouter(prefix="/auditor")


@router.get("/")
def index(request: Request, user: dict = Depends(require("auditor"))):
    """The room's first page."""
    return render(request, "room.html", room="room.auditor")
