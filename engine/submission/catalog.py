"""The catalog of the indicator systems in kb/, as the submission reader needs them: each
system's region classes and clauses, and which clauses its rules score by judgment."""

from __future__ import annotations

import functools

from demozone.kb import load as kb
from demozone.rules.load import available_rule_sets, judged_clauses
from demozone.rules.lookup import rules_of
from demozone.submission.model import SystemEntry, SystemInfo

__all__ = ["KbCatalog", "catalog_from_kb", "clear_cache"]


class KbCatalog:
    """The systems of the knowledge base, as the loader needs them; which clauses are judged
    comes from the system's own rules."""

    def system_info(self, system_id: str) -> SystemInfo | None:
        return _kb_system_entry(system_id)

    def system_ids(self) -> list[str]:
        return list(kb.load_kb().systems)


@functools.lru_cache(maxsize=64)
def _kb_system_entry(system_id: str) -> SystemEntry | None:
    system = kb.get_system(system_id)
    if system is None:
        return None
    clauses = frozenset(c.id for i in system.indicators for c in i.clauses)
    judged = judged_clauses(rules_of(system_id)) if system_id in available_rule_sets() else None
    return SystemEntry(system.id, frozenset(system.region_classes), clauses, judged)


def clear_cache() -> None:
    """Forget the catalog entries read from the knowledge base and the rules."""
    _kb_system_entry.cache_clear()


def catalog_from_kb() -> KbCatalog:
    """The catalog of the systems in kb/ (loaded lazily, on first use)."""
    return KbCatalog()
