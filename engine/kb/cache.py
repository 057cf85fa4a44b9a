"""What is built from the knowledge base, kept on disk and keyed by what it was built from.

The loaded values, the graph and the `kb check` report cost seconds to build and are the same
for the same inputs, so each is built once and pickled under a key: the sha256 over the files
of kb/, of ontology/ and of the code that builds them (the kb and common packages), with the
knowledge base's directory, and the Python and rdflib versions. An edited file gives another
key, so an entry is never stale; old entries are simply never read again.

Where: $DEMOZONE_CACHE, else $XDG_CACHE_HOME/demozone, else ~/.cache/demozone. Each entry is
written to a temporary file and renamed into place (`os.replace`), so concurrent writers cannot
leave a torn file and a reader sees a whole entry or none. An entry that cannot be read is
built again; a cache that cannot be written is not an error (the value is just not kept). The
entries of the twelve most recently built knowledge bases are kept, older ones removed.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import importlib.metadata
import os
import pickle
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from demozone.common.hashing import tree_sha256
from demozone.common.paths import ONTOLOGY_DIR

__all__ = [
    "cache_dir",
    "cached",
    "cached_under",
    "entry_key",
    "inputs_digest",
    "keep_what_is_read",
]

CACHE_ENV = "DEMOZONE_CACHE"
_CODE = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "common")
T = TypeVar("T")


def cache_dir() -> Path:
    """The directory of the cache ($DEMOZONE_CACHE, else the user's cache directory)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "demozone"


def inputs_digest(kb_dir: Path) -> str:
    """The sha256 naming everything a knowledge-base entry is built from (see the docstring)."""
    digest = hashlib.sha256()
    # rdflib's version from its installed metadata: importing rdflib for it would cost the
    # light commands (`systems`, `show`), which never touch a graph, a third of their time
    parts = [str(kb_dir.resolve()), sys.version, importlib.metadata.version("rdflib")]
    parts += [tree_sha256(kb_dir), tree_sha256(ONTOLOGY_DIR), *(tree_sha256(p) for p in _CODE)]
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def entry_key(kb_dir: Path) -> str:
    """The short key of the knowledge base in `kb_dir` as its files are now."""
    return inputs_digest(kb_dir)[:32]


def cached(
    name: str,
    kb_dir: Path,
    build: Callable[[], T],
    *,
    force: bool = False,
    reducers: Mapping[type, Callable] | None = None,
) -> tuple[T, bool]:
    """(value, reused): the entry `name` for the knowledge base in `kb_dir`, read from the cache
    or (`force`: always) built by `build()` and stored. A value built while a file changed is
    not stored. `reducers`: how to pickle objects of some types (class -> reduce function, as
    in copyreg), for an entry that is read back faster so."""
    key = entry_key(kb_dir)
    return cached_under(
        key,
        name,
        build,
        force=force,
        still=lambda: entry_key(kb_dir) == key,
        reducers=reducers,
    )


def cached_under(
    key: str,
    name: str,
    build: Callable[[], T],
    *,
    force: bool = False,
    still: Callable[[], bool] = lambda: True,
    reducers: Mapping[type, Callable] | None = None,
) -> tuple[T, bool]:
    """(value, reused): the entry `name` under `key` (a digest of everything the value is built
    from), read back or built and stored; stored only if `still()` holds after the build."""
    path = cache_dir() / key / f"{name}.pickle"
    found = None if force else _read(path)
    if found is not None:
        return found[0], True
    value = build()
    if still():
        _write(path, value, reducers or {})
        _prune(cache_dir(), keep=KEEP)
    return value, False


_KEEP_READS = False  # set by keep_what_is_read, for a one-shot process only


def keep_what_is_read() -> None:
    """For a process that runs one command and exits (the `demozone` command, not a server nor
    a test run): every entry read from now on stays until the process ends, so it is set aside
    from the cyclic garbage collector (gc.freeze) instead of being gone over again at each of
    its later passes (a tenth of a two-row query)."""
    global _KEEP_READS
    _KEEP_READS = True


KEEP = 12  # knowledge bases (by key) kept; the least recently written go first


def _prune(root: Path, keep: int) -> None:
    """Remove all but the `keep` most recently written entries (copies of kb/ made by tests
    and old versions would otherwise pile up)."""
    try:
        entries = sorted(
            (p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[keep:]:
            shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return


def _read(path: Path) -> tuple[object] | None:
    # An entry is tens of thousands of small objects: with the cyclic collector running, its
    # passes over them cost four times the unpickling itself.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            found = (pickle.load(handle),)
        if _KEEP_READS:
            gc.freeze()
        return found
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or incompatible entry: build it again
        return None
    finally:
        if collecting:
            gc.enable()


def _write(path: Path, value: object, reducers: Mapping[type, Callable]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = {**copyreg.dispatch_table, **reducers}
                pickler.dump(value)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except OSError:
        return  # a cache that cannot be written only costs the next command the build


def _mapping_proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


def _reduce_mapping_proxy(proxy: MappingProxyType):
    return _mapping_proxy, (dict(proxy),)


copyreg.pickle(MappingProxyType, _reduce_mapping_proxy)  # the knowledge base's frozen maps
