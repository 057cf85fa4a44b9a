"""Submissions uploaded to the web workspace, and the judgments assessors record on them.

Every file the workspace scores is kept by its sha256 in the submissions folder
(`submissions_folder`: beside the store), with copies of the evidence files it names, so a stored
assessment can be re-scored, explained, reported and judged later from what it recorded. An
upload is a submission's base; each judgment is a row of the accounts database (never a file
changed in place, so concurrent assessors lose none); the document an assessment scores is the
base with every judgment row at that moment, written as YAML beside the others.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import yaml

from demozone.accounts import judgments as rows
from demozone.accounts.assignments import assign_submission, is_assigned
from demozone.accounts.auditlog import audit
from demozone.accounts.database import database_url
from demozone.accounts.users import get_user
from demozone.assessment.assess import assess, load_for_scoring
from demozone.common.errors import InputError, Problem
from demozone.common.limits import MAX_FILE_BYTES
from demozone.scoring.report import result_json
from demozone.submission.load import SUBMISSION_SUFFIXES

FOLDER_VARIABLE = "DEMOZONE_SUBMISSIONS"  # where the kept files go (else beside the store)
EVIDENCE_VARIABLE = "DEMOZONE_EVIDENCE"  # where the evidence files of uploads are found
KEPT_NAME = "submission"


class NotAssigned(InputError):
    """The user is not assigned to the submission (the web answers 403)."""


class UnknownAssessment(InputError):
    """No assessment of that id or IRI was made in the workspace (the web answers 404)."""


def submissions_folder(store: str | None = None, db: str | None = None) -> Path:
    """Where kept submission files live: $DEMOZONE_SUBMISSIONS, else the folder
    `<store>-submissions` beside the embedded store's directory (the store's own holds nothing
    else), else (a store on a server) beside a SQLite accounts database,
    else ./demozone-submissions."""
    chosen = os.environ.get(FOLDER_VARIABLE)
    if chosen:
        return Path(chosen).resolve()
    where = store or os.environ.get("DEMOZONE_STORE") or "demozone-data"
    if not where.lower().startswith(("http://", "https://")):
        store_dir = Path(where).resolve()
        return store_dir.with_name(f"{store_dir.name}-submissions")
    url = database_url(db, store)
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).resolve().parent / "submissions"
    return Path("demozone-submissions").resolve()


def kept_path(kept: str, store: str | None = None, db: str | None = None) -> Path:
    """The kept file of that name (as `accept_submission` and `record_judgments` record it)."""
    return submissions_folder(store, db) / kept


def _problem(file: str, field: str, en: str, zh: str, expected: str = "") -> Problem:
    return Problem(file, field, en, zh, expected)


def _renamed(err: InputError, temporary: Path, filename: str) -> InputError:
    """The same problems, naming the file as the user knows it instead of the server's copy."""
    shown = []
    for p in err.problems:
        file = filename if p.file == str(temporary) else p.file
        shown.append(
            Problem(file, p.path, p.message, p.message_zh, p.expected, p.line, p.location.cell)
        )
    return type(err)(shown)


