"""`demozone lint`: check a rule set before policy staff adopt it.

A rule set (a system id, or any rule file, which may extend a shipped one) is checked for: points
that add up at every level; rules that can exceed their indicator or leave points unreachable;
bands with gaps, overlaps or an ambiguous shared boundary; conditions that can never hold; rules
that cite no clause and clauses no rule scores; metric ids outside the vocabulary; and a variant
changing what a file it extends marks as `fixed:`. Each finding has a severity (error, warning,
info), a code, a location (file, line, field path) and a message in Chinese and English.

A defect of the source text itself (known to `demozone kb check`) is a warning that says where it
is documented: the shipped systems are scored as written.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path

from demozone.common.diagnostics import SEVERITIES, CheckReport, Finding, Location
from demozone.common.errors import InputError, Problem
from demozone.kb import load as kbload
from demozone.kb import model as kbmodel
from demozone.policy.lint.findings import Locator, as_json, render, shown
from demozone.policy.lint.points import points_findings
from demozone.policy.lint.rule_checks import rule_findings
from demozone.rules import kinds
from demozone.rules.load import Renumbering, available_rule_sets, load_rule_set, rule_set_for
from demozone.rules.model import Quantity, Rule, RuleSet

__all__ = ["Finding", "LintReport", "Location", "lint", "lint_many"]


@dataclass(frozen=True)
class LintReport(CheckReport):
    target: str  # as given: a system id or a file
    rule_set: str
    kb_system: str
    files: tuple[str, ...]  # the files the rule set is built from, base first
    findings: tuple[Finding, ...]  # errors, then warnings, then notes

    render = staticmethod(render)  # a finding as lint prints it

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "rule_set": self.rule_set,
            "kb_system": self.kb_system,
            "files": list(self.files),
            "ok": self.ok,
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "notes": self.count("info"),
            "findings": [as_json(f) for f in self.findings],
        }


def lint(target: str, kb_dir: Path | str | None = None) -> LintReport:
    """Lint one rule set: a system id (rules/ID.yaml) or the path of a rule file.

    Raises InputError when the target cannot be read as a rule set (no such system or file, a
    file the rules loader rejects); every defect of a readable rule set is a finding instead.
    """
    renumbering = _renumbering(kb_dir)
    rule_set = _load(target, renumbering)
    locate = Locator(rule_set.files)
    knowledge = kbload.load_kb(kb_dir)
    system = knowledge.system(rule_set.kb_system)
    regions = system.region_classes if system else ()
    findings = [f for rule in rule_set.rules() for f in rule_findings(rule, locate, regions)]
    if system is None:
        findings.append(_unknown_system(rule_set, locate, knowledge))
    else:
        findings += points_findings(rule_set, system, knowledge, locate)
    findings += _fixed_findings(rule_set, locate, renumbering)
    ordered = sorted(
        dict.fromkeys(findings),
        key=lambda f: (SEVERITIES.index(f.severity), f.location.file, f.location.line or 0),
    )
    files = tuple(shown(f) for f in rule_set.files)
    return LintReport(target, rule_set.system, rule_set.kb_system, files, tuple(ordered))


def lint_many(targets: list[str] | tuple[str, ...] = (), kb_dir=None) -> list[LintReport]:
    """Lint each target in turn; no targets: every rule set shipped in rules/."""
    return [lint(target, kb_dir) for target in (targets or available_rule_sets())]


def _renumbering(kb_dir) -> Renumbering:
    if kb_dir is None:
        return kbload.base_numbering  # one function, so loaded rule sets stay cached
    return functools.partial(kbload.base_numbering, kb_dir=kb_dir)


def _load(target: str, renumbering: Renumbering) -> RuleSet:
    path = Path(target)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in target:
        if path.exists() and not path.is_file():
            raise InputError(
                [Problem(target, "", "not a rule file", "不是规则文件", "a rules/*.yaml file")]
            )
        return load_rule_set(path, renumbering)
    return rule_set_for(target, renumbering=renumbering)


def _unknown_system(rule_set: RuleSet, locate: Locator, knowledge: kbmodel.KB) -> Finding:
    where = locate.key("kb_system") or locate.key("system") or locate.top("system")
    known = ", ".join(knowledge.systems)
    return Finding(
        "error",
        "unknown-kb-system",
        where,
        f"the rules score {rule_set.kb_system!r}, which is not a system of the knowledge base "
        f"({known}); a what-if variant names the system it re-scores with kb_system:",
        f"计分规则所评的指标体系 {rule_set.kb_system!r} 不在知识库中（{known}）；"
        "假设性变体请用 kb_system: 指明所评体系",
    )


# -- fixed: what a variant may not change ----------------------------------------------------

_PASS_RULE_KEYS = ("total_at_least", "first_level_rate_at_least")


def _fixed_findings(rule_set: RuleSet, locate: Locator, renumbering) -> list[Finding]:
    """A fixed path of a base that the rule set changes; a fixed path of its own that names
    nothing."""
    findings = []
    last = len(locate.docs) - 1
    for index, (file, doc) in enumerate(locate.docs):
        entries = doc.get("fixed")
        if entries is None:
            continue
        if index == last:
            findings += _fixed_entry_problems(rule_set, locate, entries)
            continue
        base = load_rule_set(Path(file), renumbering)
        for entry in entries if isinstance(entries, list) else []:
            known, before = _fixed_value(base, str(entry))
            if known and _fixed_value(rule_set, str(entry))[1] != before:
                findings.append(_fixed_changed(rule_set, locate, str(entry), index))
    return findings


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
        f"{entry} is marked fixed in {base_file}: a variant may not change it",
        f"{entry} 在 {base_file} 中标为不可更改（fixed），变体不得修改",
    )
