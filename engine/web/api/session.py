"""POST /api/login and /api/logout: a session for scripts and other systems."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel

from demozone import api
from demozone.web import deps, security
from demozone.web.auth import csrf_checked

router = APIRouter(prefix="/api", tags=["session"])


class Credentials(BaseModel):
    username: str
    password: str


class Opened(BaseModel):
    csrf: str  # send it back as X-CSRF-Token on every state-changing call


@router.post("/login", response_model=Opened, responses={401: {}, 429: {}})
def login(credentials: Credentials, request: Request, response: Response) -> Opened:
    """Log in: the session cookie is set and the CSRF token answered. 401 for a wrong name or
    password, 429 after 5 failures of one name from one address in 15 minutes."""
    address = request.client.host if request.client else ""
    try:
        opened = api.log_in(
            credentials.username, credentials.password, address, db=deps.accounts_db(request)
        )
    except api.TooManyAttempts:
        raise  # 429, by the app's handler
    except api.InputError as err:
        raise HTTPException(401, err.problems[0].text("zh")) from None
    secure = deps.settings(request).secure_cookies
    security.set_session_cookie(response, opened["token"], secure=secure)
    return Opened(csrf=opened["csrf"])


@router.post("/logout", status_code=204)
def logout(request: Request, user: dict = Depends(csrf_checked)) -> Response:
    """End the session (needs X-CSRF-Token)."""
    api.log_out(request.cookies.get(security.SESSION_COOKIE), db=deps.accounts_db(request))
    response = Response(status_code=204)
    security.clear_session_cookie(response)
    return response
