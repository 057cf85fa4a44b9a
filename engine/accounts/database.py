"""Which accounts database, and opening it (tables created on first use)."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    NoSuchModuleError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.orm import Session, sessionmaker

from demozone.accounts.tables import Base
from demozone.common.errors import InputError, Problem, StoreError

_LOCK = 0x64656D6F  # the advisory lock key of table creation ("demo")
SUFFIX = "-accounts.sqlite"  # beside the store directory DIR: DIR-accounts.sqlite
DEFAULT_STORE = "demozone-data"  # the store's own default (demozone.store.location)


def database_url(db: str | None = None, store: str | None = None) -> str:
    """The database: `db` (a SQLAlchemy URL or a file path), else $DEMOZONE_DB, else the SQLite
    file DIR-accounts.sqlite beside the embedded store directory DIR (`store`, else
    $DEMOZONE_STORE, else ./demozone-data); a store on a server keeps it in
    ./demozone-accounts.sqlite.

    Beside, not inside: the store's directory holds only the store's own files (the embedded
    store refuses a directory with others in it)."""
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
        # pre-ping: a worker's pooled connection outlives a database restart
        made = create_engine(url, future=True, pool_pre_ping=True)
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
    if made.dialect.name == "sqlite":
        event.listen(made, "connect", _sqlite_pragmas)
    try:
        create_tables(made)
    except (OperationalError, ProgrammingError, IntegrityError) as err:
        made.dispose()
        raise StoreError(
            f"the accounts database cannot be opened (账户数据库无法打开): {url}: {err.orig}"
        ) from None
    return made


def _sqlite_pragmas(connection, _record) -> None:
    """Several workers (and the CLI beside them) share one file: wait for a lock instead of
    failing at once, and let readers read while one writes (write-ahead log)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA foreign_keys = ON")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint, WAL-safe
    cursor.close()


def create_tables(made: Engine, attempts: int = 3) -> None:
    """The tables of Base.metadata (every table module imported so far), made once however
    many workers start together on an empty database.

    PostgreSQL: the workers queue on an advisory lock held for the transaction that creates
    them, so the second finds them made. Elsewhere a worker that lost the race to create a
    table sees it made on its next attempt."""
    for attempt in range(attempts):
        try:
            with made.begin() as connection:
                if made.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
                Base.metadata.create_all(connection)
            return
        except (OperationalError, ProgrammingError, IntegrityError):
            if attempt == attempts - 1:
                raise


def session(url: str) -> Session:
    """A new ORM session (use as a context manager; commit explicitly)."""
    return sessionmaker(engine(url), expire_on_commit=False)()
