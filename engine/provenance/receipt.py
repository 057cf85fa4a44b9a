"""A reproducibility receipt: the hashes of everything a score was computed from.

Re-scoring the same inputs gives the same hashes; only the time differs. The knowledge base and
the rule files are named by the hashes of their files as they were read (kb.digest,
RuleSet.file_hashes): both are loaded once per process, and a file edited later is not what the
scores were computed from. The hash of kb/ as it is on disk (`tree_sha256`, what the store
compares its knowledge base with) is remembered per process by the files' state (size,
modification and change times, inode): an edited file is hashed again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from demozone import __version__
from demozone.kb import model as kb


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


def _state(path: Path) -> tuple:
    status = path.stat()
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


_TREE_HASHES: dict[tuple, str] = {}


def tree_sha256(root: Path) -> str:
    """`sha256_tree`, remembered while no file under the directory was added, removed or changed."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    key = (str(root.resolve()), *((str(p), *_state(p)) for p in files))
    if key not in _TREE_HASHES:
        _TREE_HASHES[key] = sha256_tree(root)
    return _TREE_HASHES[key]


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
