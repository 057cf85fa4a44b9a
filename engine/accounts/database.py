"""Which accounts database, and opening it (tables created on first use)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from demozone.accounts.tables import Base
from demozone.common.errors import InputError, Problem, StoreError

SUFFIX = "-accounts.sqlite"  # beside the store: the store directory holds only its own files
DEFAULT_STORE = "demozone-data"  # the store's own default (demozone.store.location)


def database_url(db: str | None = None, store: str | None = None) -> str:
    """The database: `db` (a SQLAlchemy URL or a file path), else $DEMOZONE_DB, else the SQLite
    file STORE-accounts.sqlite beside the embedded store directory (`store`, else
    $DEMOZONE_STORE, else ./demozone-data); a store on a server keeps it in
    ./demozone-accounts.sqlite. Never inside the store directory, which the store refuses to open
    when it holds files of others."""
    chosen = db or os.environ.get("DEMOZONE_DB")
    if chosen:
        return chosen if "://" in chosen else f"sqlite:///{Path(chosen).resolve()}"
    where = store or os.environ.get("DEMOZONE_STORE") or DEFAULT_STORE
    if where.lower().startswith(("http://", "https://")):
        return f"sqlite:///{Path('demozone-accounts.sqlite').resolve()}"
    folder = Path(where).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder.parent / (folder.name + SUFFIX)}"


@functools.cache
def engine(url: str) -> Engine:
    """One engine per URL for the process, its tables created. InputError for a URL that is
    not a database URL, StoreError for a database that cannot be reached."""
    try:
        made = create_engine(url, future=True)
    except (ArgumentError, NoSuchModuleError) as err:
        raise InputError(
            [
                Problem(
                    "--db",
                    "",
                    f"not a database URL: {url} ({err})",
                    f"不是有效的数据库地址：{url}",
                    expected="postgresql+psycopg://USER@HOST/DB or a SQLite file",
                )
            ]
        ) from None
    if url.startswith("sqlite"):
        # several workers share one file: wait for a lock instead of failing at once
        @event.listens_for(made, "connect")
        def _sqlite_pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

    try:
        Base.metadata.create_all(made)
    except OperationalError as err:
        made.dispose()
        raise StoreError(
            f"the accounts database cannot be opened (账户数据库无法打开): {url}: {err.orig}"
        ) from None
    return made


def session(url: str) -> Session:
    """A new ORM session (use as a context manager; commit explicitly)."""
    return sessionmaker(engine(url), expire_on_commit=False)()
