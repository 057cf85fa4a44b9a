"""The audit log: every write by whom, what, on what; read back newest first."""

from __future__ import annotations

from sqlalchemy import select

from demozone.accounts import database
from demozone.accounts.tables import AuditEntry


def record(db_session, user: str, action: str, obj: str = "", detail: str = "") -> None:
    """Add one entry to the log within the caller's transaction (committed with its write)."""
    db_session.add(AuditEntry(user=user, action=action, object=obj, detail=detail))


def audit(
    user: str,
    action: str,
    obj: str = "",
    detail: str = "",
    *,
    db: str | None = None,
    store: str | None = None,
) -> None:
    """Record one write made elsewhere (a judgment, an upload) as done by `user`."""
    with database.session(database.database_url(db, store)) as s:
        record(s, user, action, obj, detail)
        s.commit()


def audit_log(*, limit: int = 200, db: str | None = None, store: str | None = None) -> list[dict]:
    """The newest entries first: time, user, action, object, detail."""
    with database.session(database.database_url(db, store)) as s:
        rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
        return [
            {
                "time": e.time.isoformat() if e.time else None,
                "user": e.user,
                "action": e.action,
                "object": e.object,
                "detail": e.detail,
            }
            for e in rows
        ]
