"""Loading a submission file (YAML, JSON or an .xlsx workbook): its bytes, its document, then
the strict reader.

Every problem of a file is collected into one InputError; nothing is scored from a submission
that has any problem. A workbook is read into the same document (`submission.workbook.read`),
so every command that takes a YAML file takes a workbook; its problems name sheet and cell, and
what was normalised (full-width digits, merged cells) is in the submission's `notes` and logged
as a warning (printed on stderr when nothing else handles the log).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

from demozone.common import yamlio
from demozone.common.diagnostics import Finding, Location, Severity
from demozone.common.errors import InputError, Problem
from demozone.common.hashing import FileTooLarge, read_bounded
from demozone.submission.model import SECTIONS, Submission, SystemCatalog
from demozone.submission.reader import Reader
from demozone.submission.suffixes import SUBMISSION_SUFFIXES, WORKBOOK_SUFFIXES

__all__ = [
    "OTHER_SYSTEM",
    "SUBMISSION_SUFFIXES",
    "WORKBOOK_SUFFIXES",
    "is_workbook",
    "load_submission",
    "other_system_summary",
]

OTHER_SYSTEM = "other-system"  # the code of the one-line summary of a submission for another system

_OTHER_SPREADSHEETS = (".xls", ".et", ".ods", ".xlsm", ".csv")
_ZIP_MAGIC = b"PK\x03\x04"
log = logging.getLogger(__name__)


def load_submission(
    path: Path,
    catalog: SystemCatalog,
    system_override: str | None = None,
    evidence_root: str | Path | None = None,
) -> Submission:
    """Read, validate and return a submission; raise InputError listing every problem found.

    `path` ending in .json is read as JSON, an .xlsx workbook (by suffix or content) as a
    workbook, anything else as YAML. `system_override` (the CLI's --system) replaces the system
    named in the file. Evidence files are found inside `evidence_root` (the CLI's
    --evidence-root), by default the submission's folder.
    """
    path = Path(path)
    raw = _read_bytes(path)
    evidence_dir = Path(evidence_root) if evidence_root else path.parent
    if is_workbook(path, raw):
        return _load_workbook(path, raw, catalog, system_override, evidence_dir)
    doc, duplicates = _parse(raw, path)
    reader = Reader(str(path), evidence_dir, catalog)
    reader.evidence_root = Path(evidence_root) if evidence_root else None
    reader.problems.extend(duplicates)
    submission = reader.read(doc, hashlib.sha256(raw).hexdigest(), system_override)
    if reader.problems or submission is None:
        summary = other_system_summary(doc, str(path), catalog, system_override, reader.problems)
        raise InputError(([summary] if summary else []) + reader.problems)
    return submission


def is_workbook(path: Path, raw: bytes = b"") -> bool:
    """An .xlsx workbook, by its suffix or (whatever its name) by its content."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or raw.startswith(_ZIP_MAGIC)


def _load_workbook(
    path: Path,
    raw: bytes,
    catalog: SystemCatalog,
    system_override: str | None,
    evidence_dir: Path,
) -> Submission:
    """A workbook through the same reader; every problem names its sheet and cell."""
    # openpyxl (and numpy under it) cost a fifth of a second: only a workbook pays for them
    from demozone.submission.workbook.read import read_workbook

    read = read_workbook(raw, str(path))
    reader = Reader(str(path), evidence_dir, catalog)
    submission = reader.read(read.doc, hashlib.sha256(raw).hexdigest(), system_override)
    problems = list(read.problems)
    for problem in reader.problems:
        if read.follows_from_missing(problem.path):
            continue
        cell = read.cell_of(problem.path)
        problems.append(
            Problem(
                problem.file,
                problem.path,
                problem.message,
                problem.message_zh,
                problem.expected,
                cell=cell,
            )
        )
    if problems or submission is None:
        raise InputError(problems)
    for note in read.notes:
        log.warning("说明/note: %s", note.render("zh") + f" / {note.message}")
    return dataclasses.replace(submission, notes=tuple(read.notes))


def other_system_summary(
    doc: dict, file: str, catalog: SystemCatalog, system: str | None, problems: list
) -> Finding | None:
    """One finding that says a submission was written for another system than `system` (the
    --system it is scored under): how many of its clauses that system lacks and the `impact`
    command that carries it over. It comes first, code OTHER_SYSTEM, so that the problems it
    explains can be shortened."""
    header = doc.get("submission")
    written = header.get("system") if isinstance(header, dict) else None
    if not system or not isinstance(written, str) or written == system:
        return None
    target = catalog.system_info(system)
    if target is None or catalog.system_info(written) is None:
        return None
    judgments = doc.get("judgments") if isinstance(doc.get("judgments"), list) else []
    clauses = {str(j.get("clause")) for j in judgments if isinstance(j, dict)}
    absent = len(clauses - set(target.clause_ids))
    judged = target.judged_clause_ids
    by_figures = len(clauses & set(target.clause_ids) - set(judged)) if judged is not None else 0
    also, also_zh = "", ""
    if by_figures:
        also = f", {by_figures} are scored there from figures, not judged"
        also_zh = f"，{by_figures} 个条款在 {system} 中依据填报数据计分、不由专家评判"
    command = f"demozone impact {written} {system} {file}"
    return Finding(
        Severity.ERROR,
        OTHER_SYSTEM,
        Location(file, None, "submission.system"),
        f"written for {written}, not {system}: {absent} of its clauses do not exist in {system}"
        f"{also} ({len(problems)} errors in all); `{command}` carries it over",
        f"该申报材料按 {written} 编写，不是 {system}：其中 {absent} 个条款在 {system} 中不存在"
        f"{also_zh}（共 {len(problems)} 处错误）；用 {command} 转换并比较",
    )


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file (opened without blocking) of at most MAX_FILE_BYTES."""
    try:
        return read_bounded(path)
    except FileNotFoundError:
        problem = Problem(str(path), "", "submission file not found", "提交文件不存在")
    except IsADirectoryError:
        problem = Problem(str(path), "", "this is a folder, not a file", "这是文件夹，不是提交文件")
    except FileTooLarge as err:
        problem = Problem(str(path), "", str(err), f"提交文件过大或不是普通文件：{err}")
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        problem = Problem(str(path), "", f"cannot read the file: {reason}", "无法读取提交文件")
    raise InputError([problem])


def _parse(raw: bytes, path: Path) -> tuple[dict, list[Problem]]:
    """The document as a mapping, and a problem for every duplicate key."""
    file = str(path)
    if path.suffix.lower() in _OTHER_SPREADSHEETS:
        raise InputError(
            [
                Problem(
                    file,
                    "",
                    f"{path.suffix} files are not read: save the workbook as .xlsx (Excel "
                    "workbook) in Excel, WPS or LibreOffice",
                    f"不能读取 {path.suffix} 文件：请在 Excel、WPS 或 LibreOffice 中另存为 .xlsx（Excel 工作簿）",
                    ".xlsx, .yaml or .json",
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(file, "", "the file is not UTF-8 text", "文件不是UTF-8编码", "UTF-8")]
        ) from None
    if path.suffix.lower() == ".json":
        doc, duplicates = _parse_json(text, file)
    else:
        doc, duplicates = yamlio.parse_yaml(text, file)
    if not isinstance(doc, dict):
        raise InputError(
            [
                Problem(
                    file,
                    "",
                    "a submission is a mapping with a `submission:` section",
                    "提交文件应为包含 submission 等部分的映射",
                    ", ".join(SECTIONS),
                )
            ]
        )
    return doc, duplicates


def _parse_json(text: str, file: str) -> tuple[Any, list[Problem]]:
    """The document and a problem for every repeated key (the first value kept)."""
    duplicates: list[Problem] = []

    def pairs(items: list) -> dict:
        result: dict = {}
        for key, value in items:
            if key in result:
                duplicates.append(
                    Problem(file, str(key), f"duplicate key {key!r}", f"键 {key!r} 重复出现")
                )
                continue
            result[key] = value
        return result

    try:
        doc = json.loads(
            text, parse_float=Decimal, parse_constant=yamlio.Text, object_pairs_hook=pairs
        )
    except json.JSONDecodeError as err:
        raise InputError(
            [
                Problem(
                    file,
                    "",
                    f"not valid JSON: {err.msg}",
                    f"不是有效的JSON格式：{err.msg}",
                    line=err.lineno,
                )
            ]
        ) from None
    return doc, duplicates
