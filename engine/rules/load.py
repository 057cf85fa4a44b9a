"""Load rule files (rules/*.yaml) into the rule model, resolving variants.

A variant names the rule set it `extends:` and says what it changes: `remove` indicators,
`renumber: from_kb` (the knowledge base's local-number -> base-number mapping), `override`
parameters of rules by id, replace or add `indicators`, change `pass_rule` or `parameters`.
Every problem is reported with the file, the line and the field path.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from fractions import Fraction
from pathlib import Path

from demozone.common.errors import InputError, Problem
from demozone.common.paths import RULES_DIR
from demozone.common.yamlio import check_keys, read_yaml
from demozone.rules import kinds, sources
from demozone.rules.model import IndicatorRules, PassRule, Quantity, Rule, RuleSet
from demozone.rules.shape import annotate, shape_faults
from demozone.rules.unfix import read_unfix

_FILE_KEYS = {
    "system",
    "title",
    "extends",
    "pass_rule",
    "parameters",
    "indicators",
    "remove",
    "renumber",
    "override",
    "kb_system",
    "units",
    "fixed",  # what a variant may not change; read and enforced by `demozone lint` (lint.py)
    "unfix",  # fixed entries of a base this variant changes on purpose, each with its reason
}
_RULE_KEYS = {"id", "clause", "kind"}

# local number -> base number, for `renumber: from_kb`; provided by the knowledge base.
Renumbering = Callable[[str], Mapping[str, str]]


def rule_file(system: str, rules_dir: Path | None = None) -> Path:
    """The rule file of a system id or a rule file's path (it may not exist); with `rules_dir`,
    that folder's file only."""
    if rules_dir is not None:
        return rules_dir / f"{system}.yaml"
    found = sources.find_rule_file(system)
    if found is not None or sources.is_rule_path(system):
        return found or Path(system)
    return RULES_DIR / f"{system}.yaml"


def available_rule_sets(rules_dir: Path | None = None) -> list[str]:
    """The ids of the rule sets of `rules_dir`, or of every rule folder (sources.py)."""
    if rules_dir is not None:
        return sorted(p.stem for p in rules_dir.glob("*.yaml"))
    return sorted({s.system for s in sources.rule_sources()})


@functools.lru_cache(maxsize=64)
def _cached(path: Path, renumbering: Renumbering | None) -> RuleSet:
    return load_rule_set(path, renumbering)


def rule_set_for(
    system: str, rules_dir: Path | None = None, renumbering: Renumbering | None = None
) -> RuleSet:
    """The rule set of a system id or of a rule file's path, loaded once per process.

    An id is looked up in the rule folders (sources.py), or only in `rules_dir` when given."""
    path = rule_file(system, rules_dir)
    if not path.is_file():
        folders = [str(rules_dir)] if rules_dir else [str(d) for d, _ in sources.rule_dirs()]
        raise InputError(
            [
                Problem(
                    ", ".join(folders),
                    "",
                    f"no rule file for system {system!r} (add its folder with --rules DIR "
                    f"or ${sources.ENV}, or give the file's path)",
                    f"没有指标体系 {system!r} 的计分规则文件（可用 --rules 目录 或 "
                    f"${sources.ENV} 指定规则文件夹，或直接给出规则文件路径）",
                    ", ".join(available_rule_sets(rules_dir)),
                )
            ]
        )
    rule_set = _cached(path.resolve(), renumbering)
    if sources.is_rule_path(system):
        sources.remember_rule_file(rule_set.system, path.resolve())
    return rule_set


# What a rule test (or a what-if) may change in a rule set, as a variant file would.
CHANGE_KEYS = {"override", "parameters", "pass_rule"}


