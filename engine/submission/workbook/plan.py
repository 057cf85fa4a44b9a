"""What one system's workbook holds: the metrics its rules read (with unit and the indicators
that read them), the national comparators they may override, the clauses scored by judgment
(with their verbatim text), its region classes; read from the knowledge base and the rules."""

from __future__ import annotations

from dataclasses import dataclass

from demozone.common.errors import InputError, Problem
from demozone.kb import load as kb
from demozone.kb.metrics import metric_vocabulary
from demozone.rules.load import judged_clauses, needed_metrics
from demozone.rules.lookup import rules_of


@dataclass(frozen=True)
class Row:
    """A row of 指标数据: a metric or a national comparator."""

    id: str
    label: str
    unit: str
    kind: str  # amount | count | rate | growth
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class ClauseRow:
    id: str
    indicator: str  # "12 发挥信用监管的基础作用"
    text: str


@dataclass(frozen=True)
class Plan:
    system: str  # the knowledge-base system a submission names
    title: str
    region_classes: tuple[str, ...]
    metrics: tuple[Row, ...]
    references: tuple[Row, ...]
    clauses: tuple[ClauseRow, ...]
    systems: tuple[str, ...]  # every system a submission may name


def plan_of(system_id: str) -> Plan:
    """The plan of a system (or of a variant's knowledge-base system, with the variant's rules);
    InputError for an unknown system."""
    rule_set = rules_of(system_id)
    system = kb.get_system(rule_set.kb_system)
    if system is None:
        raise InputError(
            [
                Problem(
                    system_id, "", f"unknown system {system_id!r}", f"未知的指标体系 {system_id!r}"
                )
            ]
        )
    used: dict[str, set[str]] = {}
    referenced: dict[str, set[str]] = {}
    for rule in rule_set.rules():
        for metric in needed_metrics(rule):
            used.setdefault(metric, set()).add(rule.indicator)
        for ref in _references(rule):
            referenced.setdefault(ref, set()).add(rule.indicator)
    judged = judged_clauses(rule_set)
    clauses = tuple(
        ClauseRow(c.id, f"{i.number} {i.label}", c.text)
        for i in system.indicators
        for c in i.clauses
        if c.id in judged
    )
    return Plan(
        system.id,
        system.title,
        tuple(system.region_classes),
        tuple(metric_row(m, used[m]) for m in _in_vocabulary_order(used)),
        tuple(reference_row(r, referenced[r]) for r in sorted(referenced)),
        clauses,
        tuple(kb.load_kb().systems),
    )


def _references(rule) -> set[str]:
    """The reference ids (national comparators) a rule's quantities may read."""
    quantities = [q for t in rule.tests for q in (t.left, t.right) if q is not None]
    if rule.ratio:
        quantities.append(rule.ratio)
    refs = set()
    for q in quantities:
        if q.form == "reference":
            refs.update(q.args)
        elif q.form == "national_growth":
            refs.update(f"national_{a}_growth" for a in q.args)
        elif q.form == "national_ratio":
            refs.update(f"national_{a}" for a in q.args)
    return refs


def _in_vocabulary_order(ids) -> list[str]:
    order = list(metric_vocabulary())
    return sorted(ids, key=lambda m: order.index(m) if m in order else len(order))


def _indicator_order(numbers) -> tuple[str, ...]:
    return tuple(
        sorted(numbers, key=lambda n: [int(p) if p.isdigit() else 0 for p in n.split(".")])
    )


def metric_row(metric_id: str, indicators=()) -> Row:
    metric = metric_vocabulary()[metric_id]
    return Row(metric_id, metric.label, metric.unit, metric.kind, _indicator_order(indicators))


def reference_row(ref: str, indicators=()) -> Row:
    """A national comparator's row: national_<metric> (the metric's kind) or its _growth."""
    growth = ref.endswith("_growth")
    metric_id = ref.removeprefix("national_").removesuffix("_growth") if growth else ref[9:]
    metric = metric_vocabulary().get(metric_id)
    label = metric.label if metric else metric_id
    if growth:
        return Row(ref, f"全国{label}同比增速", "%", "growth", _indicator_order(indicators))
    unit = metric.unit if metric else ""
    kind = metric.kind if metric else "amount"
    return Row(ref, f"全国{label}", unit, kind, _indicator_order(indicators))
