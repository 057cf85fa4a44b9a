"""The home page after login: the rooms of the user's role."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from demozone.web.auth import current_user
from demozone.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, user: dict = Depends(current_user)):
    """The user's rooms."""
    return render(request, "home.html")
