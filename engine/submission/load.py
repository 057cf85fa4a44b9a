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
from demozone.common.errors import InputError, Problem
from demozone.submission.model import SECTIONS, Submission, SystemCatalog
from demozone.submission.reader import Reader

__all__ = ["load_submission"]


def load_submission(
    path: Path,
    catalog: SystemCatalog,
    system_override: str | None = None,
    evidence_root: Path | None = None,
) -> Submission:
    """Read, validate and return a submission; raise InputError listing every problem found.

    `path` ending in .json is read as JSON, anything else as YAML. `system_override` (the CLI's
    --system) replaces the system named in the file. Evidence files are found relative to the
    submission file's folder, or to `evidence_root` when given (the CLI's --evidence-root).
    """
    path = Path(path)
    raw = _read_bytes(path)
    doc, duplicates = _parse(raw, path)
    reader = Reader(str(path), Path(evidence_root or path.parent), catalog)
    reader.evidence_root = Path(evidence_root) if evidence_root else None
    reader.problems.extend(duplicates)
    submission = reader.read(doc, hashlib.sha256(raw).hexdigest(), system_override)
    if reader.problems or submission is None:
        raise InputError(reader.problems)
    return submission


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
