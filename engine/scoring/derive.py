"""Derive the cases of a rule from a submission: exact operands, the facts they rest on, and
what is missing.

This is the arithmetic of scoring (growth, ratios, differences, majorities, item thresholds),
done once in exact fractions. The durable-rules engine calls it from its derivation rules and
the direct evaluator calls it too; neither decides anything here: branches decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from demozone.kb.metrics import metric_label
from demozone.kb.national import NationalFigure, national_figures
from demozone.rules import kinds
from demozone.rules.model import Quantity, Rule, Test
from demozone.scoring.facts import FactId


@dataclass(frozen=True)
class FactUse:
    """A fact a derivation read: its value and where it came from."""

    fact_id: FactId  # stable: metric:online_retail:2023, national:online_retail:2023:growth, ...
    label: str  # 网上零售额 2023
    value: Fraction | str | bool
    origin: str  # submission | kb | reference
    where: str  # the submission field path, or the published source of a KB figure
    evidence: tuple[str, ...] = ()
    assessor: str = ""
    assessor_name: str = ""  # the name the submission gives the assessor, if any


@dataclass(frozen=True)
class Operand:
    """An operand of a case: `left - right` or `left`, with both sides kept for explanations."""

    name: str
    value: Fraction
    left: Fraction
    right: Fraction | None
    text: str  # how it was computed, e.g. "growth(online_retail) 2023 - national_growth(...)"


@dataclass
class Case:
    """One thing a rule's branches are tested on: a year, an item, a clause, or the submission."""

    rule: Rule
    key: str
    operands: dict[str, Operand] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    inputs: list[FactUse] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # what the case was made of, for the words of explanations: its tests (operand i is test
    # i's) and its year (an assessed year, or the year an operator reached the threshold)
    tests: tuple[Test, ...] = ()
    year: int | None = None

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def fact_id(self) -> FactId:
        return FactId.case(self.rule.id, self.key)


