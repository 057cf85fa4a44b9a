"""Who is asking, and may they: the FastAPI dependencies every route uses.

    user = Depends(current_user)          # read-only: 401 (pages: to /login) without a session
    user = Depends(csrf_checked)          # also a valid CSRF token on POST/PUT/PATCH/DELETE: 403
    user = Depends(require("assessor"))   # csrf_checked and one of these roles: 403

A user is the dict of demozone.api.session_user: name, role, disabled, created, csrf.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request

from demozone import api
from demozone.web import deps
from demozone.web.security import SAFE_METHODS, SESSION_COOKIE, sent_csrf_token, tokens_match


class LoginRequired(Exception):
    """A page asked for without a session: app.py answers with a redirect to /login."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def optional_user(request: Request) -> dict | None:
    """The logged-in user, or None."""
    if not hasattr(request.state, "user"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.user = api.session_user(token, db=deps.accounts_db(request))
    return request.state.user


def current_user(request: Request) -> dict:
    """The logged-in user; without one, 401 for the API and a redirect to /login for pages."""
    user = optional_user(request)
    if user is None:
        if is_api(request):
            raise HTTPException(401, "请先登录 / not logged in")
        raise LoginRequired(request.url.path)
    return user


async def csrf_checked(request: Request, user: dict = Depends(current_user)) -> dict:
    """The logged-in user, after checking the CSRF token of a state-changing request (403)."""
    if request.method not in SAFE_METHODS and not tokens_match(
        user["csrf"], await sent_csrf_token(request)
    ):
        raise HTTPException(403, "CSRF 令牌缺失或无效 / missing or invalid CSRF token")
    return user


def require(*roles: str) -> Callable:
    """A dependency: the logged-in user if their role is one of `roles` (403 otherwise), the
    CSRF token checked on state-changing requests."""

    def role_checked(user: dict = Depends(csrf_checked)) -> dict:
        if user["role"] not in roles:
            raise HTTPException(
                403,
                f"您的角色（{user['role']}）无权进行此操作 / role {user['role']} may not do this",
            )
        return user

    return role_checked
