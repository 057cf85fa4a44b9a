"""Reading one evidence file safely: kept inside its folder, a regular file, hashed as a stream.

The name a submission gives (`evidence/e1.pdf`) is resolved against the submission's folder (or
the `--evidence-root`), symlinks included, and must stay inside it: `../../etc/passwd` and a
link to /etc/shadow are refused by name. Only a regular file is read, opened without blocking
(a FIFO never hangs, a device is refused before a byte is read), hashed in chunks up to
`limits.MAX_EVIDENCE_BYTES` (a 2 GB file is never held in memory).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from demozone.common import limits

_CHUNK = 1 << 20


class EvidenceRefused(Exception):
    """An evidence file that cannot be used; `en` and `zh` say why, naming the file."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


def evidence_sha256(folder: Path, name: str) -> str:
    """The sha256 of the regular file `name` inside `folder`; EvidenceRefused otherwise."""
    if "\x00" in name:
        raise EvidenceRefused(
            f"evidence file {name!r} holds a NUL character", f"证明材料文件名 {name!r} 含有空字符"
        )
    root = Path(os.path.realpath(folder))
    target = Path(os.path.realpath(root / name))
    if target != root and root not in target.parents:
        raise EvidenceRefused(
            f"evidence file {name!r} lies outside the folder {root} (via .. or a link)",
            f"证明材料文件 {name!r} 不在材料目录 {root} 内（经由 .. 或链接）",
        )
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise EvidenceRefused(
            f"evidence file {name!r} does not exist (relative to the submission file)",
            f"证明材料文件 {name!r} 不存在（路径相对于提交文件所在目录）",
        ) from None
    except OSError as err:
        raise EvidenceRefused(
            f"evidence file {name!r} cannot be read: {err.strerror}",
            f"证明材料文件 {name!r} 无法读取",
        ) from None
    try:
        return _stream_hash(fd, os.fstat(fd), name)
    finally:
        os.close(fd)


def _stream_hash(fd: int, info: os.stat_result, name: str) -> str:
    if stat.S_ISDIR(info.st_mode):
        raise EvidenceRefused(
            f"evidence file {name!r} is a folder", f"证明材料 {name!r} 是文件夹，不是文件"
        )
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceRefused(
            f"evidence file {name!r} is not a regular file (a pipe, device or socket)",
            f"证明材料 {name!r} 不是普通文件（管道、设备或套接字）",
        )
    cap = limits.MAX_EVIDENCE_BYTES
    if info.st_size > cap:
        raise EvidenceRefused(
            f"evidence file {name!r} is larger than {limits.size_text(cap)}",
            f"证明材料文件 {name!r} 超过 {limits.size_text(cap)}",
        )
    digest, size = hashlib.sha256(), 0
    while chunk := os.read(fd, _CHUNK):
        size += len(chunk)
        if size > cap:  # it grew while read
            raise EvidenceRefused(
                f"evidence file {name!r} is larger than {limits.size_text(cap)}",
                f"证明材料文件 {name!r} 超过 {limits.size_text(cap)}",
            )
        digest.update(chunk)
    return digest.hexdigest()
