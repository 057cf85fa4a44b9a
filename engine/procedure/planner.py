"""The cheapest set of changes that makes a submission pass (total and every first-level rate).

1. Each rule's kind proposes changes (`plan_options` in demozone.rules.kinds): judged clauses,
   evidence items, metric values. Changes of one metric are alternatives (one value at most);
   the n-th extra item of a category comes only with the n-1 before it.
2. Indicators that share a change form a component. For every component, every combination of
   its choices is applied to the submission and scored exactly (the direct engine): what it adds
   to each first-level heading, what it costs, which responsible units it touches. For each gain
   the cheapest combination is kept (exhaustive within the component, so exact).
3. Across components, a 0/1 program chooses at most one combination per component: the gains
   must reach the pass rule, the cost is minimal; then, at that cost, the number of responsible
   units is minimal (HiGHS, through highspy; integer data scaled from exact fractions).
4. The chosen plan is applied and scored again: it must pass (else DemozoneBug).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from demozone.common.errors import DemozoneBug
from demozone.procedure.apply import apply_to_submission
from demozone.rules.kinds import of
from demozone.rules.units import responsible_units
from demozone.scoring.aggregate import score

MAX_COMBINATIONS = 4096  # per component; beyond it the plan says it is not proven optimal


@dataclass(frozen=True)
class Candidate:
    changes: tuple  # PlanChange
    gain: tuple[Fraction, ...]  # per first-level heading
    cost: Fraction
    units: frozenset[str]


@dataclass
class Plan:
    changes: list
    cost: Fraction
    units: list[str]
    passes_before: bool
    feasible: bool
    exact: bool
    before: object  # ScoreResult
    after: object | None
    indicators: dict  # change key -> indicator numbers


def _choices(options: list) -> list[list[tuple]]:
    """The choices of a component: each a list of alternatives (tuples of changes), () = none."""
    by_metric, ladders, singles = defaultdict(list), defaultdict(list), []
    for change in options:
        if change.kind == "metric":
            by_metric[change.target].append(change)
        elif change.kind == "evidence":
            ladders[change.target].append(change)
        else:
            singles.append(change)
    choices = [[(), (c,)] for c in singles]
    choices += [
        [()] + [(c,) for c in sorted(cs, key=lambda c: c.value)] for cs in by_metric.values()
    ]
    for cs in ladders.values():
        ordered = sorted(cs, key=lambda c: c.copy)
        choices.append([tuple(ordered[:n]) for n in range(len(ordered) + 1)])
    return choices


def _components(rule_set, submission, costs) -> tuple[list[tuple[list, set]], dict]:
    """Components of (changes, indicators) and, per change key, the indicators it touches."""
    touches: dict[str, set] = defaultdict(set)
    changes: dict[str, object] = {}
    for entry in rule_set.indicators:
        for rule in entry.rules:
            for change in of(rule).plan_options(rule, submission):
                if costs.of(change, submission) is None:
                    continue
                changes[change.key] = change
                touches[change.key].add(entry.number)
    readers = _metric_readers(rule_set)
    for key, change in changes.items():
        if change.kind == "metric":  # a metric moves every indicator that reads it
            touches[key] |= readers.get(change.target, set())
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for key, numbers in touches.items():
        first, *rest = sorted(numbers)
        for other in rest:
            parent[find(other)] = find(first)
        metric_group = f"m:{changes[key].target}" if changes[key].kind == "metric" else None
        if metric_group:
            parent[find(metric_group)] = find(first)
    groups: dict[str, tuple[list, set]] = {}
    for key, numbers in touches.items():
        root = find(next(iter(numbers)))
        group = groups.setdefault(root, ([], set()))
        group[0].append(changes[key])
        group[1].update(numbers)
    return list(groups.values()), {k: sorted(v) for k, v in touches.items()}


def _metric_readers(rule_set) -> dict[str, set]:
    """metric -> the indicators whose rules read it (in a test or a ratio)."""
    readers: dict[str, set] = defaultdict(set)
    for entry in rule_set.indicators:
        for rule in entry.rules:
            quantities = [t.left for t in rule.tests] + [t.right for t in rule.tests if t.right]
            quantities += [rule.ratio] if rule.ratio is not None else []
            for quantity in quantities:
                for arg in quantity.args:
                    readers[arg].add(entry.number)
    return readers


def plan(submission, rule_set, kb_system, costs) -> Plan:
    before = score(rule_set, kb_system, submission, "direct")
    levels = [level.id for level in before.first_level]
    components, touches = _components(rule_set, submission, costs)
    units_of = {
        e.number: responsible_units(rule_set, e.number) or (f"指标{e.number}",)
        for e in rule_set.indicators
    }
    exact, tables = True, []
    for options, numbers in components:
        table, complete = _table(
            options,
            numbers,
            submission,
            rule_set,
            kb_system,
            costs,
            before,
            levels,
            touches,
            units_of,
        )
        exact &= complete
        tables.append(table)
    chosen = [] if before.passed else _solve(tables, before, rule_set, levels)
    if chosen is None:
        return Plan([], Fraction(0), [], False, False, exact, before, None, touches)
    changes = [c for cand in chosen for c in cand.changes]
    after = score(rule_set, kb_system, apply_to_submission(submission, changes), "direct")
    if changes and not after.passed:
        raise DemozoneBug("the planner's plan does not pass when scored")
    units = sorted(set().union(*(cand.units for cand in chosen))) if chosen else []
    cost = sum((cand.cost for cand in chosen), Fraction(0))
    return Plan(changes, cost, units, before.passed, True, exact, before, after, touches)


def _table(
    options, numbers, submission, rule_set, kb_system, costs, before, levels, touches, units_of
):
    """gain -> the cheapest Candidate (fewest units on ties) among every combination, scored
    under the component's own indicators (a level's score is the sum of its indicators')."""
    choices = _choices(options)
    complete = math.prod(len(c) for c in choices) <= MAX_COMBINATIONS
    part = dataclasses.replace(
        rule_set, indicators=tuple(e for e in rule_set.indicators if e.number in numbers)
    )
    base = {i.number: i.score for i in before.indicators}
    best: dict[tuple, Candidate] = {}
    for combo in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
        changes = tuple(c for part_ in combo for c in part_)
        if not changes:
            continue
        result = score(part, kb_system, apply_to_submission(submission, changes), "direct")
        by_level = defaultdict(Fraction)
        for indicator in result.indicators:
            by_level[indicator.first_level] += indicator.score - base[indicator.number]
        gain = tuple(by_level[lv] for lv in levels)
        if all(g <= 0 for g in gain):
            continue
        cost = sum((costs.of(c, submission) for c in changes), Fraction(0))
        units = frozenset(u for c in changes for n in touches[c.key] for u in units_of[n])
        found = best.get(gain)
        if found is None or (cost, len(units)) < (found.cost, len(found.units)):
            best[gain] = Candidate(changes, gain, cost, units)
    return list(best.values()), complete


