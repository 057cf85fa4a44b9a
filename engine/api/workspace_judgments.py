"""Judgments recorded in the web workspace: each assessor's judgment a row of the accounts
database, the submission rebuilt from its base upload and every row, and scored again as a new
assessment attributed to the assessor (see demozone.api.workspace for where files are kept)."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import json
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml

from demozone.accounts import judgments as rows
from demozone.accounts.assignments import is_assigned
from demozone.accounts.auditlog import audit
from demozone.api.workspace import (
    NotAssigned,
    UnknownAssessment,
    keep_file,
    kept_path,
    problem,
    score_kept,
    submissions_folder,
    validated_submission,
)
from demozone.common.errors import InputError, Problem


def _judgment_problems(judgments) -> list[Problem]:
    if not isinstance(judgments, list) or not judgments:
        return [
            problem(
                "judgments",
                "judgments",
                "judgments must be a non-empty list",
                "judgments 应为非空列表",
                "[{clause, satisfied, evidence}]",
            )
        ]
    found = []
    for index, item in enumerate(judgments):
        where = f"judgments[{index}]"
        if not isinstance(item, dict):
            found.append(
                problem(
                    "judgments",
                    where,
                    "a judgment must be an object",
                    "评审意见应为对象",
                    "{clause, satisfied, evidence}",
                )
            )
            continue
        if not isinstance(item.get("clause"), str) or not item["clause"].strip():
            found.append(
                problem(
                    "judgments",
                    f"{where}.clause",
                    "clause is missing",
                    "缺少条款编号 clause",
                    '"10.1"',
                )
            )
        if not isinstance(item.get("satisfied"), bool):
            found.append(
                problem(
                    "judgments",
                    f"{where}.satisfied",
                    f"satisfied must be true or false, got {item.get('satisfied')!r}",
                    "satisfied 应为 true（满足）或 false（不满足）",
                    "true | false",
                )
            )
        evidence = item.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            found.append(
                problem(
                    "judgments",
                    f"{where}.evidence",
                    "evidence must be a list of evidence ids",
                    "evidence 应为证明材料编号的列表",
                    "[E1, E2]",
                )
            )
    return found


def _base_document(kept: Path) -> dict:
    """The kept base file as a document (a workbook converted to YAML first)."""
    if kept.suffix == ".json":
        return json.loads(kept.read_text(encoding="utf-8"))
    if kept.suffix in (".yaml", ".yml"):
        return yaml.safe_load(kept.read_text(encoding="utf-8")) or {}
    from demozone.api.workbooks import convert

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "converted.yaml"
        convert(kept, target)
        return yaml.safe_load(target.read_text(encoding="utf-8")) or {}


def _document_with(base: dict, judged: list[dict]) -> dict:
    """The base document with the judgment rows: each assessor's latest judgment of a clause
    replaces what the base (or an earlier row) said for that assessor and clause."""
    latest: dict[tuple[str, str], dict] = {}
    for row in judged:
        entry = {
            "clause": row["clause"],
            "satisfied": row["satisfied"],
            "evidence": list(row.get("evidence") or []),
            "assessor": row["assessor"],
        }
        if row.get("note"):
            entry["note"] = row["note"]
        latest[(row["clause"], row["assessor"])] = entry
    document = copy.deepcopy(base)
    kept = [
        j
        for j in document.get("judgments") or []
        if not (isinstance(j, dict) and (str(j.get("clause")), j.get("assessor")) in latest)
    ]
    document["judgments"] = kept + list(latest.values())
    return document


def _keep_document(document: dict, base_kept: str, store, db) -> str:
    """Keep a built document as YAML beside its base, with the base's evidence files."""
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")
    folder = submissions_folder(store, db)
    base = kept_path(base_kept, store, db)
    evidence = [
        str(item["file"])
        for item in document.get("evidence") or []
        if isinstance(item, dict) and item.get("file")
    ]
    return keep_file(text, ".yaml", folder, base.parent, evidence)