def changed_rule_set(
    system: str,
    changes: Mapping,
    rules_dir: Path | None = None,
    renumbering: Renumbering | None = None,
) -> RuleSet:
    """The rules of `system` with `changes` applied the way a variant applies them.

    The result is named `system+<digest of the changes>`, so that it is never mistaken for (or
    compiled as) the unchanged rule set.
    """
    problems = check_keys(changes, CHANGE_KEYS, "", "changes")
    if problems:
        raise InputError(problems)
    path = rule_file(system, None if rules_dir == RULES_DIR else rules_dir)
    base, files, hashes = _resolved_raw(path, renumbering, seen=())
    digest = hashlib.sha256(
        json.dumps(changes, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()[:8]
    variant = {"system": f"{system}+{digest}", "kb_system": base.get("kb_system", system)}
    return _build(_apply_variant(base, {**variant, **changes}, renumbering), files, hashes)


def load_rule_set(path: Path, renumbering: Renumbering | None = None) -> RuleSet:
    """Load one rule file (and, for a variant, the files it extends) into a RuleSet."""
    raw, files, hashes = _resolved_raw(path, renumbering, seen=())
    return _build(raw, files, hashes)


def _resolved_raw(path: Path, renumbering, seen: tuple) -> tuple[dict, tuple, tuple]:
    """The file's rules with those of the files it extends applied, the files (base first) and
    the sha256 of each as it was read."""
    doc, sha256 = read_yaml(path)
    file = str(path)
    if not isinstance(doc, dict):
        raise InputError([Problem(file, "", "a rule file is a mapping", "规则文件应为映射")])
    problems = check_keys(doc, _FILE_KEYS, file, "", {"system"}) + shape_faults(doc, file)
    if problems:
        raise InputError(problems)
    base_name = doc.get("extends")
    if not base_name:
        return annotate(doc, file), (file,), (sha256,)
    if base_name in seen:
        raise InputError(
            [Problem(file, "extends", f"circular extends via {base_name!r}", "继承关系循环")]
        )
    base_path = path.parent / f"{base_name}.yaml"
    if not base_path.exists():  # a rule file kept elsewhere may extend one of any rule folder
        base_path = rule_file(str(base_name))
    if not base_path.exists():
        raise InputError(
            [
                Problem(
                    file,
                    "extends",
                    f"unknown base rule set {base_name!r}",
                    f"继承的规则集 {base_name!r} 不存在",
                    line=doc.line_of("extends"),
                )
            ]
        )
    base, files, hashes = _resolved_raw(base_path, renumbering, (*seen, doc["system"]))
    doc["_file"] = file
    variant = _apply_variant(base, annotate(doc, file), renumbering)
    return variant, (*files, file), (*hashes, sha256)


def _apply_variant(base: dict, variant: dict, renumbering: Renumbering | None) -> dict:
    merged = copy.deepcopy(base)
    merged["system"], merged["extends"] = variant["system"], base["system"]
    merged["title"] = variant.get("title", base.get("title", ""))
    # A variant scores its own KB system unless it is a what-if over its base's indicators.
    merged["kb_system"] = variant.get("kb_system", variant["system"])
    merged["pass_rule"] = {**base.get("pass_rule", {}), **(variant.get("pass_rule") or {})}
    merged["parameters"] = {**base.get("parameters", {}), **(variant.get("parameters") or {})}
    indicators = dict(merged.get("indicators") or {})
    for number in variant.get("remove") or []:
        if str(number) not in indicators:
            raise InputError(
                [
                    Problem(
                        variant.get("_file", ""),
                        "remove",
                        f"cannot remove unknown indicator {number}",
                        f"要删除的指标 {number} 不存在",
                    )
                ]
            )
        del indicators[str(number)]
    _override(indicators, variant.get("override") or {})
    if variant.get("renumber") == "from_kb":
        if renumbering is None:
            raise InputError(
                [
                    Problem(
                        "",
                        "renumber",
                        "renumber: from_kb needs the knowledge base",
                        "需要知识库提供编号对应关系",
                    )
                ]
            )
        indicators = _renumber(indicators, renumbering(variant["system"]))
    indicators.update({str(k): v for k, v in (variant.get("indicators") or {}).items()})
    merged["indicators"] = indicators
    merged["units"] = _inherited_units(base, variant, indicators)
    merged["unfix"] = {**(base.get("unfix") or {}), **read_unfix(variant)}
    return merged


def _inherited_units(base: dict, variant: dict, indicators: dict) -> dict:
    """The base's responsible units carried to the variant's numbering, then the variant's own."""
    local_of = {str(ind.get("_base", number)): number for number, ind in indicators.items()}
    units = {
        local_of[str(number)]: names
        for number, names in (base.get("units") or {}).items()
        if str(number) in local_of
    }
    units.update({str(k): v for k, v in (variant.get("units") or {}).items()})
    return units


def _override(indicators: dict, overrides: dict) -> None:
    by_id = {rule["id"]: rule for ind in indicators.values() for rule in ind.get("rules", [])}
    for rule_id, changes in overrides.items():
        if rule_id not in by_id:
            raise InputError(
                [
                    Problem(
                        "",
                        f"override.{rule_id}",
                        f"no rule {rule_id!r} to override",
                        f"要修改的规则 {rule_id!r} 不存在",
                        ", ".join(sorted(by_id)),
                    )
                ]
            )
        by_id[rule_id].update(changes)


def _renumber(indicators: dict, local_to_base: Mapping[str, str]) -> dict:
    base_to_local = {base: local for local, base in local_to_base.items()}

    def clause_id(clause: str) -> str:
        number, _, part = clause.partition(".")
        return f"{base_to_local.get(number, number)}.{part}" if part else clause

    renumbered = {}
    for base_number, indicator in indicators.items():
        local = base_to_local.get(base_number)
        if local is None:
            continue  # the variant has no such indicator
        indicator = copy.deepcopy(indicator)
        indicator["_base"] = base_number
        for rule in indicator.get("rules", []):
            if "clause" in rule:
                rule["clause"] = clause_id(str(rule["clause"]))
            if "clauses" in rule:
                rule["clauses"] = [clause_id(str(c)) for c in rule["clauses"]]
            for test in rule.get("tests", []) or []:
                if isinstance(test, dict) and "judged" in test:
                    test["judged"] = clause_id(str(test["judged"]))
        renumbered[local] = indicator
    return renumbered


def _build(raw: dict, files: tuple[str, ...], hashes: tuple[str, ...]) -> RuleSet:
    problems: list[Problem] = []
    file = files[-1]
    pass_rule = _pass_rule(raw.get("pass_rule") or {}, file, problems)
    parameters = raw.get("parameters") or {}
    indicators, seen_ids = [], set()
    for number, spec in (raw.get("indicators") or {}).items():
        indicators.append(_indicator(str(number), spec, parameters, seen_ids, file, problems))
    numbers = {i.number for i in indicators if i is not None}
    units = _units(raw.get("units") or {}, numbers, file, problems)
    if problems:
        raise InputError(problems)
    indicators.sort(key=lambda i: _number_key(i.number))
    return RuleSet(
        raw["system"],
        str(raw.get("title", "")),
        files,
        raw.get("extends"),
        pass_rule,
        tuple(indicators),
        parameters,
        str(raw.get("kb_system") or raw["system"]),
        units,
        hashes,
        tuple((raw.get("unfix") or {}).values()),
    )


def _units(spec, numbers: set[str], file: str, problems: list[Problem]) -> dict:
    """`units: {"3": [县市场监管局, 县行政审批局]}`: who is responsible for an indicator."""
    units = {}
    for number, names in spec.items():
        path = f"units.{number}"
        if str(number) not in numbers:
            problems.append(
                Problem(file, path, f"no indicator {number} in this rule set", f"没有指标 {number}")
            )
        elif not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            problems.append(
                Problem(
                    file,
                    path,
                    "a list of unit names is expected",
                    "应为责任单位名称列表",
                    "[县市场监管局, 县商务局]",
                    line=spec.line_of(number) if hasattr(spec, "line_of") else None,
                )
            )
        else:
            units[str(number)] = tuple(names)
    return units


def _number_key(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in number.split("."))


def _pass_rule(spec: dict, file: str, problems: list[Problem]) -> PassRule:
    try:
        return PassRule(
            kinds.number(spec.get("total_at_least"), "pass_rule.total_at_least"),
            kinds.number(
                spec.get("first_level_rate_at_least"), "pass_rule.first_level_rate_at_least"
            ),
        )
    except kinds.RuleProblem as err:
        problems.append(err.problem(file, "", None))
        return PassRule(Fraction(0), Fraction(0))


def _indicator(number, spec, parameters, seen_ids, file, problems) -> IndicatorRules:
    path = f"indicators.{number}"
    line = getattr(spec, "line", None)
    if not isinstance(spec, dict) or "points" not in spec:
        problems.append(
            Problem(
                file,
                path,
                "an indicator needs points and rules",
                "指标需要 points 和 rules",
                line=line,
            )
        )
        return IndicatorRules(number, Fraction(0), ())
    try:
        points = kinds.number(spec["points"], "points")
    except kinds.RuleProblem as err:
        problems.append(err.problem(file, path, line))
        points = Fraction(0)
    rules = []
    for i, rule_spec in enumerate(spec.get("rules") or []):
        rule = _rule(rule_spec, number, parameters, f"{path}.rules[{i}]", seen_ids, problems)
        if rule is not None:
            rules.append(rule)
    return IndicatorRules(number, points, tuple(rules), spec.get("_base"))


def _rule(spec, indicator, parameters, path, seen_ids, problems) -> Rule | None:
    file = spec.get("_file", "") if isinstance(spec, dict) else ""
    line = spec.get("_line") if isinstance(spec, dict) else None
    public = (
        {k: v for k, v in spec.items() if not k.startswith("_")} if isinstance(spec, dict) else {}
    )
    kind = kinds.kind_of(public.get("kind"))
    if kind is None:
        problems.append(
            Problem(
                file,
                f"{path}.kind",
                f"unknown rule kind {public.get('kind')!r}",
                f"未知的规则类型 {public.get('kind')!r}",
                ", ".join(kinds.KINDS),
                line,
            )
        )
        return None
    key_problems = check_keys(public, _RULE_KEYS | kind.keys, file, path, {"id", "kind"})
    if not isinstance(public.get("id"), str | int) or isinstance(public.get("id"), bool):
        key_problems.append(Problem(file, f"{path}.id", "a rule id is a short text", "规则编号应为简短文字", line=line))  # fmt: skip
    elif public.get("id") in seen_ids:
        key_problems.append(
            Problem(
                file,
                f"{path}.id",
                f"duplicate rule id {public['id']!r}",
                f"规则编号 {public['id']!r} 重复",
                line=line,
            )
        )
    if key_problems:
        problems.extend(key_problems)
        return None
    seen_ids.add(public["id"])
    try:
        fields = kind.parse(public, parameters)
    except kinds.RuleProblem as err:
        problems.append(err.problem(file, path, line))
        return None
    except (AttributeError, TypeError, KeyError, ValueError) as err:  # a field of the wrong shape
        problems.append(Problem(file, path, f"a field of rule {public['id']!r} has the wrong "
                                f"shape ({err})", "规则字段的类型不正确", line=line))  # fmt: skip
        return None
    clause = str(public["clause"]) if "clause" in public else None
    return Rule(
        id=str(public["id"]),
        indicator=indicator,
        clause=clause,
        kind=kind.name,
        file=file,
        line=line,
        params=public,
        **fields,
    )


def needed_metrics(rule: Rule) -> set[str]:
    """The submission metric ids a rule reads."""
    quantities: list[Quantity] = []
    for test in rule.tests:
        quantities += [test.left] + ([test.right] if test.right else [])
    if rule.ratio:
        quantities.append(rule.ratio)
    return {a for q in quantities if q.form in ("growth", "ratio", "metric") for a in q.args}


def judged_clauses(rule_set: RuleSet) -> frozenset[str]:
    """The clauses whose score rests on assessors' judgments (the others are scored from figures)."""
    return frozenset(c for rule in rule_set.rules() for c in kinds.of(rule).judged_clauses(rule))
