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

import functools
from dataclasses import dataclass
from pathlib import Path

from demozone.common.diagnostics import SEVERITIES, CheckReport, Finding, Location
from demozone.common.errors import InputError, Problem
from demozone.kb import load as kbload
from demozone.kb import model as kbmodel
from demozone.policy.lint.findings import Locator, as_json, render, shown
from demozone.policy.lint.fixed import fixed_findings
from demozone.policy.lint.points import points_findings
from demozone.policy.lint.rule_checks import rule_findings
from demozone.rules.load import Renumbering, available_rule_sets, load_rule_set, rule_set_for
from demozone.rules.model import RuleSet

__all__ = ["Finding", "LintReport", "Location", "lint", "lint_errors", "lint_many"]


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
    findings += fixed_findings(rule_set, locate, renumbering)
    ordered = sorted(
        dict.fromkeys(findings),
        key=lambda f: (SEVERITIES.index(f.severity), f.location.file, f.location.line or 0),
    )
    files = tuple(shown(f) for f in rule_set.files)
    return LintReport(target, rule_set.system, rule_set.kb_system, files, tuple(ordered))


def lint_many(targets: list[str] | tuple[str, ...] = (), kb_dir=None) -> list[LintReport]:
    """Lint each target in turn; no targets: every rule set shipped in rules/."""
    return [lint(target, kb_dir) for target in (targets or available_rule_sets())]


def lint_errors(targets, kb_dir=None) -> list[dict]:
    """The errors lint finds in each rule set a command is about to use (diff, impact), as
    lint --json shows a finding, with the rule set's id; a target lint cannot read is left to
    the command, which names it."""
    errors = []
    for target in dict.fromkeys(targets):
        try:
            report = lint(target, kb_dir)
        except InputError:
            continue
        errors += [
            {"rule_set": report.rule_set, **as_json(f)}
            for f in report.findings
            if f.severity == "error"
        ]
    return errors


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
