"""The login page and its form; logging out from the header's form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from demozone import api
from demozone.web import deps, i18n, security
from demozone.web.auth import csrf_checked
from demozone.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    # only a path of this site: never an open redirect to another
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _login_form(request: Request, status: int = 200, error: str = "", next_: str = "/"):
    token = security.new_token()
    response = render(request, "login.html", status, login_csrf=token, error=error, next=next_)
    secure = deps.settings(request).secure_cookies
    security.set_cookie(response, security.LOGIN_CSRF_COOKIE, token, secure=secure)
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/"):
    """The login form."""
    return _login_form(request, next_=_safe_next(next))


@router.post("/login")
def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf: str = Form(""),
    next: str = Form("/"),
):
    """Check the form (its login CSRF token first), open a session, go to `next`."""
    lang = i18n.language(request)
    if not security.tokens_match(request.cookies.get(security.LOGIN_CSRF_COOKIE), csrf):
        return _login_form(request, 403, i18n.translate("error.csrf", lang), _safe_next(next))
    address = request.client.host if request.client else ""
    try:
        opened = api.log_in(username, password, address, db=deps.accounts_db(request))
    except api.TooManyAttempts as err:
        return _login_form(request, 429, err.problems[0].text(lang), _safe_next(next))
    except api.InputError:
        return _login_form(request, 401, i18n.translate("login.failed", lang), _safe_next(next))
    response = RedirectResponse(_safe_next(next), status_code=303)
    security.set_session_cookie(
        response, opened["token"], secure=deps.settings(request).secure_cookies
    )
    response.delete_cookie(security.LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout_submit(request: Request, user: dict = Depends(csrf_checked)):
    """End the session (the header's form carries the CSRF token)."""
    api.log_out(request.cookies.get(security.SESSION_COOKIE), db=deps.accounts_db(request))
    response = RedirectResponse("/login", status_code=303)
    security.clear_session_cookie(response)
    return response
