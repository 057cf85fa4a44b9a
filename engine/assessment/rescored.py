"""Re-scoring a stored assessment's submission file, kept per process while its inputs stay.

A stored assessment is explained by re-scoring its submission file (`resolve.rescore`): the store
keeps no arithmetic. In a process the rule sets and the knowledge base are loaded once, so a
re-score depends only on the bytes of the submission file and of its evidence files. The result
is kept by the file's sha256, the rule set's file hashes, the knowledge base's digest and the
engine, and given again while every evidence file is the same file (path, inode, size, times)
last changed well before that re-score began: a file changed while it was read, or within a
coarse file system's timestamp granularity of it, is read again next time.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from demozone.assessment.assess import Assessment, assess
from demozone.common.hashing import sha256_file
from demozone.kb import load as kb
from demozone.rules.lookup import rules_of

_KEPT = 16  # submissions: a workspace explains a few at a time, each result is large
_SETTLED_NS = 2_000_000_000  # FAT's 2 s mtime granularity, and coarse kernel clocks within it

Fingerprint = tuple[str, tuple[int, int, int, int, int] | None]


@dataclass(frozen=True)
class _Kept:
    evidence: tuple[Fingerprint, ...]
    started_ns: int  # wall time before the re-score read any file
    assessment: Assessment


_lock = threading.Lock()  # the web workspace explains from several threads
_kept: OrderedDict[tuple, _Kept] = OrderedDict()


def scored_again(path: Path, system: str | None, engine: str) -> Assessment:
    """`assess(path, system=system, engine=engine, write=False)`: the same score result,
    submission and receipt (its time and the assessment id those of the first re-score) while
    the file, its evidence files, the rule set and the knowledge base are unchanged. Raises what
    `assess` raises; a failed re-score is never kept."""
    if system is None:  # the rule set is the file's own: known only once it is read
        return assess(path, system=system, engine=engine, write=False)
    rule_set = rules_of(system)
    digest = sha256_file(path)
    key = (os.path.realpath(path), digest, system, engine, rule_set.file_hashes, kb.digest())
    with _lock:
        kept = _kept.get(key)
    if kept is not None and _unchanged(kept):
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
        return kept.assessment
    started_ns = time.time_ns()
    scored = assess(path, system=system, engine=engine, write=False)
    if scored.submission.sha256 == digest:  # the bytes scored are those the key names
        entry = _Kept(_evidence_files(path, scored.submission), started_ns, scored)
        with _lock:
            _kept[key] = entry
            _kept.move_to_end(key)
            while len(_kept) > _KEPT:
                _kept.popitem(last=False)
    return scored


def _evidence_files(path: Path, submission) -> tuple[Fingerprint, ...]:
    """Each evidence file the submission names, where it resolves to, and its stat."""
    folder = path.parent  # where `assess` finds evidence files without an evidence root
    return tuple(
        _fingerprint(os.path.realpath(folder / item.file))
        for item in submission.evidence.values()
        if item.file
    )


def _fingerprint(target: str) -> Fingerprint:
    try:
        info = os.stat(target)
    except OSError:
        return target, None
    return target, (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _unchanged(kept: _Kept) -> bool:
    for target, stat in kept.evidence:
        if stat is None or _fingerprint(target) != (target, stat):
            return False
        if max(stat[3], stat[4]) >= kept.started_ns - _SETTLED_NS:
            return False
    return True
