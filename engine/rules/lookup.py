"""The rule set of a system or variant by its id, with the knowledge base's renumbering of a
local decomposition (rules' `renumber: from_kb`)."""

from __future__ import annotations

from demozone.kb import load as kb
from demozone.rules.load import rule_set_for
from demozone.rules.model import RuleSet

__all__ = ["renumbering", "rules_of"]


def renumbering(system_id: str) -> dict[str, str]:
    """Local indicator number -> base number for a local decomposition (rules' renumber: from_kb)."""
    return kb.base_numbering(system_id)


def rules_of(system_id: str) -> RuleSet:
    """The rule set of a system or variant (loaded once per process); InputError if it has none."""
    return rule_set_for(system_id, renumbering=renumbering)
