"""The sha256 of a file and of a directory tree: how a receipt names the inputs of a score and how
the store knows whether its knowledge base is the one on disk.

The hash of a tree as it is on disk (`tree_sha256`) is remembered per process by the files'
state (size, modification and change times, inode): an edited file is hashed again.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from demozone.common import limits

__all__ = ["FileTooLarge", "read_bounded", "sha256_file", "sha256_tree", "tree_sha256"]


class FileTooLarge(OSError):
    """A file read whole is larger than its limit, or is not a regular file."""


def read_bounded(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` (default limits.MAX_FILE_BYTES), opened
    without blocking so a FIFO or a device is refused instead of read; the size is checked
    before reading. OSError (FileNotFoundError, IsADirectoryError, FileTooLarge) otherwise;
    ValueError for a name with a NUL."""
    cap = limits.MAX_FILE_BYTES if limit is None else limit
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise FileTooLarge(f"{path} is not a regular file (a pipe, device or socket)")
        if info.st_size > cap:
            raise FileTooLarge(f"{path} is larger than {limits.size_text(cap)}")
        parts, size = [], 0
        while size <= cap and (part := os.read(fd, min(1 << 20, cap + 1 - size))):
            parts.append(part)
            size += len(part)
    finally:
        os.close(fd)
    data = b"".join(parts)
    if len(data) > cap:
        raise FileTooLarge(f"{path} is larger than {limits.size_text(cap)}")
    return data


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
