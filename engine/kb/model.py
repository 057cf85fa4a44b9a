"""The knowledge base (kb/) as frozen values: systems, levels, indicators, clauses, anchors.

Reading (`demozone.kb.read`, cached per directory by `demozone.kb.load`) is strict: an unknown or
duplicate key, a value of the wrong type or a reference to something that does not exist is an
`InputError` naming `file:line`, the key and what is allowed; every problem of a load is reported
at once. Completeness (every indicator has points, every clause an anchor, ...) is the SHACL
shapes' job (`demozone.kb.check`), so a damaged knowledge base still loads and
`demozone kb check` can say what is wrong with it.

A local decomposition (`extends:`) inherits the levels, indicators, clauses and texts of the system
it extends, renumbered by its `base:` mapping, and keeps its own level points, units and anchors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from demozone.kb.metrics import Metric
from demozone.kb.national import NationalFigure

__all__ = [
    "KB",
    "Anchor",
    "AnchorUse",
    "Article",
    "Clause",
    "Indicator",
    "Level",
    "Locality",
    "Metric",
    "NationalFigure",
    "PassRule",
    "Procedure",
    "SourceDefect",
    "SourceDoc",
    "Step",
    "System",
    "Unit",
]


@dataclass(frozen=True)
class Anchor:
    """A span of a source: `quote == text[start:end]` in code points, end exclusive."""

    source: str
    role: str
    start: int
    end: int
    quote: str
    file: str = field(default="", compare=False)  # the kb file it was written in
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SourceDefect:
    """A defect of a source text, recorded in the knowledge base and kept verbatim."""

    source: str
    kind: str
    text: str
    note: str
    should_read: str | None
    anchors: tuple[Anchor, ...]
    file: str
    line: int | None


@dataclass(frozen=True)
class SourceDoc:
    """A source document of kb/sources/, with its text decoded as UTF-8 (no newline changes)."""

    id: str
    file: str
    title: str
    title_en: str
    issuer: str
    kind: str
    date: str | None
    document_number: str | None
    text: str = field(repr=False)
    sha256: str = ""


@dataclass(frozen=True)
class Unit:
    id: str
    name: str


@dataclass(frozen=True)
class Clause:
    id: str
    text: str
    points: Decimal | None
    anchors: tuple[Anchor, ...]
    base: str | None = None  # in a local decomposition: the clause id of the system it extends
    line: int | None = None


@dataclass(frozen=True)
class Level:
    """A first- or second-level heading; `parent` is the first level of a second level."""

    id: str
    number: int | None
    label: str
    label_en: str
    points: Decimal | None
    anchors: tuple[Anchor, ...]
    second_level: tuple[Level, ...] = ()
    parent: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Indicator:
    number: str
    label: str
    label_en: str
    points: Decimal | None
    first_level: str
    second_level: str | None
    nature: str
    methods: tuple[str, ...]
    data_sources: tuple[str, ...]
    criterion: str
    metrics: tuple[str, ...]
    clauses: tuple[Clause, ...]
    rule_text: str | None
    anchors: tuple[Anchor, ...]
    unit_ids: tuple[str, ...] = ()
    unit_names: tuple[str, ...] = ()
    units_text: str | None = None
    base: str | None = None  # in a local decomposition: the number in the system it extends
    line: int | None = None

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)


@dataclass(frozen=True)
class PassRule:
    total_at_least: Decimal
    first_level_rate_at_least: Decimal  # a fraction: 75% is 0.75
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True)
class System:
    id: str
    title: str
    title_en: str
    status: str
    extends: str | None
    revision_of: str | None
    locality: str | None
    sources: tuple[str, ...]
    total_points: Decimal | None
    region_classes: tuple[str, ...]
    pass_rule: PassRule | None
    first_level: tuple[Level, ...]
    indicators: tuple[Indicator, ...]
    units: tuple[Unit, ...]
    source_defects: tuple[SourceDefect, ...]
    file: str

    def indicator(self, number: str) -> Indicator | None:
        """The indicator with this number in the system's own numbering, or None."""
        return next((i for i in self.indicators if i.number == str(number)), None)

    def levels(self) -> Iterator[Level]:
        """Every first level, each followed by its second levels."""
        for level in self.first_level:
            yield level
            yield from level.second_level

    def level(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels() if lv.id == level_id), None)

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def level_names(self, lang: str = "zh") -> tuple[str, ...]:
        """The system's own level names, as its structure has them: three where first levels
        hold second levels (2022: 一级指标, 二级指标, 三级指标), two where the indicators sit
        directly under the first levels (the 2024 draft: 一级指标, 二级指标). The last names
        the indicators."""
        depth = 3 if any(level.second_level for level in self.first_level) else 2
        return LEVEL_NAMES["en" if lang == "en" else "zh"][:depth]