class _Missing(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Derivation:
    """Evaluates quantities over one submission, remembering every fact it reads."""

    def __init__(self, submission) -> None:
        self.submission = submission
        self.figures = national_figures()
        self.last_year = submission.years[-1]
        self.judgments: dict[str, list] = {}
        for judgment in submission.judgments:
            self.judgments.setdefault(judgment.clause, []).append(judgment)

    # -- cases ---------------------------------------------------------------------------
    def cases(self, rule: Rule) -> list[Case]:
        """Every case of a rule, complete or with its missing facts named: which cases a rule
        has is its kind's to say (`RuleKind.cases`), through `test_case` and `item_cases`."""
        return kinds.of(rule).cases(rule, self)

    def test_case(self, rule: Rule, tests: Iterable[Test], key: str, year: int) -> Case:
        """A case whose operand i is test i's left side, less its right side when it has one,
        in `year`; a fact that is missing is named instead."""
        tests = tuple(tests)
        case = Case(rule, key, tests=tests, year=year)
        for i, test in enumerate(tests):
            try:
                left, left_text = self._quantity(test.left, year, case)
                right, right_text = (None, "")
                if test.right is not None:
                    right, right_text = self._quantity(test.right, year, case)
            except _Missing as missing:
                case.missing.append(missing.what)
                continue
            value = left - right if right is not None else left
            text = f"{left_text} - {right_text}" if right is not None else left_text
            case.operands[f"o{i}"] = Operand(f"o{i}", value, left, right, text)
        return case

    def item_cases(self, rule: Rule) -> Iterable[Case]:
        """A case for each submitted item the rule counts: operators or evidence."""
        if rule.items_of == "operators":
            for operator in self.submission.operators:
                yield self._operator_case(rule, operator)
        else:
            for evidence in self.submission.evidence.values():
                yield self._evidence_case(rule, evidence)

    def _operator_case(self, rule: Rule, operator) -> Case:
        case = Case(rule, f"operator{operator.index}", year=operator.year)
        case.inputs.append(
            FactUse(
                FactId.operator(operator.index),
                f"{operator.name} ({operator.year})",
                operator.annual_sales,
                "submission",
                operator.path,
            )
        )
        case.attributes["a_name"] = operator.name
        case.attributes["a_assessed"] = "yes" if operator.year in self.submission.years else "no"
        for i, item_filter in enumerate(rule.item_filters):
            threshold = self._threshold(item_filter)
            if threshold is None:
                case.missing.append(
                    f"threshold {item_filter.parameter}[{self.submission.region_class}]"
                )
                continue
            sales = getattr(operator, item_filter.field)
            case.operands[f"o{i}"] = Operand(
                f"o{i}",
                sales - threshold,
                sales,
                threshold,
                f"{item_filter.field} - {item_filter.parameter or 'threshold'}",
            )
        return case

    def _threshold(self, item_filter) -> Fraction | None:
        if item_filter.threshold is not None:
            return item_filter.threshold
        return dict(item_filter.by_region_class).get(self.submission.region_class)

    def _evidence_case(self, rule: Rule, evidence) -> Case:
        case = Case(rule, FactId.evidence(evidence.id))
        case.inputs.append(
            FactUse(
                FactId.evidence(evidence.id),
                evidence.title,
                evidence.kind,
                "submission",
                evidence.path,
                evidence=(evidence.id,),
            )
        )
        for name in ("kind", "level", "type", "form"):
            case.attributes[f"a_{name}"] = str(getattr(evidence, name) or "")
        return case

    # -- quantities ----------------------------------------------------------------------
    def _quantity(self, q: Quantity, year: int, case: Case) -> tuple[Fraction, str]:
        form = q.form
        if form == "growth":
            now, before = (
                self._metric(q.args[0], year, case),
                self._metric(q.args[0], year - 1, case),
            )
            return _divide(
                now, before, f"{q.args[0]}[{year - 1}]"
            ) - 1, f"{year}年{metric_label(q.args[0])}同比增速"
        if form == "ratio":
            top, bottom = self._metric(q.args[0], year, case), self._metric(q.args[1], year, case)
            return _divide(
                top, bottom, f"{q.args[1]}[{year}]"
            ), f"{year}年{metric_label(q.args[0])}/{metric_label(q.args[1])}"
        if form == "metric":
            return self._metric(q.args[0], year, case), f"{metric_label(q.args[0])}"
        if form == "national_growth":
            return self._national_growth(
                q.args[0], year, case
            ), f"{year}年全国{metric_label(q.args[0])}同比增速"
        if form == "national_ratio":
            top = self._national_level(q.args[0], year, case)
            bottom = self._national_level(q.args[1], year, case)
            return _divide(
                top, bottom, f"national_{q.args[1]}[{year}]"
            ), f"{year}年全国{metric_label(q.args[0])}/{metric_label(q.args[1])}"
        if form == "reference":
            return self._reference(q.args[0], year, case), q.args[0]
        if form == "judged":
            return self._majority_margin(q.args[0], case), f"条款{q.args[0]}评审多数(满足减不满足)"
        raise AssertionError(f"unknown quantity {form}")

    def _metric(self, metric: str, year: int, case: Case) -> Fraction:
        value = self.submission.metrics.get((metric, year))
        if value is None:
            raise _Missing(f"{metric}[{year}]")
        case.inputs.append(
            FactUse(
                FactId.metric(metric, year),
                f"{metric_label(metric)} {year}",
                value.value,
                "submission",
                value.path,
            )
        )
        return value.value

    def _reference(self, ref: str, year: int, case: Case) -> Fraction:
        value = self.submission.references.get((ref, year)) or self.submission.references.get(
            (ref, None)
        )
        if value is None:
            raise _Missing(f"reference.{ref}")
        case.inputs.append(
            FactUse(FactId.reference(ref, value.year), ref, value.value, "reference", value.path)
        )
        return value.value

    def _national_growth(self, metric: str, year: int, case: Case) -> Fraction:
        override = f"national_{metric}_growth"
        if self._has_reference(override, year):
            return self._reference(override, year, case)
        figure = self.figures.get((metric, year))
        if figure is None or figure.growth is None:
            raise _Missing(f"reference.{override}[{year}]")
        case.inputs.append(_kb_use(figure, "growth", figure.growth))
        return figure.growth

    def _national_level(self, metric: str, year: int, case: Case) -> Fraction:
        override = f"national_{metric}"
        if self._has_reference(override, year):
            return self._reference(override, year, case)
        figure = self.figures.get((metric, year))
        if figure is None or figure.level is None:
            raise _Missing(f"reference.{override}[{year}]")
        case.inputs.append(_kb_use(figure, "level", figure.level))
        return figure.level

    def _has_reference(self, ref: str, year: int) -> bool:
        refs = self.submission.references
        return (ref, year) in refs or (ref, None) in refs

    def _majority_margin(self, clause: str, case: Case) -> Fraction:
        judgments = self.judgments.get(clause, [])
        if not judgments:
            raise _Missing(f"judgment[{clause}]")
        for j in judgments:
            case.inputs.append(
                FactUse(
                    FactId.judgment(j.index, clause, j.assessor),
                    judgment_label(clause),
                    j.satisfied,
                    "submission",
                    j.path,
                    evidence=tuple(j.evidence),
                    assessor=j.assessor,
                    assessor_name=getattr(self.submission, "assessors", {}).get(j.assessor, ""),
                )
            )
        yes = sum(1 for j in judgments if j.satisfied)
        return Fraction(yes - (len(judgments) - yes))


def _divide(top: Fraction, bottom: Fraction, what: str) -> Fraction:
    if bottom == 0:
        raise _Missing(f"{what} = 0 (division by zero)")
    return top / bottom


def _kb_use(figure: NationalFigure, what: str, value: Fraction) -> FactUse:
    label = f"全国{metric_label(figure.metric)} {figure.year} ({'同比增速' if what == 'growth' else '总量'})"
    fact_id = FactId.national(figure.metric, figure.year, what)
    return FactUse(fact_id, label, value, "kb", figure.source)


def judgment_label(clause: str) -> str:
    """What an assessor's judgment on a clause is called (条款<clause>评审意见)."""
    return f"条款{clause}评审意见"
