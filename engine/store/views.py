"""Read-only views of embedded stores, kept per process while the stores' files are unchanged.

Opening an embedded store costs milliseconds (RocksDB opens its column families and tables),
more than reading one assessment's record. A process that reads a store again and again (the
web workspace, a benchmark) keeps a read-only view of it and uses it again while every data file
of the store (CURRENT, the manifest, the write-ahead logs, the tables) has the name, size,
modification time and inode it had just before the view was opened: a write, a flush, a
compaction or an opening for writing changes one of them, and a new view is opened. A view is
for reads a caller can repeat through the store opened as usual (`open_store`), since a writer
at work may make a read through a view fail (RocksDB's read-only mode).
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict

from demozone.common.errors import StoreError
from demozone.store.embedded import EmbeddedStore
from demozone.store.location import store_location

# RocksDB's files that hold or point to data; LOG and LOCK change without the data changing
_DATA_FILES = re.compile(r"^(CURRENT|IDENTITY|MANIFEST-\d+|OPTIONS-\d+|\d+\.(log|sst|blob))$")
_KEPT = 2  # stores: a view holds its tables open, even those a compaction has since removed

_lock = threading.Lock()  # the web workspace reads from several threads
_views: OrderedDict[str, tuple[frozenset, EmbeddedStore]] = OrderedDict()


def kept_view(location: str | None) -> EmbeddedStore | None:
    """A read-only view of the embedded store at `location` (found as `open_store` finds it)
    that shows the store as it is now; None for a SPARQL server, or when no view can be opened
    (the caller then opens the store as usual and meets its error)."""
    where = store_location(location)
    if where.lower().startswith(("http://", "https://")):
        return None
    path = os.path.realpath(where)
    try:
        files = _data_files(path)
    except OSError:
        return None
    with _lock:
        kept = _views.get(path)
        if kept is not None and kept[0] == files:
            _views.move_to_end(path)
            return kept[1]
    try:
        view = EmbeddedStore(path, create=False, read_only=True)
    except StoreError:
        return None
    with _lock:
        _views[path] = (files, view)
        _views.move_to_end(path)
        while len(_views) > _KEPT:
            _views.popitem(last=False)  # RocksDB closes it when the last reader lets go
    return view


def _data_files(path: str) -> frozenset:
    with os.scandir(path) as entries:
        return frozenset(
            (entry.name, info.st_size, info.st_mtime_ns, info.st_ino)
            for entry in entries
            if _DATA_FILES.match(entry.name)
            for info in (entry.stat(),)
        )
