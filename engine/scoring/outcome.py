"""What scoring produces: firings, and the scores of rules, clauses, indicators and levels.

These are plain values: the CLI renders them, `explain` walks them, the store writes them as
provenance. Each score keeps what it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from demozone.rules.model import Rule
from demozone.scoring.derive import Case


@dataclass(frozen=True)
class Firing:
    """One branch of one rule held for one case and awarded points."""

    rule_id: str
    branch: str
    case_key: str
    award: Fraction


@dataclass
class RuleOutcome:
    rule: Rule
    cases: list[Case]
    firings: list[Firing]
    raw: Fraction  # before the rule's own cap or tiers
    score: Fraction
    reasons: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return sorted({m for case in self.cases for m in case.missing})


@dataclass
class ClauseScore:
    id: str
    text: str
    points: Fraction | None
    score: Fraction
    rules: list[str]


@dataclass
class IndicatorScore:
    number: str
    label: str
    points: Fraction
    score: Fraction
    first_level: str
    second_level: str | None
    rules: list[RuleOutcome]
    clauses: list[ClauseScore]
    reasons: list[str]
    base: str | None = None


@dataclass
class LevelScore:
    id: str
    number: int
    label: str
    points: Fraction
    score: Fraction

    @property
    def rate(self) -> Fraction:
        return self.score / self.points if self.points else Fraction(0)


@dataclass
class ScoreResult:
    submission_id: str
    region: str
    system: str
    rule_set: str
    rule_files: tuple[str, ...]
    indicators: list[IndicatorScore]
    first_level: list[LevelScore]
    second_level: list[LevelScore]
    total: Fraction
    max_total: Fraction
    passed: bool
    pass_reasons: list[str]
    engine: str
    rule_file_hashes: tuple[str, ...] = ()  # of rule_files, as they were read
    # fixed entries the rule set changes on purpose (unfix:): (entry, reason) pairs
    unfixed: tuple[tuple[str, str], ...] = ()
    pass_reasons_en: list[str] = field(default_factory=list)  # pass_reasons in English

    def indicator(self, number: str) -> IndicatorScore | None:
        return next((i for i in self.indicators if i.number == number), None)
