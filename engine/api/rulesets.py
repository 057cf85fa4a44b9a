"""Rule sets through the API: where they are found (a policy office's own folders), which there
are, and the rule workbook for policy staff.

`use_rules(dirs)` adds folders searched for rule sets before $DEMOZONE_RULES and the shipped
rules/ (the CLI's repeatable `--rules DIR`); wherever a system id is taken, a rule file's path is
taken too. `rule_sets()` lists every rule set found, with its base and where it comes from.
The rule workbook is in `rulebooks` (it loads openpyxl, which a command that does not need it
should not wait for).
"""

from __future__ import annotations

from pathlib import Path

from demozone.common.errors import InputError
from demozone.rules import sources as _sources


def use_rules(dirs) -> None:
    """Search these folders for rule sets first (InputError for one that does not exist)."""
    _sources.use_rule_dirs([Path(d) for d in dirs])


def rule_sets() -> list[dict]:
    """Every rule set of every rule folder: id, title, the rule set it extends, the
    knowledge-base system it scores, its file, where that folder comes from (--rules,
    DEMOZONE_RULES, rules/ or a path), the file that wins when two share an id, the entries it
    unfixes with their reasons; `problem` when the file cannot be loaded."""
    from demozone.rules.lookup import rules_of  # loads rule files: not on every verb's --rules

    rows = []
    for source in _sources.rule_sources():
        row = {
            "id": source.system,
            "file": str(source.file),
            "origin": source.origin,
            "shadowed_by": str(source.shadowed_by) if source.shadowed_by else None,
        }
        try:
            rules = rules_of(str(source.file))
        except InputError as err:
            row.update(problem=err.problems[0].text("zh"), extends=None, kb_system=None)
            row.update(title="", unfixed=[])
        else:
            row.update(title=rules.title, extends=rules.extends, kb_system=rules.kb_system)
            row["unfixed"] = [{"entry": u.entry, "reason": u.reason} for u in rules.unfixed]
        rows.append(row)
    return rows
