"""The embedded store: Oxigraph on disk through pyoxigraph, in a data directory.

Only one process may hold an embedded store open: a second one waits briefly (DEMOZONE_STORE_WAIT
seconds) and then gets a clear "store in use" error. A batch goes in through Oxigraph's bulk
loader in one atomic ingestion: every assessment of the batch or none, also across kill -9.
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.provenance.signing import signer_from_environment
from demozone.provenance.terms import parse_nquads
from demozone.store.base import BaseStore, batch_parts
from demozone.store.bulkload import ProducerFailed, load_stream
from demozone.store.formats import backup_format, trig_prefixes
from demozone.store.seal import Sealed, to_trig
from demozone.store.terms import Pattern, iri_term, sparql_term, triples_text

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_OPEN_WAIT_SECONDS = 5.0
# From this many quads on, a write goes through the bulk loader (as a batch does): it writes the
# index files directly and ingests them at once, all or nothing, where a transaction of the
# knowledge base's 64,000 quads costs four times as much and its flush at close another 0.2 s.
# Smaller writes stay transactions: each bulk load leaves new files for RocksDB to compact.
_BULK_QUADS = 20_000


class EmbeddedStore(BaseStore):
    """An on-disk, transactional RDF store in a directory (Oxigraph through pyoxigraph)."""

    kind = "embedded"

    def __init__(
        self, location: str | Path, *, create: bool = True, read_only: bool = False
    ) -> None:
        """Open the store in `location`, waiting for its lock; `read_only`: without the lock,
        the data as it is on disk now (nothing may be written through it; a writer at work
        may make a read fail, see `store.views`)."""
        path = Path(validate_path(str(location)))
        if path.exists() and not path.is_dir():
            raise StoreError(
                f"store location {str(location)!r} is a file, not a directory (存储位置应为目录)"
            )
        if path.is_dir() and not _looks_like_a_store(path):
            raise StoreError(
                f"{path} is a directory that holds other files, not a demozone store "
                "(该目录不是demozone存储)"
            )
        if not create and not (path / "CURRENT").is_file():
            raise StoreError(f"no store at {path} (该位置没有存储)")
        self.location = str(path)
        self.read_only = read_only
        if read_only:
            self._store: ox.Store | None = _open_read_only(path)
            return
        self._store = _open_with_wait(path)
        # Files a bulk load killed before its commit left behind: never part of the store, and
        # no other process can be loading (it would hold the lock we now hold).
        for leftover in path.glob("bulk-*.sst"):
            leftover.unlink(missing_ok=True)

    @property
    def ox(self) -> ox.Store:
        if self._store is None:
            raise StoreError(f"the store at {self.location} is closed")
        return self._store

    def select(self, query: str) -> list[dict]:
        try:
            solutions = self.ox.query(query)
            names = [v.value for v in solutions.variables]
            return [
                {n: s[n] for n in names if s[n] is not None}
                for s in solutions  # type: ignore[union-attr]
            ]
        except OSError as err:
            raise StoreError(f"cannot read the store at {self.location}: {err}") from err

    def graph_quads(self, graph_iri: str) -> list[ox.Quad]:
        return list(self.ox.quads_for_pattern(None, None, None, iri_term(graph_iri)))

    def graph_quads_of(self, graph_iri: str, patterns: Iterable[Pattern]) -> list[ox.Quad]:
        # index lookups by predicate (and object) in the graph: never the graph's other quads
        graph = iri_term(graph_iri)
        return [
            q
            for p, o in patterns
            for q in self.ox.quads_for_pattern(
                None, ox.NamedNode(p), ox.NamedNode(o) if o else None, graph
            )
        ]

    def has_graph(self, graph: ox.NamedNode) -> bool:
        # an index lookup: a batch asks this for each of its assessments
        return next(iter(self.ox.quads_for_pattern(None, None, None, graph)), None) is not None

    def default_quads(self) -> list[ox.Quad]:
        return list(self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def graph_ntriples(self, graph_iri: str) -> bytes:
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=iri_term(graph_iri))

    def canonical_ntriples(self, graph_iri: str) -> bytes | None:
        return self.graph_ntriples(graph_iri)

    def default_count(self) -> int:
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def _add_graphs(self, groups: Sequence[tuple[ox.NamedNode, list[ox.Quad]]]) -> None:
        quads = [q for _g, quads in groups for q in quads]
        if len(quads) < _BULK_QUADS:
            self._write(lambda: self.ox.extend(quads))
        else:  # the knowledge base into an empty store: 0.3 s instead of 1.4 s with its flush
            self._write(lambda: self.ox.bulk_extend(quads))

    def _replace_graph(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        # one SPARQL update is one transaction: the old graph goes and the new one comes together
        data = triples_text(quads).decode("utf-8")
        g = sparql_term(graph)
        self._write(
            lambda: self.ox.update(
                f"DROP SILENT GRAPH {g} ; INSERT DATA {{ GRAPH {g} {{ {data} }} }}"
            )
        )

    def _drop_graph(self, graph: ox.NamedNode) -> None:
        self._write(lambda: self.ox.remove_graph(graph))

    def _restore_quads(self, quads: list[ox.Quad]) -> None:
        self._write(lambda: self.ox.extend(quads))

    def write_batch(self, assessments: Iterable[Sealed]) -> None:
        """Record a batch of sealed assessments through the bulk loader, in one atomic ingestion.

        The knowledge base and the shared graphs the batch uses (when missing) and every
        assessment are streamed into one bulk load while the assessments are still produced,
        committed once at its end: a failure or a kill -9 before that leaves none of them. The
        TriG is demozone's own, built and sealed in canonical form, so the loader does not
        validate IRIs again (lenient).
        """
        try:
            load_stream(self._bulk_load, self._batch_trig(assessments))
        except ProducerFailed as failed:
            raise failed.__cause__ from None
        except (OSError, SyntaxError, ValueError) as err:
            raise StoreError(f"could not write to the store at {self.location}: {err}") from err

    def _batch_trig(self, assessments: Iterable[Sealed]) -> Iterator[bytes]:
        for _graph, trig in self._missing_graphs([], {}, quads=False):  # the knowledge base
            yield trig
        for _graph, quads in self._missing_key(signer_from_environment()):  # a signer's key
            yield to_trig(quads)
        for kind, _iri, content in batch_parts(self, assessments):
            yield to_trig(parse_nquads(content)) if kind == "shared" else content

    def _bulk_load(self, path: str) -> None:
        self.ox.bulk_load(path=path, format=ox.RdfFormat.TRIG, lenient=True)

    def _write(self, action) -> None:
        # Each action is one RocksDB transaction, durable in its write-ahead log once it returns:
        # a kill -9 after this point keeps it. Flushing memtables per write would cost ~0.2 s.
        try:
            action()
        except OSError as err:
            raise StoreError(f"could not write to the store at {self.location}: {err}") from err

    def backup(self, path: str | Path, fmt: str | None = None) -> int:
        target = Path(path)
        rdf_format = backup_format(target, fmt)
        temp = target.with_name(target.name + ".part")
        try:
            self.ox.dump(str(temp), format=rdf_format, prefixes=trig_prefixes(rdf_format))
            os.replace(temp, target)
        except OSError as err:
            temp.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup {target}: {err}") from err
        return len(self.ox)

    def count(self) -> int:
        return len(self.ox)

    def content_state(self) -> frozenset | None:
        """What the store's content rests on, while this process holds the store's lock: every
        table file (name, size, modification time, inode) and every write-ahead log holding
        writes. Equal states mean equal content (unless a file was rewritten in place with its
        size, inode and modification time put back on purpose); None for a read-only view,
        which holds no lock and may show an older content than its files."""
        if self.read_only or self._store is None:
            return None
        # RocksDB changes content only by appending to a log, then writing new tables from it,
        # or by ingesting new tables. Opening rewrites only the manifest, CURRENT, OPTIONS and
        # an empty log, which are left out; a compaction writes new tables of the same content
        # (a new state: the next check reads the text once more).
        files = []
        with os.scandir(self.location) as entries:
            for entry in entries:
                if not _CONTENT_FILES.match(entry.name):
                    continue
                try:
                    info = entry.stat()
                except FileNotFoundError:  # removed meanwhile by a compaction: its content is
                    continue  # in the tables the compaction wrote
                if info.st_size or not entry.name.endswith(".log"):
                    files.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ino))
        return frozenset(files)

    def close(self) -> None:
        if self._store is not None and self.read_only:
            self._store = None  # nothing to flush: RocksDB just closes
        if self._store is not None:
            try:
                self._store.flush()
            except OSError as err:
                raise StoreError(f"cannot write the store at {self.location}: {err}") from err
            finally:
                self._store = None  # the last reference: RocksDB closes and releases its lock


_CONTENT_FILES = re.compile(r"^\d+\.(log|sst|blob)$")
_STORE_FILES = re.compile(
    r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\.\d+)?|MANIFEST-\d+|OPTIONS-\d+(\.dbtmp)?|\d+\.(log|sst|blob|dbtmp)|bulk-\d+\.sst)$"
)


def _looks_like_a_store(path: Path) -> bool:
    """An Oxigraph (RocksDB) directory, possibly one whose creation or last bulk load was cut
    short, or empty."""
    return all(_STORE_FILES.match(p.name) for p in path.iterdir())


def validate_path(location: str) -> str:
    """A store directory as the user gave it, refused when it cannot be one."""
    if not location or not location.strip():
        raise StoreError("empty store location (存储位置为空)")
    if _CONTROL.search(location):
        raise StoreError(
            f"store location {location!r} holds control characters (存储位置含控制字符)"
        )
    if _URL_SCHEME.match(location):
        raise StoreError(
            f"{location!r} is a URL of a kind demozone cannot use: give a directory or an "
            "http(s):// SPARQL server (仅支持目录或 http(s) 地址)"
        )
    return location


def _open_with_wait(path: Path) -> ox.Store:
    wait = _wait_seconds()
    deadline = time.monotonic() + wait
    while True:
        try:
            path.mkdir(parents=True, exist_ok=True)
            return ox.Store(str(path))
        except OSError as err:
            if "lock" not in str(err).lower():
                raise StoreError(f"cannot open the store at {path}: {err}") from err
            if time.monotonic() > deadline:
                raise StoreError(
                    f"store in use: another demozone process holds {path} (存储正被另一进程使用，请稍后再试)"
                ) from err
            time.sleep(0.1)


_READ_ONLY_TRIES = 5


def _open_read_only(path: Path) -> ox.Store:
    # A writer's flush or compaction may remove a table file while RocksDB opens the store for
    # reading (it then reports "Corruption: ... No such file"): the next try finds the new one.
    for attempt in range(1, _READ_ONLY_TRIES):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):
            time.sleep(0.05 * attempt)
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as err:
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def _wait_seconds() -> float:
    """DEMOZONE_STORE_WAIT: seconds (0 to 86400) to wait for a store another process holds."""
    raw = os.environ.get("DEMOZONE_STORE_WAIT")
    if raw is None or not raw.strip():
        return _OPEN_WAIT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 86400:
        raise StoreError(
            f"DEMOZONE_STORE_WAIT={raw!r} is not a number of seconds: give a number from 0 to "
            f"86400, e.g. {_OPEN_WAIT_SECONDS:g} (DEMOZONE_STORE_WAIT 应为0到86400之间的秒数)"
        )
    return value
