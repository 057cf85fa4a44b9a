"""FastAPI dependencies that give a route this server's store and accounts database.

    @router.get("/x")
    def x(store: str | None = Depends(store_location), db: str = Depends(accounts_db)): ...

then call `api.assess(..., store)` or `api.assignments(user, db=db)`.
"""

from __future__ import annotations

from fastapi import Request

from demozone.web.settings import Settings


def settings(request: Request) -> Settings:
    """The server's settings (set by create_app)."""
    return request.app.state.settings


def store_location(request: Request) -> str | None:
    """The store of this server: a directory or a SPARQL server URL (None: the API's default)."""
    return settings(request).store


def accounts_db(request: Request) -> str:
    """The accounts database of this server, as a SQLAlchemy URL (pass it as `db=`)."""
    return request.app.state.db_url
