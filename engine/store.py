"""Where assessments live: the embedded on-disk store (Oxigraph through pyoxigraph).

Every assessment is written as one named graph in one transaction, so a store holds an
assessment whole or not at all. The location comes from `--store`, else `DEMOZONE_STORE`, else
`./demozone-data`. Only one process may hold an embedded store open; a second one waits briefly
and then gets a clear "store in use" error.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError
from .provenance import DZ, ID

DEFAULT_LOCATION = "demozone-data"
_OPEN_WAIT_SECONDS = 5.0


def store_location(option: str | None = None) -> str:
    """The store the user asked for: the option, else DEMOZONE_STORE, else ./demozone-data."""
    return option or os.environ.get("DEMOZONE_STORE") or DEFAULT_LOCATION


@dataclass(frozen=True)
class AssessmentInfo:
    iri: str
    submission: str
    system: str
    total: str
    passed: bool
    started: str


class EmbeddedStore:
    """An on-disk, transactional RDF store in a directory."""

    def __init__(self, location: str) -> None:
        path = Path(location)
        if path.exists() and not path.is_dir():
            raise StoreError(
                f"store location {location!r} is a file, not a directory (存储位置应为目录)"
            )
        self.location = str(path)
        self._store = _open_with_wait(path)

    def write_assessment(self, quads: Iterable[ox.Quad]) -> None:
        """Add all quads of one assessment in a single transaction."""
        try:
            self._store.extend(quads)
            self._store.flush()
        except OSError as err:
            raise StoreError(f"could not write to the store at {self.location}: {err}") from err

    def assessments(self, submission: str | None = None) -> list[AssessmentInfo]:
        """Every assessment in the store, oldest first; only one submission's if given."""
        query = f"""
            PREFIX dz: <{DZ}>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?a ?sub ?sys ?total ?passed ?started WHERE {{
              GRAPH ?a {{ ?a a dz:Assessment ; dz:submission ?sub ; dz:system ?sys ;
                           dz:total ?total ; dz:passed ?passed ; prov:startedAtTime ?started }}
            }} ORDER BY ?started"""
        rows = []
        for row in self._store.query(query):
            sub_id = row["sub"].value.removeprefix(ID + "submission/")
            if submission is not None and sub_id != submission:
                continue
            rows.append(
                AssessmentInfo(
                    row["a"].value,
                    sub_id,
                    row["sys"].value.removeprefix(ID + "system/"),
                    row["total"].value,
                    row["passed"].value == "true",
                    row["started"].value,
                )
            )
        return rows

    def graph_quads(self, graph_iri: str) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))

    def count(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.flush()
        del self._store


def _open_with_wait(path: Path) -> ox.Store:
    deadline = time.monotonic() + _OPEN_WAIT_SECONDS
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


def open_store(location: str | None = None) -> EmbeddedStore:
    """Open the store at a location (see `store_location`)."""
    where = store_location(location)
    if "://" in where:
        raise StoreError(f"remote stores ({where}) are not available yet; use a directory")
    return EmbeddedStore(where)
