"""Users and their roles: adding, listing, disabling, changing a password, checking one.

Every function takes the database as `db` (a URL or file) and `store` (whose folder holds the
default SQLite file), see demozone.accounts.database. User mistakes raise InputError.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from demozone.accounts import database
from demozone.accounts.auditlog import record
from demozone.accounts.tables import ROLES, Session, User
from demozone.common.errors import InputError, Problem

_HASHER = PasswordHasher()
# verified against when the user does not exist, so that an unknown name costs the same time
_DUMMY_HASH = _HASHER.hash("demozone: not a password")


def mistake(path: str, message: str, message_zh: str, expected: str = "") -> InputError:
    """One user mistake about an account, as the InputError the CLI and the web both show."""
    return InputError([Problem("accounts", path, message, message_zh, expected)])


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise mistake(
            "name", "a user name must be 1 to 200 characters", "用户名须为 1 至 200 个字符"
        )
    return name


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise mistake(
            "role", f"unknown role {role!r}", f"未知角色 {role!r}", expected=" | ".join(ROLES)
        )
    return role


def _checked_password(password: str) -> str:
    if not password or not password.strip():
        raise mistake("password", "the password is empty", "密码不能为空")
    return password


def user_view(user: User) -> dict:
    return {
        "name": user.name,
        "role": user.role,
        "disabled": user.disabled,
        "created": user.created.isoformat() if user.created else None,
    }


def _find(db_session, name: str) -> User:
    user = db_session.scalar(select(User).where(User.name == name))
    if user is None:
        raise mistake("name", f"no user named {name!r}", f"没有名为 {name!r} 的用户")
    return user


def add_user(
    name: str,
    role: str,
    password: str,
    *,
    by: str = "cli",
    db: str | None = None,
    store: str | None = None,
) -> dict:
    """Add a user with a role (assessor, policy, auditor, admin) and an argon2-hashed password;
    returns the user's view. InputError for a bad name or role, an empty password or a name
    already taken."""
    name, role = _checked_name(name), _checked_role(role)
    password = _checked_password(password)
    url = database.database_url(db, store)
    with database.session(url) as s:
        if s.scalar(select(User).where(User.name == name)) is not None:
            raise mistake("name", f"a user named {name!r} exists", f"用户 {name!r} 已存在")
        user = User(name=name, role=role, password_hash=_HASHER.hash(password))
        s.add(user)
        record(s, by, "user.add", name, f"role={role}")
        s.commit()
        return user_view(user)


def list_users(*, db: str | None = None, store: str | None = None) -> list[dict]:
    """Every user by name: name, role, disabled, created."""
    with database.session(database.database_url(db, store)) as s:
        return [user_view(u) for u in s.scalars(select(User).order_by(User.name))]


def get_user(name: str, *, db: str | None = None, store: str | None = None) -> dict:
    """One user's view; InputError when there is none of that name."""
    with database.session(database.database_url(db, store)) as s:
        return user_view(_find(s, name))


def disable_user(
    name: str, *, by: str = "cli", db: str | None = None, store: str | None = None
) -> dict:
    """Disable a user: no more logins, and their sessions end. InputError for an unknown name."""
    with database.session(database.database_url(db, store)) as s:
        user = _find(s, name)
        user.disabled = True
        end_sessions_of(s, user.id)
        record(s, by, "user.disable", name)
        s.commit()
        return user_view(user)


def set_password(
    name: str,
    password: str,
    *,
    by: str = "cli",
    db: str | None = None,
    store: str | None = None,
) -> dict:
    """Give a user a new password (their sessions end). InputError for an unknown name or an
    empty password."""
    password = _checked_password(password)
    with database.session(database.database_url(db, store)) as s:
        user = _find(s, name)
        user.password_hash = _HASHER.hash(password)
        end_sessions_of(s, user.id)
        record(s, by, "user.passwd", name)
        s.commit()
        return user_view(user)


def password_matches(db_session, name: str, password: str) -> User | None:
    """The enabled user whose name and password these are, else None (the same work is done
    for an unknown name, so timing does not tell which names exist)."""
    user = db_session.scalar(select(User).where(User.name == name))
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.disabled:
        return None
    return user


def end_sessions_of(db_session, user_id: int) -> None:
    """End every session of a user, within the caller's transaction."""
    db_session.execute(delete(Session).where(Session.user_id == user_id))
