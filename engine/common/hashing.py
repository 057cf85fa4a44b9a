"""The sha256 of a file and of a directory tree: how a receipt names the inputs of a score and how
the store knows whether its knowledge base is the one on disk.

The hash of a tree as it is on disk (`tree_sha256`) is remembered per process by the files'
state (size, modification and change times, inode): an edited file is hashed again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["sha256_file", "sha256_tree", "tree_sha256"]


def sha256_file(path: Path) -> str:
    """The hex sha256 of one file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def sha256_tree(root: Path) -> str:
    """One hash over every file under a directory: relative names and contents, in order."""
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(sha256_file(path).encode("ascii") + b"\n")
    return digest.hexdigest()


def _state(path: Path) -> tuple:
    status = path.stat()
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


_TREE_HASHES: dict[tuple, str] = {}


def tree_sha256(root: Path) -> str:
    """`sha256_tree`, remembered while no file under the directory was added, removed or changed."""
    key = (str(root.resolve()), *((str(p), *_state(p)) for p in _files(root)))
    if key not in _TREE_HASHES:
        _TREE_HASHES[key] = sha256_tree(root)
    return _TREE_HASHES[key]
