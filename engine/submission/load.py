"""Loading a submission file (YAML or JSON): its bytes, its document, then the strict reader.

Every problem of a file is collected into one InputError; nothing is scored from a submission
that has any problem.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from demozone.common import yamlio
from demozone.common.diagnostics import Finding, Location, Severity
from demozone.common.errors import InputError, Problem
from demozone.submission.model import SECTIONS, Submission, SystemCatalog
from demozone.submission.reader import Reader

__all__ = ["OTHER_SYSTEM", "load_submission", "other_system_summary"]

OTHER_SYSTEM = "other-system"  # the code of the one-line summary of a submission for another system


def load_submission(
    path: Path, catalog: SystemCatalog, system_override: str | None = None
) -> Submission:
    """Read, validate and return a submission; raise InputError listing every problem found.

    `path` ending in .json is read as JSON, anything else as YAML. `system_override` (the CLI's
    --system) replaces the system named in the file.
    """
    path = Path(path)
    raw = _read_bytes(path)
    doc, duplicates = _parse(raw, path)
    reader = Reader(str(path), path.parent, catalog)
    reader.problems.extend(duplicates)
    submission = reader.read(doc, hashlib.sha256(raw).hexdigest(), system_override)
    if reader.problems or submission is None:
        summary = other_system_summary(doc, str(path), catalog, system_override, reader.problems)
        raise InputError(([summary] if summary else []) + reader.problems)
    return submission


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
    try:
        return path.read_bytes()
    except FileNotFoundError:
        problem = Problem(str(path), "", "submission file not found", "提交文件不存在")
    except IsADirectoryError:
        problem = Problem(str(path), "", "this is a folder, not a file", "这是文件夹，不是提交文件")
    except OSError as err:
        problem = Problem(
            str(path), "", f"cannot read the file: {err.strerror}", "无法读取提交文件"
        )
    raise InputError([problem])


def _parse(raw: bytes, path: Path) -> tuple[dict, list[Problem]]:
    """The document as a mapping, and a problem for every duplicate key."""
    file = str(path)
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
