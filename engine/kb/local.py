"""Resolving a local decomposition (`extends:`) against the system it extends.

A local decomposition lists per indicator only its local number, the `base:` number it
decomposes, its responsible units and its anchors (and, where it numbers them, its clauses with
their `base:` ids); everything else is inherited. Inherited anchors are those in the
decomposition's own sources; where there are none, all of the base's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from demozone.common.errors import InputError, Problem
from demozone.kb.model import Anchor, Clause, Indicator, Level, System

__all__ = ["LocalIndicator", "resolve_local"]


@dataclass(frozen=True)
class LocalIndicator:
    """What a local decomposition says of one indicator."""

    number: str
    base: str
    unit_ids: tuple[str, ...]
    unit_names: tuple[str, ...]
    units_text: str | None
    clauses: tuple[Clause, ...] | None  # ids, base ids and anchors only
    anchors: tuple[Anchor, ...]
    line: int | None


def _inherit(
    own: tuple[Anchor, ...], base: tuple[Anchor, ...], sources: tuple[str, ...]
) -> tuple[Anchor, ...]:
    """Own anchors, then the base's in the decomposition's own sources (or all, if none is)."""
    mine = tuple(a for a in base if a.source in sources)
    return tuple(dict.fromkeys(own + mine)) if (own or mine) else base


def resolve_local(system: System, local: list[LocalIndicator], base: System) -> System:
    """`system` with everything it does not say itself taken from `base`, renumbered by its
    indicators' `base:` mapping; InputError lists every base number or id that does not exist."""
    problems: list[Problem] = []
    by_number = {ind.number: ind for ind in base.indicators}
    indicators = []
    for spec in local:
        parent = by_number.get(spec.base)
        if parent is None:
            problems.append(
                Problem(
                    system.file,
                    f"indicators[{spec.number}].base",
                    f"{base.id} has no indicator {spec.base!r}",
                    f"{base.id} 没有指标 {spec.base!r}",
                    line=spec.line,
                )
            )
            continue
        indicators.append(
            replace(
                parent,
                number=spec.number,
                base=spec.base,
                clauses=_local_clauses(system, spec, parent, problems),
                anchors=_inherit(spec.anchors, parent.anchors, system.sources),
                unit_ids=spec.unit_ids,
                unit_names=spec.unit_names,
                units_text=spec.units_text,
                line=spec.line,
            )
        )
    levels = _local_levels(system, base, problems)
    if problems:
        raise InputError(problems)
    pass_rule = system.pass_rule or base.pass_rule
    if system.pass_rule is None and base.pass_rule is not None:
        pass_rule = replace(
            base.pass_rule, anchors=_inherit((), base.pass_rule.anchors, system.sources)
        )
    return replace(
        system,
        first_level=levels,
        indicators=tuple(indicators),
        pass_rule=pass_rule,
        total_points=system.total_points if system.total_points is not None else base.total_points,
        region_classes=system.region_classes or base.region_classes,
    )


def _local_clauses(
    system: System, spec: LocalIndicator, parent: Indicator, problems: list[Problem]
) -> tuple[Clause, ...]:
    def renumber(clause_id: str) -> str:
        head = f"{parent.number}."
        return (
            spec.number + clause_id[len(parent.number) :]
            if clause_id.startswith(head)
            else clause_id
        )

    if spec.clauses is None:
        return tuple(
            replace(
                c, id=renumber(c.id), base=c.id, anchors=_inherit((), c.anchors, system.sources)
            )
            for c in parent.clauses
        )
    result = []
    for clause in spec.clauses:
        base_id = clause.base or parent.number + clause.id[len(spec.number) :]
        original = parent.clause(base_id)
        if original is None:
            problems.append(
                Problem(
                    system.file,
                    f"indicators[{spec.number}].clauses[{clause.id}].base",
                    f"indicator {parent.number} has no clause {base_id!r}",
                    f"指标 {parent.number} 没有条款 {base_id!r}",
                    line=clause.line,
                )
            )
            continue
        anchors = _inherit(clause.anchors, original.anchors, system.sources)
        result.append(
            replace(original, id=clause.id, base=base_id, anchors=anchors, line=clause.line)
        )
    return tuple(result)


def _local_levels(system: System, base: System, problems: list[Problem]) -> tuple[Level, ...]:
    own = {lv.id: lv for lv in system.levels()}
    for level_id in own:
        if base.level(level_id) is None:
            problems.append(
                Problem(
                    system.file,
                    f"first_level[{level_id}]",
                    f"{base.id} has no level {level_id!r}",
                    f"{base.id} 没有层级 {level_id!r}",
                )
            )

    def merge(level: Level) -> Level:
        mine = own.get(level.id)
        if mine is None:
            return replace(level, anchors=_inherit((), level.anchors, system.sources))
        return replace(
            level,
            label=mine.label or level.label,
            label_en=mine.label_en or level.label_en,
            points=mine.points if mine.points is not None else level.points,
            anchors=_inherit(mine.anchors, level.anchors, system.sources),
            line=mine.line,
        )

    return tuple(
        replace(merge(lv), second_level=tuple(merge(s) for s in lv.second_level))
        for lv in base.first_level
    )