def _solve(tables, before, rule_set, levels) -> list[Candidate] | None:
    candidates = [(i, cand) for i, table in enumerate(tables) for cand in table]
    if not candidates:
        return None
    scale_points = math.lcm(*(g.denominator for _, c in candidates for g in c.gain), 1)
    scale_cost = (
        1  # costs enter as doubles (metric costs have large denominators); sums are exact after
    )
    rule = rule_set.pass_rule
    need_total = rule.total_at_least - before.total
    need = [rule.first_level_rate_at_least * lv.points - lv.score for lv in before.first_level]
    units = sorted(set().union(*(c.units for _, c in candidates)))
    first = _program(candidates, units, scale_points, scale_cost, need_total, need, None)
    if first is None:
        return None
    optimum = sum(c.cost for (_, c), on in zip(candidates, first, strict=True) if on)
    second = _program(candidates, units, scale_points, scale_cost, need_total, need, optimum)
    chosen = second if second is not None else first
    return [c for (_, c), on in zip(candidates, chosen, strict=True) if on]


def _quiet_highs():
    """A Highs instance; its start-up banner goes to stderr, never into stdout's JSON."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _program(candidates, units, sp, sc, need_total, need, cost_cap):
    import highspy

    h = _quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    n, inf = len(candidates), highspy.kHighsInf
    objective = [0.0] * n if cost_cap is not None else [float(c.cost * sc) for _, c in candidates]
    for _value in objective:
        h.addVar(0, 1)
    for _ in units:
        h.addVar(0, 1)
    for j in range(n + len(units)):
        h.changeColIntegrality(j, highspy.HighsVarType.kInteger)
        h.changeColCost(j, objective[j] if j < n else (1.0 if cost_cap is not None else 0.0))
    by_component = defaultdict(list)
    for j, (i, _) in enumerate(candidates):
        by_component[i].append(j)
    for cols in by_component.values():
        h.addRow(-inf, 1, len(cols), cols, [1.0] * len(cols))
    total = [float(sum(c.gain) * sp) for _, c in candidates]
    h.addRow(float(need_total * sp) - 1e-6, inf, n, list(range(n)), total)
    for k, needed in enumerate(need):
        h.addRow(
            float(needed * sp) - 1e-6,
            inf,
            n,
            list(range(n)),
            [float(c.gain[k] * sp) for _, c in candidates],
        )
    if cost_cap is not None:
        h.addRow(
            -inf,
            float(cost_cap * sc) * (1 + 1e-9) + 1e-9,
            n,
            list(range(n)),
            [float(c.cost * sc) for _, c in candidates],
        )
        for u, unit in enumerate(units):
            for j, (_, c) in enumerate(candidates):
                if unit in c.units:  # unit used when the candidate is
                    h.addRow(0, inf, 2, [n + u, j], [1.0, -1.0])
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = h.getSolution().col_value
    return [values[j] > 0.5 for j in range(n)]
