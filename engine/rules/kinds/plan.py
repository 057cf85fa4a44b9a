"""What the planner (demozone.procedure) may change to gain a rule's points: `PlanChange`, and
the helpers the kinds' `plan_options` share.

A change is one of three things: a judged clause satisfied by new work ("judgment"), one more
qualifying evidence item ("evidence", with the fields it must have), or a metric of the last
assessed year moved to a value ("metric"; earlier years are history). A kind proposes the
changes that could matter; the planner scores every combination exactly and keeps what pays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from demozone.kb.metrics import metric_vocabulary


@dataclass(frozen=True)
class PlanChange:
    kind: str  # judgment | evidence | metric
    target: str  # the clause, the rule (evidence), or the metric
    value: Fraction | None = None  # the metric's new value
    fields: tuple[tuple[str, str], ...] = ()  # an evidence item's kind/level/type/form
    copy: int = 0  # the n-th extra evidence item of one rule

    @property
    def key(self) -> str:
        if self.kind == "metric":
            return f"metric:{self.target}={self.value}"
        if self.kind == "evidence":
            return f"evidence:{self.target}#{self.copy}"
        return f"judgment:{self.target}"


def step_of(metric: str) -> Fraction:
    """The finest value a plan proposes for a metric: 0.01% for rates, 1 for counts, else 0.01."""
    kind = getattr(metric_vocabulary().get(metric), "kind", "amount")
    return {"rate": Fraction(1, 10000), "count": Fraction(1)}.get(kind, Fraction(1, 100))


def at_least(metric: str, bound: Fraction, strict: bool) -> Fraction:
    """The smallest value on the metric's grid that is >= bound (> bound when strict)."""
    step = step_of(metric)
    units = math.ceil(bound / step)
    if strict and units * step == bound:
        units += 1
    value = units * step
    if getattr(metric_vocabulary().get(metric), "kind", "") == "rate":
        value = min(value, Fraction(1))
    return value


def metric_change(metric: str, value: Fraction) -> PlanChange:
    return PlanChange("metric", metric, value)


def judgment_changes(clauses) -> list[PlanChange]:
    return [PlanChange("judgment", clause) for clause in sorted(clauses)]


def metric_target(test, submission) -> PlanChange | None:
    """A metric test (`metric compare constant`, or against a submitted reference) met by moving
    the metric's last-year value just past the bound; None for any other test."""
    if test.left.form != "metric":
        return None
    metric = test.left.args[0]
    year = submission.years[-1]
    if test.right is None:
        bound = test.constant
    elif test.right.form == "reference":
        ref = submission.references.get((test.right.args[0], year)) or submission.references.get(
            (test.right.args[0], None)
        )
        if ref is None:
            return None
        bound = ref.value
    else:
        return None
    if test.compare in (">", ">="):
        return metric_change(metric, at_least(metric, bound, test.compare == ">"))
    if test.compare in ("<", "<="):
        step = step_of(metric)
        units = math.floor(bound / step) - (1 if test.compare == "<" and bound % step == 0 else 0)
        return metric_change(metric, max(Fraction(0), units * step))
    return None


def growth_target(test, submission) -> PlanChange | None:
    """`growth(m) compare X` in the last assessed year met by moving m's last-year value just
    past last year's m times (1 + X), X being the national growth (a submitted reference, else
    the knowledge base's national statistics) or another metric's growth; None otherwise."""
    if test.left.form != "growth" or test.right is None or test.compare not in (">", ">="):
        return None
    metric, year = test.left.args[0], submission.years[-1]
    before = submission.metrics.get((metric, year - 1))
    growth = _comparator_growth(test.right, submission, year)
    if before is None or growth is None:
        return None
    return metric_change(metric, at_least(metric, before.value * (1 + growth), test.compare == ">"))


def _comparator_growth(quantity, submission, year: int) -> Fraction | None:
    (other,) = quantity.args[:1] or (None,)
    if quantity.form == "growth":
        now, then = submission.metrics.get((other, year)), submission.metrics.get((other, year - 1))
        return now.value / then.value - 1 if now and then and then.value else None
    if quantity.form != "national_growth":
        return None
    refs = submission.references
    ref = refs.get((f"national_{other}_growth", year)) or refs.get(
        (f"national_{other}_growth", None)
    )
    if ref is not None:
        return ref.value
    from demozone.kb.national import national_figures

    figure = national_figures().get((other, year))
    return figure.growth if figure is not None else None
