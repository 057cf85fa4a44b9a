"""The workspace's record of submissions: each upload (which kept file is the submission's
base), each assessor's judgment as its own row, and each assessment the workspace made.

A judgment is one row committed in its own transaction, never a file read, changed and written
back: any number of assessors in any number of server processes may judge one submission at
once and none is lost. The submission an assessment scores is built from the base upload and
every judgment row at that moment (demozone.api.workspace).
"""

from __future__ import annotations

import datetime
import functools
import json

from sqlalchemy import Boolean, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from demozone.accounts import database
from demozone.accounts.tables import Base, now


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission: Mapped[str] = mapped_column(String(400), nullable=False, index=True)
    kept: Mapped[str] = mapped_column(String(400), nullable=False)  # the kept file's name
    filename: Mapped[str] = mapped_column(String(400), default="")  # as uploaded
    system: Mapped[str] = mapped_column(String(400), default="")  # the system asked for, or ""
    uploader: Mapped[str] = mapped_column(String(200), nullable=False)
    time: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=now)


class JudgmentRow(Base):
    __tablename__ = "judgments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission: Mapped[str] = mapped_column(String(400), nullable=False, index=True)
    clause: Mapped[str] = mapped_column(String(100), nullable=False)
    assessor: Mapped[str] = mapped_column(String(200), nullable=False)
    satisfied: Mapped[bool] = mapped_column(Boolean, nullable=False)
    evidence: Mapped[str] = mapped_column(Text, default="[]")  # a JSON list of evidence ids
    note: Mapped[str] = mapped_column(Text, default="")
    time: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=now)


class WorkspaceAssessment(Base):
    __tablename__ = "workspace_assessments"

    id: Mapped[str] = mapped_column(String(400), primary_key=True)  # the assessment's id
    iri: Mapped[str] = mapped_column(String(800), nullable=False, index=True)
    submission: Mapped[str] = mapped_column(String(400), nullable=False, index=True)
    kept: Mapped[str] = mapped_column(String(400), nullable=False)  # the file it scored
    system: Mapped[str] = mapped_column(String(400), default="")
    user: Mapped[str] = mapped_column(String(200), nullable=False)
    result: Mapped[str] = mapped_column(Text, nullable=False)  # the score --json object
    time: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=now)


@functools.cache
def _ready(url: str) -> str:
    """The URL, once this module's tables exist (several workers may create them at once)."""
    database.create_tables(database.engine(url))  # several workers may create them at once
    return url


def _open(db: str | None, store: str | None):
    return database.session(_ready(database.database_url(db, store)))


def record_upload(
    submission: str,
    kept: str,
    filename: str,
    system: str,
    uploader: str,
    *,
    db: str | None = None,
    store: str | None = None,
) -> None:
    """Remember an uploaded file as the base of its submission (the latest upload is)."""
    with _open(db, store) as s:
        s.add(
            Upload(
                submission=submission,
                kept=kept,
                filename=filename,
                system=system,
                uploader=uploader,
            )
        )
        s.commit()


def latest_upload(
    submission: str, *, db: str | None = None, store: str | None = None
) -> dict | None:
    """The latest upload of a submission: {submission, kept, filename, system, uploader}."""
    with _open(db, store) as s:
        row = s.scalar(
            select(Upload).where(Upload.submission == submission).order_by(Upload.id.desc())
        )
        if row is None:
            return None
        return {
            "submission": row.submission,
            "kept": row.kept,
            "filename": row.filename,
            "system": row.system,
            "uploader": row.uploader,
        }


def add_judgments(
    submission: str,
    assessor: str,
    judgments: list[dict],
    *,
    db: str | None = None,
    store: str | None = None,
) -> int:
    """Add an assessor's judgments ({clause, satisfied, evidence, note}) to a submission, in one
    transaction of their own; answers the id of the last row added."""
    with _open(db, store) as s:
        rows = [
            JudgmentRow(
                submission=submission,
                clause=str(j["clause"]),
                assessor=assessor,
                satisfied=bool(j["satisfied"]),
                evidence=json.dumps(list(j.get("evidence") or []), ensure_ascii=False),
                note=str(j.get("note") or ""),
            )
            for j in judgments
        ]
        s.add_all(rows)
        s.commit()
        return max((r.id for r in rows), default=0)


def judgments_of(submission: str, *, db: str | None = None, store: str | None = None) -> list[dict]:
    """Every judgment row of a submission, oldest first: {id, clause, assessor, satisfied,
    evidence, note, time}."""
    with _open(db, store) as s:
        rows = s.scalars(
            select(JudgmentRow).where(JudgmentRow.submission == submission).order_by(JudgmentRow.id)
        )
        return [
            {
                "id": r.id,
                "clause": r.clause,
                "assessor": r.assessor,
                "satisfied": r.satisfied,
                "evidence": json.loads(r.evidence or "[]"),
                "note": r.note,
                "time": r.time.isoformat() if r.time else None,
            }
            for r in rows
        ]


def record_assessment(
    assessment: str,
    iri: str,
    submission: str,
    kept: str,
    system: str,
    user: str,
    result: dict,
    *,
    db: str | None = None,
    store: str | None = None,
) -> None:
    """Remember an assessment the workspace made: the file it scored and its score object."""
    with _open(db, store) as s:
        if s.get(WorkspaceAssessment, assessment) is None:
            s.add(
                WorkspaceAssessment(
                    id=assessment,
                    iri=iri,
                    submission=submission,
                    kept=kept,
                    system=system,
                    user=user,
                    result=json.dumps(result, ensure_ascii=False),
                )
            )
            s.commit()


def workspace_assessment(
    reference: str, *, db: str | None = None, store: str | None = None
) -> dict | None:
    """An assessment the workspace made, by id or IRI: {id, iri, submission, kept, system,
    user, result, time}; None when the workspace made none of that name."""
    with _open(db, store) as s:
        row = s.get(WorkspaceAssessment, reference) or s.scalar(
            select(WorkspaceAssessment).where(WorkspaceAssessment.iri == reference)
        )
        if row is None:
            return None
        return {
            "id": row.id,
            "iri": row.iri,
            "submission": row.submission,
            "kept": row.kept,
            "system": row.system,
            "user": row.user,
            "result": json.loads(row.result),
            "time": row.time.isoformat() if row.time else None,
        }


def submission_assessments(
    submission: str, *, db: str | None = None, store: str | None = None
) -> list[dict]:
    """The workspace's assessments of a submission, newest first: {id, iri, user, time, total,
    passed}."""
    with _open(db, store) as s:
        rows = s.scalars(
            select(WorkspaceAssessment)
            .where(WorkspaceAssessment.submission == submission)
            .order_by(WorkspaceAssessment.time.desc())
        )
        out = []
        for row in rows:
            result = json.loads(row.result)
            out.append(
                {
                    "id": row.id,
                    "iri": row.iri,
                    "user": row.user,
                    "time": row.time.isoformat() if row.time else None,
                    "total": result.get("total"),
                    "passed": result.get("passed"),
                }
            )
        return out
