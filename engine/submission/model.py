"""Load a submission (YAML or JSON) exactly per the contract, or say everything that is wrong.

The contract is ../shared/spec/submission-format.md (copied as docs/submission-format.md).
Values are exact fractions from the start: numbers are re-read from their source text, never
through a float. Every problem names the file, the field path, the line where known and what was
expected, in Chinese and English; all problems of a file are collected into one InputError, and
nothing is scored from a submission that has any problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

EVIDENCE_KINDS = ("document", "media_report", "institutional_output", "recognition")
EVIDENCE_FIELDS = {  # kind -> (field, allowed values)
    "media_report": ("level", ("national", "provincial")),
    "institutional_output": ("type", ("法规", "规章", "规范性文件", "标准")),
    "recognition": ("form", ("表彰表扬", "领导批示", "典型经验", "会议交流", "信息刊发")),
}
SECTIONS = ("submission", "metrics", "reference", "operators", "evidence", "judgments")
SECTIONS += ("assessors",)  # optional: assessor id -> the name a report prints
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
    # assessor id -> name (the optional `assessors:` section); an assessor without one is named
    # by id wherever a name is printed
    assessors: Mapping[str, str] = field(default_factory=dict)
    # what was read differently from how it was written (a workbook's full-width digits, merged
    # cells), for the user to check; findings of severity info
    notes: tuple = field(default=(), compare=False)
