"""The assessor room (a stub: its index lists the submissions assigned to the assessor)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from demozone import api
from demozone.web import deps
from demozone.web.auth import require
from demozone.web.templating import render

router = APIRouter(prefix="/assessor")


@router.get("/")
def index(request: Request, user: dict = Depends(require("assessor"))):
    """My assigned submissions."""
    assigned = api.assignments(user["name"], db=deps.accounts_db(request))
    return render(request, "assessor/index.html", room="room.assessor", assigned=assigned)
