"""The shape of a rule file before its rules are read: sections, indicators and rule lists of
the right type (a traceback-free refusal of a list where a mapping belongs), and where each
rule was written (file:line, for errors and provenance)."""

from __future__ import annotations

from demozone.common.errors import Problem

_SHAPES = {"indicators": dict, "parameters": dict, "units": dict, "pass_rule": dict}


def shape_faults(doc: dict, file: str) -> list[Problem]:
    """A section, an indicator or its rules of the wrong shape (a list for a mapping, ...)."""
    faults = [
        (key, shape)
        for key, shape in _SHAPES.items()
        if not isinstance(doc.get(key) or shape(), shape)
    ]
    for number, spec in (doc.get("indicators") or {}).items() if not faults else ():
        if not isinstance(spec or {}, dict):
            faults.append((f"indicators.{number}", dict))
        elif not isinstance(spec.get("rules") or [], list):
            faults.append((f"indicators.{number}.rules", list))
    return [
        Problem(file, where, f"{where} must be a {'mapping' if shape is dict else 'list'}",
                f"{where} 应为{'映射' if shape is dict else '列表'}")
        for where, shape in faults
    ]  # fmt: skip


def annotate(doc: dict, file: str) -> dict:
    """Remember where each rule was written, so errors and provenance can cite file:line."""
    for number, indicator in (doc.get("indicators") or {}).items():
        for rule in (indicator or {}).get("rules", []) or []:
            if isinstance(rule, dict):
                rule.setdefault("_file", file)
                rule.setdefault("_line", getattr(rule, "line", None))
                rule.setdefault("_indicator_line", doc["indicators"].line_of(number))
    return doc
