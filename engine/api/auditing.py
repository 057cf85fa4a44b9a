"""Audit through the API: verifying stored assessments (digests, chains, signatures, the
re-derivation from their recorded inputs) and read-only SPARQL over the store."""

from __future__ import annotations

from pathlib import Path

from demozone.assessment.reverify import rederive
from demozone.common.errors import StoreError
from demozone.store.location import open_store as _open_store
from demozone.store.query import AUDIT_QUESTIONS
from demozone.store.query import audit_query as _audit_query
from demozone.store.query import run_store_query as _run_store_query
from demozone.store.terms import assessment_iri
from demozone.store.verify import assessment_graphs, verify_store

Location = str | None
__all__ = ["AUDIT_QUESTIONS", "audit_question", "query_store", "verify"]


def verify(
    assessment: str | None = None,
    location: Location = None,
    *,
    submission: Path | str | None = None,
    rederiving: bool = True,
) -> dict:
    """Verify one stored assessment (IRI or id) or, with None, every one: its content digest,
    its link in its submission's chain, its signature and its triple count, and (with
    `rederiving`) the assessment re-derived from its recorded inputs, triple by triple.
    {"store", "assessments", "ok", "differences": [...], "notes": [...]}; a StoreError when
    the assessment is not in the store."""
    with _open_store(location, create=False) as store:
        graphs = assessment_graphs(store)
        if assessment is not None:
            iri = assessment_iri(assessment).value
            if iri not in graphs:
                raise StoreError(
                    f"no assessment {assessment!r} in {store.location} (找不到该评估记录)"
                )
            graphs = [iri]
        differences = verify_store(store, graphs[0] if assessment is not None else None)
        notes: list[str] = []
        if rederiving:
            altered = {d.assessment for d in differences if d.check in ("digest", "unsealed")}
            for graph in graphs:
                found, why = rederive(
                    store,
                    graph,
                    submission if assessment else None,
                    intact=graph not in altered,
                )
                differences.extend(found)
                notes.extend(why)
        where = store.location
    return {
        "store": where,
        "assessments": len(graphs),
        "ok": not differences,
        "differences": [d.to_dict() for d in differences],
        "notes": notes,
    }


def query_store(sparql: str, location: Location = None) -> dict:
    """A read-only SPARQL query over the store (store.query.run_store_query): updates are
    refused; results in the shape of `query` over the knowledge base."""
    with _open_store(location, create=False) as store:
        return _run_store_query(store, sparql)


def audit_question(name: str, location: Location = None, **params: str) -> dict:
    """A saved audit question (`AUDIT_QUESTIONS`: verdicts, passage, assessor) over every
    assessment in the store."""
    return query_store(_audit_query(name, **params), location)
