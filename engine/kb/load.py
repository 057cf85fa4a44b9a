"""Loading the knowledge base: one `KB` per directory and process, with the hash of its files
as they were read (what a receipt names); read from the on-disk cache (`kb.cache`) when the
files are the ones it was built from.

The values are in `demozone.kb.model`, their strict reading in `demozone.kb.read`; this module
only caches and looks up.
"""

from __future__ import annotations

import functools
from pathlib import Path

from demozone.common.hashing import sha256_tree
from demozone.common.paths import KB_DIR
from demozone.kb.cache import cached
from demozone.kb.model import KB, System

__all__ = ["KB_DIR", "base_numbering", "clear_cache", "digest", "get_system", "load_kb"]


def load_kb(kb_dir: Path | str | None = None) -> KB:
    """The knowledge base in `kb_dir` (default: kb/ beside the engine), loaded once per process.

    Raises InputError listing every problem when a file cannot be read into the model.
    """
    return _load_cached(str(Path(kb_dir or KB_DIR).resolve()))[0]


def digest(kb_dir: Path | str | None = None) -> str:
    """The sha256 over the knowledge base's files (`sha256_tree`) as `load_kb` read them:
    what a receipt names, even when a file changes later in the same process."""
    return _load_cached(str(Path(kb_dir or KB_DIR).resolve()))[1]


def clear_cache() -> None:
    """Forget loaded knowledge bases (tests that edit a copy in place)."""
    _load_cached.cache_clear()


def get_system(system_id: str, kb_dir: Path | str | None = None) -> System | None:
    """A resolved system (local decompositions with everything inherited), or None if unknown."""
    return load_kb(kb_dir).system(system_id)


def base_numbering(system_id: str, kb_dir: Path | str | None = None) -> dict[str, str]:
    """Local indicator number -> number in the extended system; empty for a system of its own."""
    system = get_system(system_id, kb_dir)
    if system is None or not system.extends:
        return {}
    return {ind.number: ind.base for ind in system.indicators if ind.base is not None}


@functools.lru_cache(maxsize=16)
def _load_cached(directory: str) -> tuple[KB, str]:
    """Read once per process, and once per content on disk (demozone.kb.cache)."""
    return cached("values", Path(directory), lambda: _read(Path(directory)))[0]


def _read(directory: Path) -> tuple[KB, str]:
    # imported here: the reading of kb/ (YAML and its checks) is needed only when the on-disk
    # cache lacks the values, and most commands find them there
    from demozone.kb.read import read_kb

    return read_kb(directory), sha256_tree(directory)
