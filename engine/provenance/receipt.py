"""A reproducibility receipt: the hashes of everything a score was computed from.

Re-scoring the same inputs gives the same hashes; only the time differs. The knowledge base and
the rule files are named by the hashes of their files as they were read (kb.digest,
RuleSet.file_hashes): both are loaded once per process, and a file edited later is not what the
scores were computed from. The hashing itself lives in `demozone.common.hashing`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from demozone import __version__
from demozone.kb import load as kb


def receipt(submission, rule_set, now: datetime | None = None) -> dict[str, str]:
    """Name -> hash (and version and time) for one scoring run of `submission` under
    `rule_set` (its files named as they were read)."""
    entries = {
        "demozone_version": __version__,
        "time": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "submission": submission.sha256,
        "kb": kb.digest(),
    }
    for file, sha256 in zip(rule_set.files, rule_set.file_hashes, strict=True):
        entries[f"rules/{Path(file).name}"] = sha256
    for evidence in submission.evidence.values():
        if evidence.sha256:
            entries[f"evidence/{evidence.id}"] = evidence.sha256
    return entries


def hashes_only(entries: dict[str, str]) -> dict[str, str]:
    """The entries that must agree between two runs over the same inputs."""
    return {k: v for k, v in entries.items() if k != "time"}
