"""A reproducibility receipt: the hashes of everything a score was computed from.

Re-scoring the same inputs gives the same hashes; only the time differs.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .paths import HOME, KB_DIR


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_tree(root: Path) -> str:
    """One hash over every file under a directory: relative names and contents, in order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(sha256_file(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(HOME))
    except ValueError:
        return Path(path).name


def receipt(submission, rule_files: tuple[str, ...], now: datetime | None = None) -> dict[str, str]:
    """Name -> hash (and version and time) for one scoring run."""
    entries = {
        "demozone_version": __version__,
        "time": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "submission": submission.sha256,
        "kb": sha256_tree(KB_DIR),
    }
    for file in rule_files:
        entries[f"rules/{Path(file).name}"] = sha256_file(Path(file))
    for evidence in submission.evidence.values():
        if evidence.sha256:
            entries[f"evidence/{evidence.id}"] = evidence.sha256
    return entries


def hashes_only(entries: dict[str, str]) -> dict[str, str]:
    """The entries that must agree between two runs over the same inputs."""
    return {k: v for k, v in entries.items() if k != "time"}