def _built(submission: str, upload: dict, store, db) -> tuple[str, int]:
    """Keep the document of the base upload and every judgment row now: (kept, last row id)."""
    judged = rows.judgments_of(submission, db=db, store=store)
    base = _base_document(kept_path(upload["kept"], store, db))
    kept = _keep_document(_document_with(base, judged), upload["kept"], store, db)
    return kept, max((r["id"] for r in judged), default=0)


def record_judgments(
    assessment: str,
    judgments: list[dict],
    assessor: str,
    *,
    store: str | None = None,
    db: str | None = None,
) -> dict:
    """Add `assessor`'s judgments ({clause, satisfied, evidence, note}) to the submission of a
    workspace assessment (id or IRI) and record a new assessment of it, attributed to the
    assessor; answers its `score --json` object.

    Each judgment is committed as its own row before the document is built, so judgments sent
    at once by many assessors are all kept; the assessment scores the base upload with every
    row committed by then (one build at a time per submission, so the newest assessment holds
    them all). Raises UnknownAssessment, NotAssigned when the assessor
    is not assigned to the submission, InputError with the CLI's problems for a judgment the
    submission cannot take (nothing is recorded then).
    """
    found = rows.workspace_assessment(assessment, db=db, store=store)
    if found is None:
        raise UnknownAssessment(
            [
                problem(
                    assessment,
                    "assessment",
                    "no such assessment in the workspace",
                    "工作台中没有该评估记录",
                )
            ]
        )
    submission = found["submission"]
    if not is_assigned(submission, assessor, db=db, store=store):
        raise NotAssigned(
            [
                problem(
                    assessment,
                    "assessor",
                    f"{assessor} is not assigned to {submission}",
                    f"{assessor} 未被分配评审申报材料 {submission}",
                )
            ]
        )
    problems = _judgment_problems(judgments)
    if problems:
        raise InputError(problems)
    upload = rows.latest_upload(submission, db=db, store=store)
    if upload is None:
        raise UnknownAssessment(
            [
                problem(
                    assessment,
                    "submission",
                    "the submission was not uploaded to the workspace",
                    "该申报材料未上传至工作台",
                )
            ]
        )
    new = [{**j, "assessor": assessor} for j in judgments]
    _check_document(submission, upload, new, store, db)
    last = rows.add_judgments(submission, assessor, judgments, db=db, store=store)
    # one build at a time per submission (across processes): each build reads every row
    # committed before it, so the newest assessment in the chain holds every judgment
    with _one_at_a_time(submission, store, db):
        kept, _included = _built(submission, upload, store, db)
        shaped = score_kept(kept, upload["system"], assessor, store, db)
    audit(
        assessor,
        "judgment.add",
        submission,
        f"{len(judgments)} judgment(s), rows up to {last}, {shaped['assessment']}",
        db=db,
        store=store,
    )
    return shaped


@contextlib.contextmanager
def _one_at_a_time(submission: str, store, db) -> Iterator[None]:
    """An exclusive lock on one submission, held by one process (and thread) at a time: a lock
    file in the submissions folder, which every worker of a deployment shares anyway."""
    folder = submissions_folder(store, db) / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(submission.encode("utf-8")).hexdigest()[:32]
    with open(folder / f"{name}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _check_document(submission: str, upload: dict, new: list[dict], store, db) -> None:
    """Load the document these judgments would make, writing nothing: InputError if it fails."""
    judged = rows.judgments_of(submission, db=db, store=store) + new
    base = _base_document(kept_path(upload["kept"], store, db))
    document = _document_with(base, judged)
    folder = kept_path(upload["kept"], store, db).parent
    with tempfile.TemporaryDirectory(prefix=".checking-", dir=folder.parent) as scratch:
        path = Path(scratch) / f"{secrets.token_hex(4)}.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
        validated_submission(path, upload["system"] or None, folder, "judgments")
