"""Whom a rule change affects: submissions scored under two systems, side by side.

`impact(A, B, files)` scores every submission under A's rules and under B's, and says per
submission which indicator moved how many points and which rule change is behind it, and
whether pass/fail flipped because of the pass rule, the points, or both. Where B scores another
knowledge-base system than A (the 2022 trial against the 2024 draft), each submission is first
carried over to B (`carry.py`) through the systems' matching, and what could not be carried is
listed. Indicators correspond through `diff.match_systems`; the points that moved add up exactly
to the change of the total (checked for every submission).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from demozone.assessment.assess import score_as
from demozone.common.errors import DemozoneBug, InputError, Problem
from demozone.policy.diff.systems import Change, SystemDiff, diff_systems
from demozone.policy.impact.carry import NotCarried, carry
from demozone.policy.lint.run import lint_errors
from demozone.rules.lookup import rules_of
from demozone.rules.model import PassRule, RuleSet
from demozone.scoring.aggregate import pass_verdict
from demozone.scoring.outcome import LevelScore, ScoreResult
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import SUBMISSION_SUFFIXES, load_submission

CAUSES = ("pass_rule", "points", "both")
SUFFIXES = SUBMISSION_SUFFIXES  # .yaml, .yml, .json and .xlsx workbooks


@dataclass(frozen=True)
class Attribution:
    """The points one indicator moved: A's indicator against its counterpart in B.

    `a` is None for an indicator B added (it counts with its whole score), `b` None for one B
    removed (it counts with minus its whole score). `changes` are the changes of the diff between
    the two that can move a score (rules, points, clauses added or removed).
    """

    a: str | None
    b: str | None
    label: str
    score_a: Fraction
    score_b: Fraction
    changes: tuple[Change, ...]

    @property
    def delta(self) -> Fraction:
        return self.score_b - self.score_a


@dataclass(frozen=True)
class Shortfall:
    """A first-level indicator whose rate is below the pass rule's."""

    id: str
    label: str
    score: Fraction
    points: Fraction
    required: Fraction

    @property
    def rate(self) -> Fraction:
        return self.score / self.points if self.points else Fraction(0)


@dataclass(frozen=True)
class Flip:
    """Pass/fail differs under A and B, and why.

    cause: `pass_rule` (B's scores under A's pass rule keep A's verdict, A's scores under B's
    rule already flip it: the rule decided), `points` (B's scores flip it under A's rule too, A's
    scores keep it under B's rule: the points decided), `both` (either change alone would flip
    it, or only the two together do). For pass -> fail, `pass_rule` means B's scores would pass
    A's rule (e.g. a rate of 76% under 75% and 80%), `points` that they fail it too.
    """

    passed_a: bool
    passed_b: bool
    cause: str
    b_scores_pass_a_rule: bool
    a_scores_pass_b_rule: bool
    shortfalls: tuple[Shortfall, ...]  # of the failing side, under its own rule
    reasons: tuple[str, ...]  # the failing side's pass reasons


@dataclass
class SubmissionImpact:
    file: str
    a: ScoreResult
    b: ScoreResult
    attributions: list[Attribution]  # the indicators that moved, in A's order, added ones last
    flip: Flip | None
    not_carried: list[NotCarried] = field(default_factory=list)

    @property
    def change(self) -> Fraction:
        return self.b.total - self.a.total


@dataclass(frozen=True)
class Rejected:
    """A submission file that could not be scored, with every problem found."""

    file: str
    problems: list[Problem]


@dataclass
class Summary:
    scored: int
    rejected: int
    passed_a: int
    passed_b: int
    pass_to_fail: int
    fail_to_pass: int
    causes: dict[str, int]  # flips by cause


@dataclass
class ImpactReport:
    a: str
    b: str
    cross_system: bool
    pass_rules: tuple[PassRule, PassRule]
    pass_rule_changes: list[Change]
    impacts: list[SubmissionImpact]
    rejected: list[Rejected]
    # lint's errors in A's and B's rule sets, found before scoring (as lint --json shows them)
    lint_errors: list[dict] = field(default_factory=list)

    def summary(self) -> Summary:
        flips = [i.flip for i in self.impacts if i.flip]
        return Summary(
            scored=len(self.impacts),
            rejected=len(self.rejected),
            passed_a=sum(i.a.passed for i in self.impacts),
            passed_b=sum(i.b.passed for i in self.impacts),
            pass_to_fail=sum(f.passed_a for f in flips),
            fail_to_pass=sum(f.passed_b for f in flips),
            causes={cause: sum(f.cause == cause for f in flips) for cause in CAUSES},
        )


Progress = Callable[[int, int, str], None]