def _checked_upload(content: bytes, filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUBMISSION_SUFFIXES:
        raise InputError(
            [
                _problem(
                    filename or "",
                    "file",
                    f"not a submission file: {filename!r} (expected {', '.join(SUBMISSION_SUFFIXES)})",
                    f"不是申报材料文件：{filename!r}（应为 YAML、JSON 或 .xlsx 工作簿）",
                    ", ".join(SUBMISSION_SUFFIXES),
                )
            ]
        )
    if not content:
        raise InputError([_problem(filename, "file", "the file is empty", "文件为空")])
    if len(content) > MAX_FILE_BYTES:
        raise InputError(
            [
                _problem(
                    filename,
                    "file",
                    f"the file is larger than {MAX_FILE_BYTES} bytes",
                    f"文件超过 {MAX_FILE_BYTES} 字节",
                )
            ]
        )
    return suffix


def _keep(
    content: bytes, suffix: str, folder: Path, evidence_root: Path, evidence: list[str]
) -> str:
    """Keep the bytes as <sha256>/submission<suffix> with copies of its evidence files; the
    name kept. Written whole through a rename: another process keeping the same bytes at the
    same time keeps the same folder."""
    digest = hashlib.sha256(content).hexdigest()
    kept = f"{digest}/{KEPT_NAME}{suffix}"
    if (folder / kept).is_file():
        return kept
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
    (staging / f"{KEPT_NAME}{suffix}").write_bytes(content)
    root = Path(os.path.realpath(evidence_root))
    for name in evidence:
        source = Path(os.path.realpath(root / name))  # checked inside the root by the loader
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    try:
        staging.rename(folder / digest)
    except OSError:  # kept meanwhile by another process: the same bytes, the same files
        shutil.rmtree(staging, ignore_errors=True)
    return kept


def _validated(path: Path, system: str | None, evidence_root: Path, shown: str):
    try:
        return load_for_scoring(path, system, evidence_root)[0]
    except InputError as err:
        raise _renamed(err, path, shown) from None


def _scored(kept: str, system: str, user: str, store, db) -> dict:
    """Score a kept file, record the assessment (attributed to `user`), and remember it."""
    done = assess(
        kept_path(kept, store, db),
        system=system or None,
        store=store,
        again=True,
        attributed_to=user,
    )
    shaped = result_json(done.result, done.iri)
    rows.record_assessment(
        done.id,
        done.iri or "",
        done.result.submission_id,
        kept,
        system,
        user,
        shaped,
        db=db,
        store=store,
    )
    return shaped


def accept_submission(
    content: bytes,
    filename: str,
    *,
    system: str | None = None,
    user: str,
    store: str | None = None,
    db: str | None = None,
    evidence_root: str | Path | None = None,
) -> dict:
    """Validate, keep, score and record an uploaded submission file (YAML, JSON or .xlsx, by
    `filename`'s suffix) for `user`; answers the `score --json` object with its `assessment`.

    The evidence files it names are read from `evidence_root` (else $DEMOZONE_EVIDENCE, else
    nowhere: a submission naming evidence files then has problems) and kept with it. The upload
    becomes the submission's base for judgments; an assessor who uploads it is assigned to it.
    Raises InputError with the CLI's problems (by field, or by sheet!cell for a workbook;
    nothing kept or recorded), NotAssigned when the submission was uploaded before and `user`
    is not assigned to it.
    """
    suffix = _checked_upload(content, filename)
    folder = submissions_folder(store, db)
    folder.mkdir(parents=True, exist_ok=True)
    root = Path(evidence_root or os.environ.get(EVIDENCE_VARIABLE) or folder / ".no-evidence")
    with tempfile.TemporaryDirectory(prefix=".checking-", dir=folder) as scratch:
        temporary = Path(scratch) / f"{KEPT_NAME}{suffix}"
        temporary.write_bytes(content)
        submission = _validated(temporary, system, root, filename)
    identifier = submission.id
    role = get_user(user, db=db, store=store)["role"]
    if rows.latest_upload(identifier, db=db, store=store) is not None and not (
        role == "assessor" and is_assigned(identifier, user, db=db, store=store)
    ):
        raise NotAssigned(
            [
                _problem(
                    filename,
                    "submission.id",
                    f"submission {identifier!r} is assigned to other assessors",
                    f"申报材料 {identifier!r} 已分配给其他评估专家，您无权更新",
                )
            ]
        )
    evidence = [e.file for e in submission.evidence.values() if e.file]
    kept = _keep(content, suffix, folder, root, evidence)
    rows.record_upload(identifier, kept, filename, system or "", user, db=db, store=store)
    if role == "assessor":
        assign_submission(identifier, user, by=user, db=db, store=store)
    shaped = _scored(kept, system or "", user, store, db)
    audit(
        user,
        "submission.upload",
        identifier,
        f"{filename} {shaped['assessment']}",
        db=db,
        store=store,
    )
    return shaped


# -- judgments ---------------------------------------------------------------------------------


def _judgment_problems(judgments) -> list[Problem]:
    if not isinstance(judgments, list) or not judgments:
        return [
            _problem(
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
                _problem(
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
                _problem(
                    "judgments",
                    f"{where}.clause",
                    "clause is missing",
                    "缺少条款编号 clause",
                    '"10.1"',
                )
            )
        if not isinstance(item.get("satisfied"), bool):
            found.append(
                _problem(
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
                _problem(
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
    return _keep(text, ".yaml", folder, base.parent, evidence)


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
    row committed by then (and is made again while rows arrived during the scoring, so the
    newest assessment holds them all). Raises UnknownAssessment, NotAssigned when the assessor
    is not assigned to the submission, InputError with the CLI's problems for a judgment the
    submission cannot take (nothing is recorded then).
    """
    found = rows.workspace_assessment(assessment, db=db, store=store)
    if found is None:
        raise UnknownAssessment(
            [
                _problem(
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
                _problem(
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
                _problem(
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
    shaped = None
    for _round in range(50):
        kept, included = _built(submission, upload, store, db)
        shaped = _scored(kept, upload["system"], assessor, store, db)
        if included >= _newest_row(submission, store, db):
            break
    audit(
        assessor,
        "judgment.add",
        submission,
        f"{len(judgments)} judgment(s), rows up to {last}, {shaped['assessment']}",
        db=db,
        store=store,
    )
    return shaped


def _newest_row(submission: str, store, db) -> int:
    return max((r["id"] for r in rows.judgments_of(submission, db=db, store=store)), default=0)


def _check_document(submission: str, upload: dict, new: list[dict], store, db) -> None:
    """Load the document these judgments would make, writing nothing: InputError if it fails."""
    judged = rows.judgments_of(submission, db=db, store=store) + new
    base = _base_document(kept_path(upload["kept"], store, db))
    document = _document_with(base, judged)
    folder = kept_path(upload["kept"], store, db).parent
    with tempfile.TemporaryDirectory(prefix=".checking-", dir=folder.parent) as scratch:
        path = Path(scratch) / f"{secrets.token_hex(4)}.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
        _validated(path, upload["system"] or None, folder, "judgments")
