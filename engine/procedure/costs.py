"""What the planner's changes cost: data (rules/procedure/plan-costs.yaml, or a county's file).

One unit per judged clause or evidence item; a metric's cost grows with the relative change
(base + per_percent x |new - old| / old in percent; from zero, as a 100% change); a change whose
key (or key prefix: "metric:online_retail", "evidence:RULE-ID") is listed as impossible is never
proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from demozone.common.errors import InputError, Problem
from demozone.common.numbers import NumberError, to_fraction
from demozone.common.paths import RULES_DIR
from demozone.common.yamlio import load_yaml

DEFAULT_COSTS = RULES_DIR / "procedure" / "plan-costs.yaml"


@dataclass(frozen=True)
class Costs:
    judgment: Fraction
    evidence: Fraction
    metric_base: Fraction
    metric_per_percent: Fraction
    impossible: tuple[str, ...]
    file: str

    def of(self, change, submission) -> Fraction | None:
        """The cost of one change, or None when it is impossible."""
        key = change.key
        if any(key == k or key.startswith((k + "=", k + "#", k + ":")) for k in self.impossible):
            return None
        if change.kind == "judgment":
            return self.judgment
        if change.kind == "evidence":
            return self.evidence
        old = submission.metrics.get((change.target, submission.years[-1]))
        old_value = old.value if old is not None else Fraction(0)
        relative = abs(change.value - old_value) / old_value if old_value else Fraction(1)
        return self.metric_base + self.metric_per_percent * relative * 100


def load_costs(path: Path | None = None) -> Costs:
    file = Path(path) if path else DEFAULT_COSTS
    try:
        raw = load_yaml(file)
        metric = raw.get("metric") or {}
        costs = Costs(
            _positive(raw.get("judgment", 1)),
            _positive(raw.get("evidence", 1)),
            _positive(metric.get("base", 1)),
            to_fraction(str(metric.get("per_percent", "0.1"))),
            tuple(str(k) for k in raw.get("impossible") or ()),
            str(file),
        )
    except (OSError, AttributeError, TypeError, NumberError, ValueError) as err:
        raise InputError(
            [
                Problem(
                    str(file),
                    "",
                    f"cannot read the cost file: {err}",
                    f"无法读取成本文件：{err}",
                    "judgment, evidence: positive numbers; metric: {base, per_percent}; impossible: [keys]",
                )
            ]
        ) from None
    return costs


def _positive(value: object) -> Fraction:
    number = to_fraction(str(value))
    if number <= 0:
        raise ValueError(f"costs must be positive, got {value}")
    return number
