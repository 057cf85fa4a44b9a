"""The store through the API: a directory (embedded) or a SPARQL server URL; None means
$DEMOZONE_STORE, else ./demozone-data."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from demozone.api.knowledge import KbDir
from demozone.common.errors import StoreError
from demozone.store import check as _storecheck
from demozone.store.formats import backup_format as _backup_format
from demozone.store.location import open_store as _open_store
from demozone.store.terms import KB_GRAPH as _KB_GRAPH

Location = str | None  # a store directory or SPARQL server URL; None: the default store


def store_info(location: Location = None) -> dict:
    """Named graphs with their triple counts, and whether the knowledge base graph is current.

    Never creates a store; a StoreError when there is none or it cannot be opened.
    """
    with _open_store(location, create=False) as store:
        return _storecheck.info(store)


def check_store(location: Location = None, *, shapes: bool = True) -> _storecheck.CheckReport:
    """Every assessment complete, the knowledge base graph whole and (with `shapes`) conforming
    to the SHACL shapes; `report.ok` is False when something is wrong."""
    with _open_store(location, create=False) as store:
        return _storecheck.check(store, shapes=shapes)


def backup_store(file: Path, fmt: str | None = None, location: Location = None) -> dict:
    """Write every graph of the store to one N-Quads or TriG file (`fmt`: nquads or trig,
    default from the file's suffix); returns {"store", "file", "quads"}."""
    with _open_store(location, create=False) as store:
        n = store.backup(file, fmt)
        where = store.location
    return {"store": where, "file": str(file), "quads": n}


def restore_store(file: Path, fmt: str | None = None, location: Location = None) -> dict:
    """Load a backup into an empty store (created when it is a new directory); returns
    {"store", "file", "quads"}. A StoreError when the store already holds data."""
    with _open_store(location, create=True) as store:
        n = store.restore(file, fmt)
        where = store.location
    return {"store": where, "file": str(file), "quads": n}


def load_kb_into_store(kb_dir: KbDir = None, location: Location = None) -> dict:
    """Put the knowledge base into its graph in the store, replacing the one there; returns
    {"store", "graph", "triples"}."""
    with _open_store(location, create=True) as store:
        n = store.load_kb(kb_dir)
        where = store.location
    return {"store": where, "graph": _KB_GRAPH.value, "triples": n}


def stored_assessment_quads(assessment: str, location: Location = None) -> list[ox.Quad]:
    """One stored assessment's quads (by IRI or id) with the shared rule-set graph it uses, so
    that a restore of them is complete. A StoreError when there is no such assessment."""
    with _open_store(location, create=False) as store:
        quads = store.assessment_quads(assessment)
        quads += store.shared_quads(quads)
    return quads


def nquads(quads: list[ox.Quad]) -> bytes:
    """Quads as N-Quads."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def write_quads(quads: list[ox.Quad], file: Path) -> None:
    """Quads to a .nq or .trig file; a StoreError when it cannot be written."""
    try:
        ox.serialize(quads, str(file), format=_backup_format(file, None))
    except OSError as err:
        raise StoreError(f"cannot write {file}: {err}") from err


def remove_assessment(assessment: str, location: Location = None) -> int:
    """Remove one assessment (its whole graph) from the store; returns how many triples it held."""
    with _open_store(location, create=False) as store:
        return store.remove_assessment(assessment)


def history(submission: str, location: Location = None) -> dict:
    """The assessments of a submission, oldest first, and what changed between them: total,
    pass/fail, indicator and level scores, judgments (with their authors)."""
    # imported here: the history reads scores and judgments (demozone.scoring), which the
    # other store verbs never load
    from demozone.store.history import history as _history
    from demozone.store.history import wanted_submission

    wanted_submission(submission)  # before the store is opened
    with _open_store(location, create=False) as store:
        return _history(store, submission)
