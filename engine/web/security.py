"""What keeps the workspace safe in a browser: the headers on every response, the session
cookie, and the CSRF token compared on every state-changing request.

The login rate limit (5 failures of one name from one address in 15 minutes) is the accounts'
own (demozone.api.log_in raises TooManyAttempts), so every worker shares it through the database.
"""

from __future__ import annotations

import secrets

from fastapi import Request, Response

# nothing loads from elsewhere: third-party scripts are vendored under /static/vendor/
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}

SESSION_COOKIE = "dz_session"
LOGIN_CSRF_COOKIE = "dz_login_csrf"  # the login form's token, before there is a session
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def security_headers(request: Request, call_next) -> Response:
    """HTTP middleware: the security headers on every response (pages, API, static, errors)."""
    response = await call_next(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def set_cookie(response: Response, name: str, value: str, *, secure: bool) -> None:
    """A cookie scripts cannot read and other sites never send."""
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=secure, path="/")


def set_session_cookie(response: Response, token: str, *, secure: bool) -> None:
    set_cookie(response, SESSION_COOKIE, token, secure=secure)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Whether a CSRF token is the expected one (in constant time)."""
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


async def sent_csrf_token(request: Request) -> str | None:
    """The CSRF token a request carries: the X-CSRF-Token header, else the form field `csrf`."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()  # cached by Starlette: the route reads it again
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None
