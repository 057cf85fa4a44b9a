"""Who owes what: the responsible units (责任单位) of an indicator under a rule set.

A local decomposition in the knowledge base names its units per indicator, verbatim from its
source; a variant's rule file may restate them (`units:`), which is how policy staff try a
different division of work before a county adopts it.
"""

from __future__ import annotations

from demozone.kb import load as kb
from demozone.rules.model import RuleSet


def responsible_units(rule_set: RuleSet, number: str) -> tuple[str, ...]:
    """The unit names responsible for indicator `number` (the rule set's own numbering): those the
    rules state, else those of the knowledge-base decomposition; empty when neither names any."""
    if number in rule_set.units:
        return rule_set.units[number]
    system = kb.get_system(rule_set.kb_system)
    indicator = system.indicator(number) if system is not None else None
    return indicator.unit_names if indicator is not None else ()


def units_source(rule_set: RuleSet, number: str) -> str:
    """Where the units of an indicator come from: "rules", "kb" or "" (nobody is named)."""
    if number in rule_set.units:
        return "rules"
    return "kb" if responsible_units(rule_set, number) else ""