def impact(
    system_a: str,
    system_b: str,
    files: Iterable[Path | str],
    engine: str = "rete",
    progress: Progress | None = None,
) -> ImpactReport:
    """Score each submission file under A and under B and attribute every change.

    A folder among `files` stands for its submission files (*.yaml, *.yml, *.json, *.xlsx), in name
    order. A file that does not validate (for A, or once carried to B) is listed in `rejected`
    with its problems, and the others are still scored. Raises InputError for an unknown system.
    """
    rules_a, rules_b = rules_of(system_a), rules_of(system_b)
    errors = lint_errors([system_a, system_b])
    system_diff = diff_systems(system_a, system_b)
    report = ImpactReport(
        system_a,
        system_b,
        rules_a.kb_system != rules_b.kb_system,
        (rules_a.pass_rule, rules_b.pass_rule),
        system_diff.pass_rule,
        [],
        [],
        errors,
    )
    files = submission_files(files)
    for index, path in enumerate(files, start=1):
        if progress:
            progress(index, len(files), str(path))
        try:
            report.impacts.append(
                _one(path, rules_a, rules_b, system_diff, report.cross_system, engine)
            )
        except InputError as err:
            report.rejected.append(Rejected(str(path), err.problems))
    return report


def submission_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files given, with each folder replaced by its submission files in name order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


def _one(path: Path, rules_a, rules_b, system_diff: SystemDiff, cross: bool, engine: str):
    submission = load_submission(path, catalog_from_kb(), system_override=rules_a.kb_system)
    result_a = score_as(submission, rules_a.system, engine)
    not_carried: list[NotCarried] = []
    if cross:
        carried = carry(submission, rules_b, system_diff.matching.clause_b_for_a)
        submission, not_carried = carried.submission, carried.not_carried
    result_b = score_as(submission, rules_b.system, engine)
    attributions = attribute(result_a, result_b, system_diff)
    return SubmissionImpact(
        str(path),
        result_a,
        result_b,
        attributions,
        flip_of(result_a, result_b, rules_a, rules_b),
        not_carried,
    )


def attribute(a: ScoreResult, b: ScoreResult, system_diff: SystemDiff) -> list[Attribution]:
    """The indicators whose points moved, through the matching; they add up to the total's change.

    Raises DemozoneBug if they do not: every scored indicator is counted exactly once.
    """
    pairs = [(pair.a, pair.b) for pair in system_diff.matching.pairs]
    matched_a, matched_b = {x for x, _ in pairs}, {y for _, y in pairs}
    # An indicator scored but absent from the matching still counts, as removed or added.
    pairs += [(i.number, None) for i in a.indicators if i.number not in matched_a]
    pairs += [(None, i.number) for i in b.indicators if i.number not in matched_b]
    moved = []
    for number_a, number_b in pairs:
        indicator_a = a.indicator(number_a) if number_a else None
        indicator_b = b.indicator(number_b) if number_b else None
        score_a = indicator_a.score if indicator_a else Fraction(0)
        score_b = indicator_b.score if indicator_b else Fraction(0)
        if score_a == score_b:
            continue
        changes = system_diff.changes_for(number_a, number_b)
        moved.append(
            Attribution(
                number_a if indicator_a else None,
                number_b if indicator_b else None,
                (indicator_b or indicator_a).label,
                score_a,
                score_b,
                tuple(c for c in changes if c.scoring),
            )
        )
    if sum((m.delta for m in moved), Fraction(0)) != b.total - a.total:
        raise DemozoneBug(
            f"{a.submission_id}: indicator changes add up to "
            f"{sum((m.delta for m in moved), Fraction(0))}, the total moved {b.total - a.total}"
        )
    return moved


def flip_of(a: ScoreResult, b: ScoreResult, rules_a: RuleSet, rules_b: RuleSet) -> Flip | None:
    """Why pass/fail differs under A and B, or None when it does not."""
    if a.passed == b.passed:
        return None
    b_under_a, _ = pass_verdict(rules_a, b.total, b.first_level)
    a_under_b, _ = pass_verdict(rules_b, a.total, a.first_level)
    rule_alone = a_under_b != a.passed  # A's scores, judged by B's rule, already flip
    points_alone = b_under_a != a.passed  # B's scores, judged by A's rule, already flip
    if rule_alone and not points_alone:
        cause = "pass_rule"
    elif points_alone and not rule_alone:
        cause = "points"
    else:
        cause = "both"
    failing, rules = (b, rules_b) if a.passed else (a, rules_a)
    return Flip(
        a.passed,
        b.passed,
        cause,
        b_under_a,
        a_under_b,
        shortfalls(failing.first_level, rules.pass_rule),
        tuple(failing.pass_reasons),
    )


def shortfalls(levels: list[LevelScore], rule: PassRule) -> tuple[Shortfall, ...]:
    """The first-level indicators whose rate is below `rule`'s."""
    return tuple(
        Shortfall(level.id, level.label, level.score, level.points, rule.first_level_rate_at_least)
        for level in levels
        if level.rate < rule.first_level_rate_at_least
    )
