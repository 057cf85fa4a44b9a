"""Logging in and out: sessions by token, with their CSRF token, and the login rate limit."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from sqlalchemy import delete, func, select

from demozone.accounts import database
from demozone.accounts.auditlog import record
from demozone.accounts.tables import LoginAttempt, Session, User, now
from demozone.accounts.users import mistake, password_matches, user_view
from demozone.common.errors import InputError, Problem

SESSION_HOURS = 8  # one working day
MAX_FAILURES = 5  # failed logins of one name from one address ...
FAILURE_WINDOW = datetime.timedelta(minutes=15)  # ... within this time, then refused


class TooManyAttempts(InputError):
    """Too many failed logins of one name from one address: refused until the window passes."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime.datetime) -> datetime.datetime:
    # SQLite hands back naive datetimes for what was stored in UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _recent_failures(s, name: str, address: str) -> int:
    since = now() - FAILURE_WINDOW
    return s.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.name == name, LoginAttempt.address == address)
        .where(LoginAttempt.ok.is_(False), LoginAttempt.time >= since)
    )


def _forget_the_past(s) -> None:
    # attempts older than the window no longer count, expired sessions no longer open anything
    s.execute(delete(LoginAttempt).where(LoginAttempt.time < now() - FAILURE_WINDOW))
    s.execute(delete(Session).where(Session.expires < now()))


def log_in(
    name: str,
    password: str,
    address: str = "",
    *,
    db: str | None = None,
    store: str | None = None,
) -> dict:
    """Check a name and password and open a session: {token, csrf, user}. The token goes in
    the session cookie, never in a page. InputError for a wrong name or password (one message
    for both), TooManyAttempts after MAX_FAILURES failures in FAILURE_WINDOW."""
    name = (name or "").strip()
    with database.session(database.database_url(db, store)) as s:
        _forget_the_past(s)
        if _recent_failures(s, name, address) >= MAX_FAILURES:
            raise TooManyAttempts(
                [
                    Problem(
                        "login",
                        "username",
                        "too many failed logins: try again in 15 minutes",
                        "登录失败次数过多，请 15 分钟后再试",
                    )
                ]
            )
        user = password_matches(s, name, password)
        s.add(LoginAttempt(name=name, address=address, ok=user is not None))
        if user is None:
            s.commit()
            raise mistake("username", "wrong user name or password", "用户名或密码错误")
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = now() + datetime.timedelta(hours=SESSION_HOURS)
        s.add(Session(token_hash=_hash(token), user_id=user.id, csrf=csrf, expires=expires))
        record(s, user.name, "login", user.name, address)
        s.commit()
        return {"token": token, "csrf": csrf, "user": user_view(user)}


def session_user(
    token: str | None, *, db: str | None = None, store: str | None = None
) -> dict | None:
    """The user of a live session ({name, role, disabled, created, csrf}), else None."""
    if not token:
        return None
    with database.session(database.database_url(db, store)) as s:
        found = s.execute(
            select(Session, User).join(User).where(Session.token_hash == _hash(token))
        ).first()
        if found is None:
            return None
        session, user = found
        if _aware(session.expires) <= now() or user.disabled:
            return None
        return user_view(user) | {"csrf": session.csrf}


def log_out(token: str | None, *, db: str | None = None, store: str | None = None) -> None:
    """End the session of this token (nothing when there is none)."""
    if not token:
        return
    with database.session(database.database_url(db, store)) as s:
        found = s.execute(
            select(User.name).join(Session).where(Session.token_hash == _hash(token))
        ).first()
        s.execute(delete(Session).where(Session.token_hash == _hash(token)))
        if found is not None:
            record(s, found[0], "logout", found[0])
        s.commit()
