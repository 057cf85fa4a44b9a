"""The rule workbook for policy staff through the API: a rule set exported as .xlsx, and an
edited workbook imported as a commented YAML variant of only the differences."""

from __future__ import annotations

from pathlib import Path

from demozone.policy.rulebook import export as _export
from demozone.policy.rulebook import importer as _import
from demozone.policy.rulebook import variant as _variant
from demozone.rules.lookup import rules_of


def export_rules(system: str, out: Path | str) -> Path:
    """Write the rule workbook of `system` (an id or a rule file's path) to `out` (.xlsx)."""
    return _export.export_rules(rules_of(system), Path(out))


def import_rules(
    workbook: Path | str, base: str, out: Path | str, system: str | None = None
) -> dict:
    """Write the variant an edited rule workbook makes of `base` to `out` (a YAML rule file
    holding only the differences, commented), named `system` (default: the file's name).

    Returns {"file", "system", "base", "changes": count, "override", "pass_rule",
    "parameters"}. Raises InputError (nothing written) naming sheet and cell of every problem."""
    out = Path(out)
    rule_set = rules_of(base)
    changes = _import.read_changes(Path(workbook), rule_set)
    name = system or out.stem
    text = _variant.variant_text(name, rule_set, changes, str(workbook))
    out.write_text(text, encoding="utf-8")
    count = sum(map(len, changes.override.values())) + len(changes.pass_rule)
    return {
        "file": str(out),
        "system": name,
        "base": rule_set.system,
        "changes": count + len(changes.parameters),
        "override": changes.override,
        "pass_rule": changes.pass_rule,
        "parameters": changes.parameters,
    }