LEVEL_NAMES = {
    "zh": ("一级指标", "二级指标", "三级指标"),
    "en": ("First-level indicator", "Second-level indicator", "Third-level indicator"),
}


@dataclass(frozen=True)
class Locality:
    id: str
    name: str
    sources: tuple[str, ...]
    title: str
    anchors: tuple[tuple[str, Anchor], ...]  # (field path, anchor) for every anchor in the file
    source_defects: tuple[SourceDefect, ...]
    file: str


@dataclass(frozen=True)
class Article:
    number: str
    label: str
    heading: str
    text: str
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True)
class Step:
    id: str
    article: str
    text: str
    label_en: str
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    title_en: str
    system: str | None
    sources: tuple[str, ...]
    anchors: tuple[Anchor, ...]
    articles: tuple[Article, ...]
    steps: tuple[Step, ...]
    file: str


@dataclass(frozen=True)
class AnchorUse:
    """An anchor where it was written: the scope (system, locality, procedure) and the subject."""

    scope: str
    subject: str  # "indicator 3", "clause 3.1", "level promote", "pass rule", or a field path
    file: str
    anchor: Anchor
    sources: tuple[str, ...]  # the sources the file declares


@dataclass(frozen=True)
class KB:
    directory: Path
    sources: MappingProxyType  # id -> SourceDoc
    metrics: MappingProxyType  # id -> Metric
    systems: MappingProxyType  # id -> System, in file order
    localities: tuple[Locality, ...]
    procedures: tuple[Procedure, ...]
    figures: tuple[NationalFigure, ...]

    def system(self, system_id: str) -> System | None:
        return self.systems.get(system_id)

    def anchor_uses(self) -> Iterator[AnchorUse]:
        """Every anchor once, where it was written (inherited copies are not repeated)."""
        for system in self.systems.values():
            for subject, anchor in _system_anchors(system):
                if anchor.file == system.file:
                    yield AnchorUse(system.id, subject, system.file, anchor, system.sources)
        for locality in self.localities:
            for path, anchor in locality.anchors:
                yield AnchorUse(locality.id, path, locality.file, anchor, locality.sources)
            for k, defect in enumerate(locality.source_defects, 1):
                for anchor in defect.anchors:
                    yield AnchorUse(
                        locality.id, f"source defect {k}", locality.file, anchor, locality.sources
                    )
        for proc in self.procedures:
            for subject, anchor in _procedure_anchors(proc):
                yield AnchorUse(proc.id, subject, proc.file, anchor, proc.sources)


def _system_anchors(system: System) -> Iterator[tuple[str, Anchor]]:
    if system.pass_rule:
        yield from (("pass rule", a) for a in system.pass_rule.anchors)
    for level in system.levels():
        yield from ((f"level {level.id}", a) for a in level.anchors)
    for ind in system.indicators:
        yield from ((f"indicator {ind.number}", a) for a in ind.anchors)
        for clause in ind.clauses:
            yield from ((f"clause {clause.id}", a) for a in clause.anchors)
    for k, defect in enumerate(system.source_defects, 1):
        yield from ((f"source defect {k}", a) for a in defect.anchors)


def _procedure_anchors(proc: Procedure) -> Iterator[tuple[str, Anchor]]:
    yield from (("title", a) for a in proc.anchors)
    for article in proc.articles:
        yield from ((f"article {article.number}", a) for a in article.anchors)
    for step in proc.steps:
        yield from ((f"step {step.id}", a) for a in step.anchors)
