"""Submissions uploaded to the web workspace (judgments on them: api.workspace_judgments).

Every file the workspace scores is kept by its sha256 in the submissions folder
(`submissions_folder`: beside the store), with copies of the evidence files it names, so a stored
assessment can be re-scored, explained, reported and judged later from what it recorded. An
upload is a submission's base; each judgment is a row of the accounts database (never a file
changed in place, so concurrent assessors lose none); the document an assessment scores is the
base with every judgment row at that moment, written as YAML beside the others.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

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
UPLOAD_LIMIT = MAX_FILE_BYTES  # the largest submission file taken, in bytes


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


def problem(file: str, field: str, en: str, zh: str, expected: str = "") -> Problem:
    """A user mistake of the workspace, in English and Chinese."""
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
                problem(
                    filename or "",
                    "file",
                    f"not a submission file: {filename!r} (expected {', '.join(SUBMISSION_SUFFIXES)})",
                    f"不是申报材料文件：{filename!r}（应为 YAML、JSON 或 .xlsx 工作簿）",
                    ", ".join(SUBMISSION_SUFFIXES),
                )
            ]
        )
    if not content:
        raise InputError([problem(filename, "file", "the file is empty", "文件为空")])
    if len(content) > MAX_FILE_BYTES:
        raise InputError(
            [
                problem(
                    filename,
                    "file",
                    f"the file is larger than {MAX_FILE_BYTES} bytes",
                    f"文件超过 {MAX_FILE_BYTES} 字节",
                )
            ]
        )
    return suffix


def keep_file(
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


def validated_submission(path: Path, system: str | None, evidence_root: Path, shown: str):
    """The loaded submission at `path`; its problems name the file `shown` (InputError)."""
    try:
        return load_for_scoring(path, system, evidence_root)[0]
    except InputError as err:
        raise _renamed(err, path, shown) from None


def score_kept(kept: str, system: str, user: str, store, db) -> dict:
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
        submission = validated_submission(temporary, system, root, filename)
    identifier = submission.id
    role = get_user(user, db=db, store=store)["role"]
    if rows.latest_upload(identifier, db=db, store=store) is not None and not (
        role == "assessor" and is_assigned(identifier, user, db=db, store=store)
    ):
        raise NotAssigned(
            [
                problem(
                    filename,
                    "submission.id",
                    f"submission {identifier!r} is assigned to other assessors",
                    f"申报材料 {identifier!r} 已分配给其他评估专家，您无权更新",
                )
            ]
        )
    evidence = [e.file for e in submission.evidence.values() if e.file]
    kept = keep_file(content, suffix, folder, root, evidence)
    rows.record_upload(identifier, kept, filename, system or "", user, db=db, store=store)
    if role == "assessor":
        assign_submission(identifier, user, by=user, db=db, store=store)
    shaped = score_kept(kept, system or "", user, store, db)
    audit(
        user,
        "submission.upload",
        identifier,
        f"{filename} {shaped['assessment']}",
        db=db,
        store=store,
    )
    return shaped
