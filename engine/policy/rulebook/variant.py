"""The variant an edited rule workbook makes: a commented YAML rule file that extends the base
and holds only what differs from it (`override`, `pass_rule`, `parameters`)."""

from __future__ import annotations

from pathlib import Path

from demozone.policy.rulebook.cells import flow
from demozone.policy.rulebook.importer import Changes
from demozone.rules.model import RuleSet


def variant_text(system: str, base: RuleSet, changes: Changes, workbook: str) -> str:
    """The variant's YAML text, each change commented with where it was made and the value
    before."""
    lines = [
        f"# 由规则表 {Path(workbook).name} 生成，仅含与 {base.system} 不同之处",
        f"# Written by `demozone rules import {Path(workbook).name} --base {base.system}`: "
        "only what differs from the base.",
        f"system: {system}",
        f"extends: {base.system}",
        f"kb_system: {base.kb_system}",
    ]
    if changes.empty():
        lines.append("# 规则表未作修改 / the workbook changes nothing")
    if changes.override:
        lines.append("override:")
        for rule_id, keys in changes.override.items():
            for key in keys:
                lines += _comment(changes, f"override.{rule_id}.{key}", "  ")
            lines.append(f"  {rule_id}: {flow(keys)}")
    for section, values in (("pass_rule", changes.pass_rule), ("parameters", changes.parameters)):
        if values:
            lines.append(f"{section}:")
            for key, value in values.items():
                lines += _comment(changes, f"{section}.{key}", "  ")
                lines.append(f"  {key}: {flow(value)}")
    return "\n".join(lines) + "\n"


def _comment(changes: Changes, name: str, indent: str) -> list[str]:
    before = changes.before.get(name)
    was = "（原无）/ (not set before)" if before is None else f"原为 / was: {flow(before)}"
    return [f"{indent}# {changes.where.get(name, name)}: {was}"]
