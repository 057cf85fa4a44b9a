"""Which submissions an assessor is assigned to."""

from __future__ import annotations

from sqlalchemy import select

from demozone.accounts import database
from demozone.accounts.auditlog import record
from demozone.accounts.tables import Assignment, User
from demozone.accounts.users import _find, mistake


def assign_submission(
    submission: str,
    assessor: str,
    *,
    by: str = "cli",
    db: str | None = None,
    store: str | None = None,
) -> dict:
    """Assign a submission (its id or file) to an assessor; assigning twice is harmless.
    InputError for an unknown user or one who is not an assessor."""
    if not submission or not submission.strip():
        raise mistake("submission", "the submission is empty", "申报材料标识不能为空")
    with database.session(database.database_url(db, store)) as s:
        user = _find(s, assessor)
        if user.role != "assessor":
            raise mistake(
                "assessor",
                f"{assessor!r} is a {user.role}, not an assessor",
                f"{assessor!r} 的角色不是评估专家（assessor）",
            )
        known = s.get(Assignment, (submission, user.id))
        if known is None:
            s.add(Assignment(submission=submission, user_id=user.id))
            record(s, by, "assignment.add", submission, f"assessor={assessor}")
            s.commit()
        return {"submission": submission, "assessor": assessor}


def assignments(
    assessor: str | None = None, *, db: str | None = None, store: str | None = None
) -> list[dict]:
    """Every assignment ({submission, assessor}), or one assessor's."""
    with database.session(database.database_url(db, store)) as s:
        query = select(Assignment.submission, User.name).join(User)
        if assessor is not None:
            query = query.where(User.name == assessor)
        rows = s.execute(query.order_by(Assignment.submission, User.name))
        return [{"submission": sub, "assessor": name} for sub, name in rows]


def is_assigned(
    submission: str, assessor: str, *, db: str | None = None, store: str | None = None
) -> bool:
    """Whether this assessor is assigned to this submission."""
    return any(a["submission"] == submission for a in assignments(assessor, db=db, store=store))
