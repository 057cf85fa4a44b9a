"""Accounts of the web workspace through the API (demozone.accounts): users and roles,
sessions, assignments of submissions to assessors, the audit log.

Every function takes `db` (a SQLAlchemy URL or a SQLite file; else $DEMOZONE_DB) and `store`
(the default SQLite file is DIR-accounts.sqlite beside the embedded store's directory DIR).
"""

from __future__ import annotations

from demozone.accounts.assignments import assign_submission, assignments, is_assigned
from demozone.accounts.auditlog import audit, audit_log
from demozone.accounts.database import database_url
from demozone.accounts.sessions import TooManyAttempts, log_in, log_out, session_user
from demozone.accounts.tables import ROLES
from demozone.accounts.users import add_user, disable_user, get_user, list_users, set_password

__all__ = [
    "ROLES",
    "TooManyAttempts",
    "add_user",
    "assign_submission",
    "assignments",
    "audit",
    "audit_log",
    "database_url",
    "disable_user",
    "get_user",
    "is_assigned",
    "list_users",
    "log_in",
    "log_out",
    "session_user",
    "set_password",
]
