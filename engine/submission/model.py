"""Load a submission (YAML or JSON) exactly per the contract, or say everything that is wrong.

The contract is ../shared/spec/submission-format.md (copied as docs/submission-format.md).
Values are exact fractions from the start: numbers are re-read from their source text, never
through a float. Every problem names the file, the field path, the line where known and what was
expected, in Chinese and English; all problems of a file are collected into one InputError, and
nothing is scored from a submission that has any problem.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from demozone.common import yamlio
from demozone.common.errors import InputError, Problem

EVIDENCE_KINDS = ("document", "media_report", "institutional_output", "recognition")
EVIDENCE_FIELDS = {  # kind -> (field, allowed values)
    "media_report": ("level", ("national", "provincial")),
    "institutional_output": ("type", ("法规", "规章", "规范性文件", "标准")),
    "recognition": ("form", ("表彰表扬", "领导批示", "典型经验", "会议交流", "信息刊发")),
}
SECTIONS = ("submission", "metrics", "reference", "operators", "evidence", "judgments")
HEADER_FIELDS = ("id", "region", "region_class", "system", "years")
EVIDENCE_KEYS = ("id", "title", "kind", "file", "sha256", "issued_by", "date", "level", "type")
EVIDENCE_KEYS += ("form",)
JUDGMENT_KEYS = ("clause", "satisfied", "evidence", "assessor", "note")
OPERATOR_KEYS = ("name", "year", "annual_sales")


# -- the catalog of systems -------------------------------------------------------------------
class SystemInfo(Protocol):
    """What the loader needs to know about one indicator system."""

    id: str
    region_classes: frozenset[str]
    clause_ids: frozenset[str]
    # the clauses scored by assessors' judgments; None: any clause may be judged
    judged_clause_ids: frozenset[str] | None


class SystemCatalog(Protocol):
    """The indicator systems a submission may name."""

    def system_info(self, system_id: str) -> SystemInfo | None: ...
    def system_ids(self) -> list[str]: ...


@dataclass(frozen=True)
class SystemEntry:
    """A plain SystemInfo."""

    id: str
    region_classes: frozenset[str]
    clause_ids: frozenset[str]
    judged_clause_ids: frozenset[str] | None = None


@dataclass(frozen=True)
class StaticCatalog:
    """A SystemCatalog over fixed entries (tests, tools)."""

    entries: tuple[SystemEntry, ...]

    def system_info(self, system_id: str) -> SystemInfo | None:
        return next((e for e in self.entries if e.id == system_id), None)

    def system_ids(self) -> list[str]:
        return [e.id for e in self.entries]


class KbCatalog:
    """The systems of the knowledge base, as the loader needs them; which clauses are judged
    comes from the system's own rules."""

    def system_info(self, system_id: str) -> SystemInfo | None:
        return _kb_system_entry(system_id)

    def system_ids(self) -> list[str]:
        from demozone.kb import load as kb

        return list(kb.load_kb().systems)


@functools.lru_cache(maxsize=64)
def _kb_system_entry(system_id: str) -> SystemEntry | None:
    from demozone.assessment.assess import rules_of
    from demozone.kb import load as kb
    from demozone.rules.load import available_rule_sets, judged_clauses

    system = kb.get_system(system_id)
    if system is None:
        return None
    clauses = frozenset(c.id for i in system.indicators for c in i.clauses)
    judged = judged_clauses(rules_of(system_id)) if system_id in available_rule_sets() else None
    return SystemEntry(system.id, frozenset(system.region_classes), clauses, judged)


def clear_cache() -> None:
    """Forget the catalog entries read from the knowledge base and the rules."""
    _kb_system_entry.cache_clear()


def catalog_from_kb() -> KbCatalog:
    """The catalog of the systems in kb/ (loaded lazily, on first use)."""
    return KbCatalog()


# -- what a submission holds ------------------------------------------------------------------
@dataclass(frozen=True)
class MetricValue:
    metric: str
    year: int
    value: Fraction
    path: str
    line: int | None = None


@dataclass(frozen=True)
class ReferenceValue:
    ref: str
    year: int | None
    value: Fraction
    path: str


@dataclass(frozen=True)
class Operator:
    index: int
    name: str
    year: int
    annual_sales: Fraction
    path: str


@dataclass(frozen=True)
class Evidence:
    id: str
    title: str
    kind: str
    file: str | None
    sha256: str | None
    issued_by: str | None
    date: str | None
    level: str | None
    type: str | None
    form: str | None
    path: str


@dataclass(frozen=True)
class Judgment:
    index: int
    clause: str
    satisfied: bool
    evidence: tuple[str, ...]
    assessor: str
    note: str
    path: str


@dataclass(frozen=True)
class Submission:
    id: str
    region: str
    region_class: str
    system: str
    years: tuple[int, ...]
    file: str
    sha256: str
    metrics: Mapping[tuple[str, int], MetricValue]
    references: Mapping[tuple[str, int | None], ReferenceValue]
    operators: tuple[Operator, ...]
    evidence: Mapping[str, Evidence]
    judgments: tuple[Judgment, ...]


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
    from demozone.submission.reader import (
        Reader,  # the reader builds the values this module defines
    )

    reader = Reader(str(path), path.parent, catalog)
    reader.problems.extend(duplicates)
    submission = reader.read(doc, hashlib.sha256(raw).hexdigest(), system_override)
    if reader.problems or submission is None:
        raise InputError(reader.problems)
    return submission


# -- reading the document ---------------------------------------------------------------------
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
