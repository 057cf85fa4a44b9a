"""`fixed:` and `unfix:` in lint: a variant may not change what a file it extends marks fixed,
unless it says so on purpose under `unfix:` with a reason.

`fixed-changed` (error): a fixed entry changed without an `unfix:` for it; `fixed-unfixed`
(warning): one changed on purpose, with the reason given, so that whoever adopts the rule set
reads it; `fixed-unknown` (error): a fixed entry that names nothing; `unfix-unknown` (error): an
`unfix:` entry no file it extends marks fixed; `unfix-unchanged` (note): one it does not change.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from demozone.common.diagnostics import Finding
from demozone.policy.lint.findings import Locator, shown
from demozone.rules import kinds
from demozone.rules.load import load_rule_set
from demozone.rules.model import Quantity, Rule, RuleSet

_PASS_RULE_KEYS = ("total_at_least", "first_level_rate_at_least")


def fixed_findings(rule_set: RuleSet, locate: Locator, renumbering) -> list[Finding]:
    """A fixed path of a base that the rule set changes (on purpose or not); a fixed path of its
    own that names nothing; an unfix: entry that unfixes nothing."""
    findings, fixed_in_bases = [], set()
    unfixed = {u.entry: u for u in rule_set.unfixed}
    last = len(locate.docs) - 1
    for index, (file, doc) in enumerate(locate.docs):
        entries = doc.get("fixed")
        if entries is None:
            continue
        if index == last:
            findings += _fixed_entry_problems(rule_set, locate, entries)
            continue
        base = load_rule_set(Path(file), renumbering)
        for entry in map(str, entries if isinstance(entries, list) else []):
            fixed_in_bases.add(entry)
            known, before = _fixed_value(base, entry)
            changed = known and _fixed_value(rule_set, entry)[1] != before
            if changed and entry in unfixed:
                findings.append(_unfixed(locate, unfixed[entry], index))
            elif changed:
                findings.append(_fixed_changed(rule_set, locate, entry, index))
            elif known and entry in unfixed:
                findings.append(_unfix_finding(locate, unfixed[entry], "unfix-unchanged"))
    findings += [
        _unfix_finding(locate, u, "unfix-unknown")
        for u in unfixed.values()
        if u.entry not in fixed_in_bases
    ]
    return findings


def _unfixed(locate: Locator, unfix, index: int) -> Finding:
    base_file = shown(locate.docs[index][0])
    return Finding(
        "warning",
        "fixed-unfixed",
        _unfix_location(locate, unfix),
        f"{unfix.entry} is marked fixed in {base_file} and changed on purpose: {unfix.reason}",
        f"{unfix.entry} 在 {base_file} 中标为不可更改（fixed），本变体有意修改（unfix），理由：{unfix.reason}",
    )


_UNFIX_WORDS = {
    "unfix-unknown": (
        "error",
        "no file this rule set extends marks {entry} fixed: nothing to unfix",
        "所继承的规则文件均未将 {entry} 标为不可更改（fixed），无需 unfix",
    ),
    "unfix-unchanged": (
        "info",
        "{entry} is unfixed ({reason}) but not changed",
        "{entry} 已声明 unfix（{reason}），但未作修改",
    ),
}


def _unfix_finding(locate: Locator, unfix, code: str) -> Finding:
    severity, en, zh = _UNFIX_WORDS[code]
    words = {"entry": unfix.entry, "reason": unfix.reason}
    return Finding(
        severity, code, _unfix_location(locate, unfix), en.format(**words), zh.format(**words)
    )


def _unfix_location(locate: Locator, unfix):
    where = locate.key("unfix", unfix.entry) or locate.key("unfix") or locate.top("unfix")
    return dataclasses.replace(where, path=f"unfix.{unfix.entry}")


def _fixed_entry_problems(rule_set: RuleSet, locate: Locator, entries) -> list[Finding]:
    where = locate.key("fixed") or locate.top("fixed")
    if not isinstance(entries, list):
        entries = [entries]
    return [
        Finding(
            "error",
            "fixed-unknown",
            dataclasses.replace(where, path=f"fixed[{i}]"),
            f"fixed: {entry!r} names nothing in this rule set (pass_rule.KEY, parameters.NAME, "
            "indicators.N, indicators.N.points, rules.ID or rules.ID.KEY)",
            f"fixed 中的 {entry!r} 在本规则集中不存在",
        )
        for i, entry in enumerate(entries)
        if not isinstance(entry, str) or not _fixed_value(rule_set, entry)[0]
    ]


def _fixed_value(rule_set: RuleSet, entry: str) -> tuple[bool, object]:
    """(whether `entry` names something of the rule set, its value as the rules mean it)."""
    head, *rest = entry.split(".", 2)
    if head == "pass_rule" and not rest:
        return True, rule_set.pass_rule
    if head == "pass_rule" and len(rest) == 1 and rest[0] in _PASS_RULE_KEYS:
        return True, getattr(rule_set.pass_rule, rest[0])
    if head == "parameters" and len(rest) == 1:
        return rest[0] in rule_set.parameters, _normal(rule_set.parameters.get(rest[0]))
    if head == "indicators" and rest and rest[1:] in ([], ["points"]):
        # a renumbered variant keeps the base's number of each indicator
        found = next((i for i in rule_set.indicators if (i.base or i.number) == rest[0]), None)
        if found is None:
            return False, None
        if rest[1:]:
            return True, found.points
        return True, (found.points, tuple(_meaning(r) for r in found.rules))
    if head == "rules" and rest:
        rule = next((r for r in rule_set.rules() if r.id == rest[0]), None)
        if rule is None or (rest[1:] and rest[1] not in rule.params):
            return False, None
        return True, _normal(rule.params[rest[1]]) if rest[1:] else _meaning(rule)
    return False, None


def _meaning(rule: Rule) -> Rule:
    """A rule without what renumbering or relocating changes (its clause ids, file, line)."""
    tests = tuple(
        dataclasses.replace(t, left=Quantity("judged", ())) if t.left.form == "judged" else t
        for t in rule.tests
    )
    return dataclasses.replace(
        rule, indicator="", clause=None, clauses=(), file="", line=None, tests=tests
    )


def _normal(value: object) -> object:
    """A value as written with every number exact, so "15%" and 0.15 are the same."""
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    try:
        return kinds.number(value, "")
    except kinds.RuleProblem:
        return value


def _fixed_changed(rule_set: RuleSet, locate: Locator, entry: str, index: int) -> Finding:
    base_file = shown(locate.docs[index][0])
    head, *rest = entry.split(".", 2)
    rule = next((r for r in rule_set.rules() if head == "rules" and r.id == rest[0]), None)
    if rule is not None:
        where = locate.rule(rule, rest[1] if rest[1:] else None, after=index)
    else:
        keys = [head, *rest]
        candidates = [keys, keys[:2], keys[:1], ["remove"] if head == "indicators" else keys]
        where = next(
            (loc for k in candidates if (loc := locate.key(*k, after=index)) is not None),
            locate.top(entry),
        )
    return Finding(
        "error",
        "fixed-changed",
        where,
        f"{entry} is marked fixed in {base_file}: a variant may not change it (to change it on "
        f'purpose, say why: unfix: {{{entry}: "reason"}})',
        f"{entry} 在 {base_file} 中标为不可更改（fixed），变体不得修改"
        f'（如确需修改，请写明理由：unfix: {{{entry}: "理由"}}）',
    )
