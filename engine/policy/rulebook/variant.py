"""The variant an edited rule workbook makes: a commented YAML rule file that extends the base
and holds only what differs from it (`override`, `pass_rule`, `parameters`)."""

from __future__ import annotations

from pathlib import Path

from demozone.common.yamlio import load_yaml
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
    lines += _unfix_hint(base, changes)
    return "\n".join(lines) + "\n"


def _unfix_hint(base: RuleSet, changes: Changes) -> list[str]:
    """A commented `unfix:` for the changes of entries the base marks fixed: lint refuses them
    until a reason is given."""
    fixed = {str(e) for file in base.files for e in (load_yaml(Path(file)).get("fixed") or [])}
    touched = []
    for name in changes.before:
        head, key, *rest = name.split(".", 2)
        candidates = (
            [f"rules.{key}", f"rules.{key}.{rest[0]}"]
            if head == "override"
            else [
                head,
                name,
            ]
        )
        touched += [c for c in candidates if c in fixed and c not in touched]
    if not touched:
        return []
    return [
        "# 以上修改涉及基础规则标为不可更改（fixed）的项：如确需修改，请取消注释并写明理由",
        "# These change entries the base marks fixed: to change them on purpose, say why:",
        "# unfix:",
        *(f'#   {entry}: "理由 / reason"' for entry in touched),
    ]


def _comment(changes: Changes, name: str, indent: str) -> list[str]:
    before = changes.before.get(name)
    was = "（原无）/ (not set before)" if before is None else f"原为 / was: {flow(before)}"
    return [f"{indent}# {changes.where.get(name, name)}: {was}"]
