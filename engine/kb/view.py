"""What the knowledge-base look-ups show, as plain JSON-ready dicts (the CLI renders them).

Numbers are strings as people write them ("2", "1.5", "75%"), so JSON never carries a float.
Every anchor is shown with the text its offsets select in the source file, which is the quote
whenever the knowledge base is sound.
"""

from __future__ import annotations

from decimal import Decimal

from demozone.common.errors import InputError, Problem
from demozone.common.numbers import fmt_points, fmt_rate
from demozone.kb.citation import cite
from demozone.kb.model import KB, Anchor, Indicator, Level, System


def num(value: Decimal | None) -> str | None:
    """Points as people write them: 2, 1.5, 0.75 (None stays None)."""
    return None if value is None else fmt_points(value)


def find_system(kb: KB, system_id: str) -> System:
    """The system, or InputError listing the known ids."""
    system = kb.system(system_id)
    if system is None:
        known = ", ".join(kb.systems)
        raise InputError(
            [
                Problem(
                    "system",
                    "",
                    f"unknown system {system_id!r}",
                    f"未知的指标体系 {system_id!r}",
                    expected=known,
                )
            ]
        )
    return system


def find_indicator(system: System, number: str) -> Indicator:
    """The indicator by the system's own number, or InputError giving the range."""
    indicator = system.indicator(number)
    if indicator is None:
        numbers = [i.number for i in system.indicators]
        span = f"{numbers[0]}..{numbers[-1]}" if numbers else "none"
        raise InputError(
            [
                Problem(
                    "indicator",
                    "",
                    f"{system.id} has no indicator {number!r}",
                    f"{system.id} 没有指标 {number!r}",
                    expected=span,
                )
            ]
        )
    return indicator


def system_summary(kb: KB, system: System) -> dict:
    """One line of `demozone systems`: identity, size, points, pass rule, lineage."""
    rule = system.pass_rule
    return {
        "id": system.id,
        "title": system.title,
        "title_en": system.title_en,
        "status": system.status,
        "locality": system.locality,
        "sources": [{"id": s, "title": kb.sources[s].title} for s in system.sources],
        "indicators": len(system.indicators),
        "first_level": len(system.first_level),
        "second_level": sum(len(lv.second_level) for lv in system.first_level),
        "points": num(sum((i.points or Decimal(0) for i in system.indicators), Decimal(0))),
        "total_points": num(system.total_points),
        "pass_rule": {
            "total_at_least": num(rule.total_at_least),
            "first_level_rate_at_least": fmt_rate(rule.first_level_rate_at_least),
        }
        if rule
        else None,
        "extends": system.extends,
        "revision_of": system.revision_of,
    }


def system_detail(kb: KB, system: System) -> dict:
    """`demozone show SYSTEM`: the summary and the levels with their indicators."""
    detail = system_summary(kb, system)
    detail["levels"] = [_level(system, lv) for lv in system.first_level]
    detail["level_names"] = {lang: list(system.level_names(lang)) for lang in ("zh", "en")}
    detail["pass_rule_anchors"] = [
        anchor_view(kb, a) for a in (system.pass_rule.anchors if system.pass_rule else ())
    ]
    return detail


def _level(system: System, level: Level) -> dict:
    members = [i for i in system.indicators if level.id in (i.first_level, i.second_level)]
    return {
        "id": level.id,
        "number": level.number,
        "label": level.label,
        "label_en": level.label_en,
        "points": num(level.points),
        "second_level": [_level(system, sub) for sub in level.second_level],
        "indicators": [
            {
                "number": i.number,
                "label": i.label,
                "label_en": i.label_en,
                "points": num(i.points),
                "base": i.base,
            }
            for i in members
            if not level.second_level or i.second_level == level.id
        ],
    }


def indicator_detail(kb: KB, system: System, ind: Indicator) -> dict:
    """`demozone show SYSTEM INDICATOR`: texts, points, clauses, methods, units, anchors."""
    first = system.level(ind.first_level)
    second = system.level(ind.second_level) if ind.second_level else None
    units = [
        {"id": uid, "name": name} for uid, name in zip(ind.unit_ids, ind.unit_names, strict=False)
    ]
    return {
        "system": system.id,
        "number": ind.number,
        "base": {"system": system.extends, "number": ind.base} if ind.base else None,
        "label": ind.label,
        "label_en": ind.label_en,
        "points": num(ind.points),
        "first_level": {
            "id": ind.first_level,
            "label": first.label if first else "",
            "label_en": first.label_en if first else "",
        },
        "second_level": (
            {"id": second.id, "label": second.label, "label_en": second.label_en}
            if second
            else None
        ),
        "nature": ind.nature,
        "methods": list(ind.methods),
        "data_sources": list(ind.data_sources),
        "criterion": ind.criterion,
        "rule_text": ind.rule_text,
        "metrics": [
            {"id": m, "label": kb.metrics[m].label, "unit": kb.metrics[m].unit}
            for m in ind.metrics
            if m in kb.metrics
        ],
        "clauses": [
            {
                "id": c.id,
                "base": c.base,
                "text": c.text,
                "points": num(c.points),
                "anchors": [anchor_view(kb, a) for a in c.anchors],
            }
            for c in ind.clauses
        ],
        "units": units,
        "units_text": ind.units_text,
        "anchors": [anchor_view(kb, a) for a in ind.anchors],
    }


def anchor_view(kb: KB, anchor: Anchor) -> dict:
    """An anchor as its citation (kb.citation: source id and file, code point and byte ranges,
    role, quote) with the source text its offsets select and whether that equals the quote."""
    text = kb.sources[anchor.source].text
    found = text[anchor.start : anchor.end] if 0 <= anchor.start < anchor.end <= len(text) else ""
    return cite(kb, anchor).to_json() | {"source_text": found, "verified": found == anchor.quote}
