"""Indicator systems (kb/systems/*.yaml): read strictly, then resolve local decompositions.

A system of its own lists its levels and indicators in full. A local decomposition (`extends:`)
lists per indicator only its local number, the `base:` number it decomposes, its responsible units
and its anchors (and, where it numbers them, its clauses with their `base:` ids); everything else
is inherited from the extended system (`demozone.kb.local` resolves it).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from demozone.common.errors import InputError, Problem
from demozone.kb.local import LocalIndicator, resolve_local
from demozone.kb.model import Clause, Indicator, Level, PassRule, System, Unit
from demozone.kb.reader import Reader, relative_name

SYSTEM_KEYS = {
    "id",
    "title",
    "title_en",
    "status",
    "extends",
    "revision_of",
    "locality",
    "sources",
    "total_points",
    "region_classes",
    "pass_rule",
    "first_level",
    "indicators",
    "units",
    "source_defects",
}
LEVEL_KEYS = {"id", "number", "label", "label_en", "points", "anchors", "second_level"}
INDICATOR_KEYS = {
    "number",
    "first_level",
    "second_level",
    "label",
    "label_en",
    "points",
    "nature",
    "methods",
    "data_sources",
    "criterion",
    "metrics",
    "clauses",
    "rule_text",
    "anchors",
}
LOCAL_INDICATOR_KEYS = {"number", "base", "units", "clauses", "anchors"}
CLAUSE_KEYS = {"id", "text", "points", "anchors"}
LOCAL_CLAUSE_KEYS = {"id", "base", "anchors"}
UNITS_KEYS = {"text", "names", "ids"}
PASS_RULE_KEYS = {"total_at_least", "first_level_rate_at_least", "anchors"}


def read_systems(
    root: Path, source_ids: frozenset[str], metric_ids: frozenset[str]
) -> list[System]:
    """Every system file, local decompositions resolved against the systems they extend."""
    problems: list[Problem] = []
    read: dict[str, tuple[System, list[LocalIndicator] | None]] = {}
    for path in sorted((root / "systems").glob("*.yaml")):
        try:
            system, local = _read_system(path, root, source_ids, metric_ids)
        except InputError as err:
            problems.extend(err.problems)
            continue
        if system.id in read:
            problems.append(
                Problem(
                    system.file, "id", f"system {system.id!r} defined twice", "指标体系重复定义"
                )
            )
        read[system.id] = (system, local)
    resolved: dict[str, System] = {}
    for system_id in read:
        _resolve(system_id, read, resolved, problems, ())
    if problems:
        raise InputError(problems)
    order = sorted(read, key=lambda s: (read[s][0].extends is not None, s))
    return [resolved[s] for s in order if s in resolved]


def _resolve(system_id, read, resolved, problems, chain) -> System | None:
    if system_id in resolved:
        return resolved[system_id]
    system, local = read[system_id]
    for key, ref in (("extends", system.extends), ("revision_of", system.revision_of)):
        if ref and ref not in read:
            problems.append(
                Problem(system.file, key, f"unknown system {ref!r}", f"未知的指标体系 {ref!r}")
            )
            return None
    if system.extends is None:
        resolved[system_id] = system
        return system
    if system.extends in chain:
        problems.append(
            Problem(
                system.file, "extends", "systems extend each other in a cycle", "指标体系循环继承"
            )
        )
        return None
    base = _resolve(system.extends, read, resolved, problems, (*chain, system_id))
    if base is None:
        return None
    try:
        resolved[system_id] = resolve_local(system, local or [], base)
    except InputError as err:
        problems.extend(err.problems)
        return None
    return resolved[system_id]


# ---------------------------------------------------------------------------------------------
# Reading one file


def _read_system(
    path: Path, root: Path, source_ids, metric_ids
) -> tuple[System, list[LocalIndicator] | None]:
    reader = Reader(path, relative_name(path, root), source_ids)
    doc = reader.document(SYSTEM_KEYS, {"id", "title", "status", "sources", "indicators"})
    system_id = reader.text(doc, "id", "") or path.stem
    if system_id != path.stem:
        reader.problem(
            "id",
            f"id {system_id!r} differs from the file name {path.stem!r}",
            "id 应与文件名一致",
            doc,
            "id",
        )
    extends = reader.text(doc, "extends", "", required=False)
    levels = _read_levels(reader, doc)
    units = tuple(
        Unit(reader.text(u, "id", f"units[{k}]") or "", reader.text(u, "name", f"units[{k}]") or "")
        for k, u in reader.list_items(doc, "units")
        if reader.keys(u, f"units[{k}]", {"id", "name"}, {"id", "name"})
    )
    _no_duplicates(reader, [(u.id, None) for u in units], "units", "unit id")
    local = _read_local_indicators(reader, doc, units) if extends else None
    indicators = () if extends else _read_indicators(reader, doc, levels, metric_ids)
    total = reader.number(doc, "total_points", "")
    system = System(
        id=system_id,
        title=reader.text(doc, "title", "") or "",
        title_en=reader.text(doc, "title_en", "", required=False) or "",
        status=reader.text(doc, "status", "") or "",
        extends=extends,
        revision_of=reader.text(doc, "revision_of", "", required=False),
        locality=reader.text(doc, "locality", "", required=False),
        sources=reader.strings(doc, "sources", ""),
        total_points=total,
        region_classes=reader.strings(doc, "region_classes", "", required=False),
        pass_rule=_read_pass_rule(reader, doc),
        first_level=levels,
        indicators=indicators,
        units=units,
        source_defects=reader.defects(doc),
        file=reader.name,
    )
    reader.raise_if_any()
    return system, local


def _read_levels(reader: Reader, doc: dict) -> tuple[Level, ...]:
    levels = []
    for k, spec in reader.list_items(doc, "first_level"):
        where = f"first_level[{spec.get('id', k)}]"
        if not reader.keys(spec, where, LEVEL_KEYS, {"id"}):
            continue
        seconds = tuple(
            _level(reader, sub, f"{where}.second_level[{sub.get('id', j)}]", parent=spec["id"])
            for j, sub in reader.list_items(spec, "second_level", where)
            if reader.keys(sub, f"{where}.second_level[{j}]", LEVEL_KEYS - {"second_level"}, {"id"})
        )
        levels.append(replace(_level(reader, spec, where, None), second_level=seconds))
    every = [(lv.id, lv.line) for first in levels for lv in (first, *first.second_level)]
    _no_duplicates(reader, every, "first_level", "level id")
    return tuple(levels)


def _level(reader: Reader, spec: dict, where: str, parent: str | None) -> Level:
    number = reader.value(spec, "number", where, int, required=False)
    return Level(
        id=reader.text(spec, "id", where) or "",
        number=number,
        label=reader.text(spec, "label", where, required=False) or "",
        label_en=reader.text(spec, "label_en", where, required=False) or "",
        points=reader.number(spec, "points", where),
        anchors=reader.anchors(spec, where),
        parent=parent,
        line=spec.line,
    )


def _read_pass_rule(reader: Reader, doc: dict) -> PassRule | None:
    spec = doc.get("pass_rule")
    if spec is None or not reader.keys(
        spec, "pass_rule", PASS_RULE_KEYS, PASS_RULE_KEYS - {"anchors"}
    ):
        return None
    total = reader.decimal_text(spec, "total_at_least", "pass_rule")
    rate = reader.decimal_text(spec, "first_level_rate_at_least", "pass_rule", percent=True)
    if total is None or rate is None:
        return None
    return PassRule(total, rate, reader.anchors(spec, "pass_rule"))


def _read_indicators(reader: Reader, doc: dict, levels, metric_ids) -> tuple[Indicator, ...]:
    children = {lv.id: {s.id for s in lv.second_level} for lv in levels}
    result = []
    for k, spec in reader.list_items(doc, "indicators"):
        where = f"indicators[{spec.get('number', k)}]"
        if not reader.keys(spec, where, INDICATOR_KEYS, {"number", "first_level", "label"}):
            continue
        number = reader.ident(spec, "number", where) or ""
        first, second = (
            reader.text(spec, "first_level", where),
            reader.text(spec, "second_level", where, False),
        )
        if first not in children:
            reader.problem(
                f"{where}.first_level",
                f"unknown first level {first!r}",
                f"未知的一级指标 {first!r}",
                spec,
                "first_level",
            )
        elif (second or children[first]) and second not in children[first]:
            allowed = ", ".join(sorted(children[first]))
            reader.problem(
                f"{where}.second_level",
                f"{second!r} is not a second level of {first!r} ({allowed})",
                f"{second!r} 不是 {first!r} 的二级指标",
                spec,
                "second_level",
            )
        metrics = reader.strings(spec, "metrics", where, required=False)
        for metric in sorted(set(metrics) - metric_ids):
            reader.problem(
                f"{where}.metrics",
                f"unknown metric {metric!r}",
                f"未知的数据项 {metric!r}",
                spec,
                "metrics",
            )
        clauses = tuple(
            _clause(reader, c, f"{where}.clauses[{j}]")
            for j, c in reader.list_items(spec, "clauses", where)
        )
        _no_duplicates(reader, [(c.id, c.line) for c in clauses], f"{where}.clauses", "clause id")
        result.append(
            Indicator(
                number=number,
                label=reader.text(spec, "label", where) or "",
                label_en=reader.text(spec, "label_en", where, required=False) or "",
                points=reader.number(spec, "points", where),
                first_level=first or "",
                second_level=second,
                nature=reader.text(spec, "nature", where, required=False) or "",
                methods=reader.strings(spec, "methods", where, required=False),
                data_sources=reader.strings(spec, "data_sources", where, required=False),
                criterion=reader.text(spec, "criterion", where, required=False) or "",
                metrics=metrics,
                clauses=clauses,
                rule_text=reader.text(spec, "rule_text", where, required=False),
                anchors=reader.anchors(spec, where),
                line=spec.line,
            )
        )
    _no_duplicates(reader, [(i.number, i.line) for i in result], "indicators", "indicator number")
    return tuple(result)


def _clause(reader: Reader, spec: dict, where: str, local: bool = False) -> Clause:
    keys = LOCAL_CLAUSE_KEYS if local else CLAUSE_KEYS
    reader.keys(spec, where, keys, {"id"})
    if "id" in spec and not isinstance(spec["id"], str):
        reader.problem(
            f"{where}.id",
            f"clause ids are text: write '{spec['id']}' in quotes",
            "条款编号应为文本（加引号）",
            spec,
            "id",
        )
    return Clause(
        id=str(spec.get("id", "")),
        text="" if local else reader.text(spec, "text", where) or "",
        points=None if local else reader.number(spec, "points", where),
        anchors=reader.anchors(spec, where),
        base=reader.ident(spec, "base", where, required=False) if local else None,
        line=spec.line,
    )


def _read_local_indicators(
    reader: Reader, doc: dict, units: tuple[Unit, ...]
) -> list[LocalIndicator]:
    names = {u.id: u.name for u in units}
    result = []
    for k, spec in reader.list_items(doc, "indicators"):
        where = f"indicators[{spec.get('number', k)}]"
        if not reader.keys(spec, where, LOCAL_INDICATOR_KEYS, {"number", "base"}):
            continue
        unit_spec = spec.get("units") or {}
        reader.keys(unit_spec, f"{where}.units", UNITS_KEYS)
        unit_ids = reader.strings(unit_spec, "ids", f"{where}.units", required=False)
        unit_names = reader.strings(unit_spec, "names", f"{where}.units", required=False)
        for uid, name in zip(unit_ids, unit_names, strict=False):
            if names.get(uid) != name:
                reader.problem(
                    f"{where}.units.ids",
                    f"unit {uid!r} is {names.get(uid)!r} in units:, not {name!r}",
                    f"责任单位 {uid!r} 与名称 {name!r} 不符",
                    unit_spec,
                    "ids",
                )
        if unit_ids and len(unit_ids) != len(unit_names):
            reader.problem(
                f"{where}.units",
                "units.ids and units.names differ in length",
                "责任单位编号与名称数目不一致",
                unit_spec,
                "ids",
            )
        clauses = (
            tuple(
                _clause(reader, c, f"{where}.clauses[{j}]", local=True)
                for j, c in reader.list_items(spec, "clauses", where)
            )
            if "clauses" in spec
            else None
        )
        result.append(
            LocalIndicator(
                number=reader.ident(spec, "number", where) or "",
                base=reader.ident(spec, "base", where) or "",
                unit_ids=unit_ids,
                unit_names=unit_names,
                units_text=reader.text(unit_spec, "text", f"{where}.units", required=False),
                clauses=clauses,
                anchors=reader.anchors(spec, where),
                line=spec.line,
            )
        )
    _no_duplicates(reader, [(i.number, i.line) for i in result], "indicators", "indicator number")
    return result


def _no_duplicates(
    reader: Reader, values: list[tuple[str, int | None]], where: str, what: str
) -> None:
    seen: set[str] = set()
    for value, line in values:
        if value in seen:
            message = (f"duplicate {what} {value!r}", f"{what} {value!r} 重复")
            reader.problems.append(Problem(reader.name, where, *message, line=line))
        seen.add(value)
