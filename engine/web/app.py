"""The ASGI application: `create_app()` (uvicorn's factory, `demozone.web.app:create_app`).

ROUTERS lists every router of the workspace; a new room or API module adds its router here.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from demozone import api
from demozone.web import i18n, security
from demozone.web.api import assessments as assessments_api
from demozone.web.api import audit as audit_api
from demozone.web.api import docs as docs_api
from demozone.web.api import policy as policy_api
from demozone.web.api import session as session_api
from demozone.web.api import submissions as submissions_api
from demozone.web.api import systems as systems_api
from demozone.web.auth import LoginRequired, is_api
from demozone.web.pages import admin, assessor, auditor, home, login, policy
from demozone.web.settings import Settings
from demozone.web.templating import render

STATIC = Path(__file__).parent / "static"

ROUTERS = [
    login.router,
    home.router,
    assessor.router,
    policy.router,
    policy_api.router,
    auditor.router,
    admin.router,
    session_api.router,
    systems_api.router,
    docs_api.router,
    submissions_api.router,
    # before assessments: its GET /api/assessments/{reference:path} would take .../graph too
    audit_api.router,
    assessments_api.router,
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The workspace for these settings (default: from the environment `demozone serve` set)."""
    settings = settings or Settings.from_environment()
    app = FastAPI(
        title="demozone",
        docs_url=None,  # its page loads swagger from a CDN the CSP forbids: ours is /api/docs
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.db_url = api.database_url(settings.db, settings.store)
    api.use_policy_rules(settings.store)  # variants added in the policy room score everywhere
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    app.middleware("http")(remember_language)
    app.middleware("http")(security.security_headers)  # added last: outermost, sees every answer
    add_error_handlers(app)
    return app


async def remember_language(request: Request, call_next):
    """?lang=zh|en switches the language and keeps it in a cookie."""
    response = await call_next(request)
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, asked, samesite="strict", path="/")
    return response


def problem_text(err: api.InputError) -> str:
    """The CLI's message for an input error: each problem on a line, Chinese first."""
    return "\n".join(p.render("zh") for p in err.problems)


def add_error_handlers(app: FastAPI) -> None:
    """User mistakes as {"detail": ...} (422; 429 when rate-limited), pages redirected to the
    login or shown an error page."""

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, err: LoginRequired):
        return RedirectResponse(f"/login?next={err.path}", status_code=303)

    @app.exception_handler(api.InputError)
    async def input_error(request: Request, err: api.InputError):
        status = 429 if isinstance(err, api.TooManyAttempts) else 422
        problems = [p.to_dict() for p in err.problems]
        return JSONResponse({"detail": problem_text(err), "problems": problems}, status)

    @app.exception_handler(api.StoreError)
    async def store_error(request: Request, err: api.StoreError):
        return JSONResponse({"detail": f"存储不可用 / store error: {err}"}, 503)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException):
        if is_api(request) or err.status_code not in (401, 403, 404):
            return JSONResponse({"detail": err.detail}, err.status_code, headers=err.headers)
        return render(
            request, "error.html", err.status_code, status=err.status_code, detail=err.detail
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError):
        return JSONResponse({"detail": jsonable_encoder(err.errors())}, 422)
