"""`kb check` on the knowledge base against itself: points that add up (clauses -> indicator ->
second level -> first level -> total), a local decomposition that covers the system it extends,
and responsible units named after another place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from demozone.common.diagnostics import Finding
from demozone.common.numbers import fmt_points
from demozone.kb import model as kbmodel
from demozone.kb.check_report import kb_finding

_PLACE_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,3}?)[市县区]")
_NOT_A_PLACE = set("市县区各本全镇乡街")


def check_arithmetic(kb: kbmodel.KB) -> Iterator[Finding]:
    """Points add up: clauses -> indicator, indicators -> levels, levels and indicators -> total."""
    for system in kb.systems.values():
        yield from _level_sums(system)
        if not system.extends:  # clause points are the extended system's
            for ind in system.indicators:
                yield from _clause_sum(system, ind)


def _sum(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _level_sums(system: kbmodel.System) -> Iterator[Finding]:
    def finding(
        subject: str, what: tuple[str, str], parts: tuple[str, str], declared, got, line=None
    ):
        return kb_finding(
            "warning",
            "arithmetic",
            system.id,
            subject,
            f"{what[0]} declares {fmt_points(declared)} points; its {parts[0]} sum to {fmt_points(got)}",
            f"{what[1]}标明 {fmt_points(declared)} 分，其{parts[1]}合计 {fmt_points(got)} 分",
            system.file,
            line,
            _first(system.sources),
        )

    for level in system.levels():
        members = [i for i in system.indicators if level.id in (i.first_level, i.second_level)]
        got = _sum(i.points for i in members)
        what = (
            ("second-level " if level.parent else "first-level ") + level.label,
            ("二级指标" if level.parent else "一级指标") + f"“{level.label}”",
        )
        if level.points is not None and got != level.points:
            yield finding(
                f"level {level.id}", what, ("indicators", "指标"), level.points, got, level.line
            )
        subs = _sum(s.points for s in level.second_level)
        if level.second_level and level.points is not None and subs != level.points:
            yield finding(
                f"level {level.id}",
                what,
                ("second levels", "二级指标"),
                level.points,
                subs,
                level.line,
            )
    if system.total_points is not None:
        what = ("the system", "指标体系总分")
        got = _sum(i.points for i in system.indicators)
        if got != system.total_points:
            yield finding("total", what, ("indicators", "指标"), system.total_points, got)
        firsts = _sum(lv.points for lv in system.first_level)
        if firsts != system.total_points:
            yield finding("total", what, ("first levels", "一级指标"), system.total_points, firsts)


def _first(values: tuple[str, ...]) -> str:
    return values[0] if values else ""


def _clause_sum(system: kbmodel.System, ind: kbmodel.Indicator) -> Iterator[Finding]:
    if ind.rule_text or not ind.clauses or ind.points is None:
        return
    stated = [c.points for c in ind.clauses]
    total = _sum(stated)
    parts = " + ".join(fmt_points(p) for p in stated if p is not None)
    subject = f"indicator {ind.number}"
    common = dict(file=system.file, line=ind.line, source=_first(system.sources))
    if total > ind.points:
        yield kb_finding(
            "warning",
            "arithmetic",
            system.id,
            subject,
            f"clause points {parts} = {fmt_points(total)} exceed the indicator's {fmt_points(ind.points)}",
            f"条款分值 {parts} = {fmt_points(total)}，超过指标分值 {fmt_points(ind.points)}",
            **common,
        )
    elif None not in stated and total < ind.points:
        gap = ind.points - total
        yield kb_finding(
            "warning",
            "arithmetic",
            system.id,
            subject,
            f"the clauses reach at most {fmt_points(total)} of the indicator's {fmt_points(ind.points)} points: {fmt_points(gap)} unreachable",
            f"条款最高合计 {fmt_points(total)} 分，指标分值 {fmt_points(ind.points)} 分中有 {fmt_points(gap)} 分无法取得",
            **common,
        )


def check_coverage(kb: kbmodel.KB) -> Iterator[Finding]:
    """A local decomposition should decompose every indicator of the system it extends, once."""
    for system in kb.systems.values():
        base = kb.system(system.extends) if system.extends else None
        if base is None:
            continue
        used = [i.base for i in system.indicators]
        for ind in base.indicators:
            if ind.number not in used:
                yield kb_finding(
                    "warning",
                    "coverage",
                    system.id,
                    f"base indicator {ind.number}",
                    f"indicator {ind.number} of {base.id} ({ind.label}, {fmt_points(ind.points or 0)} points) has no counterpart in {system.id}",
                    f"{base.id} 的指标 {ind.number}（{ind.label}，{fmt_points(ind.points or 0)} 分）在 {system.id} 中缺失",
                    system.file,
                    None,
                    _first(system.sources),
                )
            elif used.count(ind.number) > 1:
                yield kb_finding(
                    "warning",
                    "coverage",
                    system.id,
                    f"base indicator {ind.number}",
                    f"indicator {ind.number} of {base.id} is decomposed {used.count(ind.number)} times",
                    f"{base.id} 的指标 {ind.number} 被重复分解",
                    system.file,
                )


def check_units(kb: kbmodel.KB) -> Iterator[Finding]:
    """A unit named after a city or county other than the system's own locality."""
    for system in kb.systems.values():
        if not system.locality:
            continue
        home = system.locality.rstrip("市县区")
        for unit in system.units:
            match = _PLACE_PREFIX.match(unit.name)
            if not match or _NOT_A_PLACE & set(match.group(1)) or match.group(1) == home:
                continue
            cited = [i.number for i in system.indicators if unit.id in i.unit_ids]
            listed = ", ".join(cited) or "none"
            yield kb_finding(
                "warning",
                "units",
                system.id,
                f"unit {unit.id}",
                f"responsible unit {unit.name!r} begins with the place name {match.group(0)!r}, not {system.locality} (indicators {listed})",
                f"责任单位“{unit.name}”以“{match.group(0)}”开头，而非{system.locality}（指标 {listed}）",
                system.file,
                None,
                _first(system.sources),
            )
