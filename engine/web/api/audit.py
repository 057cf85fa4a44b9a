"""The audit API: read-only JSON (and downloads) for the auditor room's pages and scripts.

    GET /api/audit/assessments                       every assessment in the store
    GET /api/audit/submissions/{submission}/history  one submission's chain (`demozone history`)
    GET /api/assessments/{id}/graph?indicator=N      the provenance graph as Cytoscape.js elements
    GET /api/assessments/{id}/verify                 the receipt check (`demozone verify ID`)
    GET /api/assessments/{id}/export?format=ttl      Turtle or JSON-LD, as a download
    GET /api/audit/sparql?query=...                  read-only SPARQL, time- and row-limited

Only auditors and administrators read here (AUDIT_ROLES). Nothing here writes: every route is a
GET, and an assessment is looked up among the stored ones before anything else is done with it
(a file name is never taken for a submission to score, which would record a new assessment).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from demozone import api
from demozone.web.auth import require
from demozone.web.deps import store_location

# policy staff compare systems and variants; the audit room shows every assessor's judgments on
# every submission, which is the auditors' (and the administrators') to read, not theirs
AUDIT_ROLES = ("auditor", "admin")
EXPORT_TYPES = {"ttl": ("text/turtle", ".ttl"), "jsonld": ("application/ld+json", ".jsonld")}

router = APIRouter(prefix="/api", tags=["audit"])


def stored(reference: str, store: str | None) -> dict:
    """The stored assessment an id or IRI names (404 when the store holds no such one)."""
    for info in api.stored_assessments(store):
        if reference in (info["id"], info["iri"]):
            return info
    raise HTTPException(404, f"找不到该评估记录 / no assessment {reference!r} in the store")


def indicator_graph(reference: str, indicator: str, store: str | None) -> dict:
    """{"assessment", "indicator", "summary", "elements"}: what one indicator's score came from."""
    info = stored(reference, store)
    resolved = api.resolve_assessment(info["iri"], store)
    graph = api.provenance_graph(resolved, indicator)
    return {
        "assessment": info["id"],
        "indicator": indicator,
        "summary": api.graph_summary(graph),
        "elements": api.cytoscape_elements(graph),
    }


def export_download(reference: str, fmt: str, store: str | None) -> Response:
    """The assessment as PROV-O in Turtle or JSON-LD, as a file to save."""
    if fmt not in EXPORT_TYPES:
        raise HTTPException(
            422, f"格式应为 ttl 或 jsonld / format must be one of {list(EXPORT_TYPES)}"
        )
    info = stored(reference, store)
    graph = api.export_graph(api.resolve_assessment(info["iri"], store))
    media, suffix = EXPORT_TYPES[fmt]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", info["id"]) + suffix
    return Response(
        api.serialize_export(graph, fmt),
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/audit/assessments")
def assessments(
    user: dict = Depends(require(*AUDIT_ROLES)), store: str | None = Depends(store_location)
) -> list[dict]:
    """Every assessment in the store, oldest first."""
    return api.stored_assessments(store)


@router.get("/audit/submissions/{submission}/history")
def history(
    submission: str,
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
) -> dict:
    """The assessments of one submission and what changed between them (`history --json`)."""
    return api.history(submission, store)


@router.get("/assessments/{reference}/graph")
def graph(
    reference: str,
    indicator: str = Query(..., min_length=1),
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
) -> dict:
    """The provenance graph of one indicator's score: Cytoscape.js elements and counts."""
    return indicator_graph(reference, indicator, store)


@router.get("/assessments/{reference}/verify")
def verify(
    reference: str,
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
) -> dict:
    """The receipt check: digest, chain, signature and the re-derivation from the recorded
    inputs (`verify --json`); `ok` True when it is reproduced."""
    return api.verify(stored(reference, store)["iri"], store)


@router.get("/assessments/{reference}/export")
def export(
    reference: str,
    format: str = Query("ttl"),
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
) -> Response:
    """The assessment as PROV-O (`format`: ttl or jsonld), as a download."""
    return export_download(reference, format, store)


@router.get("/audit/sparql")
def sparql(
    query: str = Query(..., min_length=1),
    user: dict = Depends(require(*AUDIT_ROLES)),
    store: str | None = Depends(store_location),
) -> dict:
    """A read-only SPARQL query over the store (updates refused: 422 with the CLI's message),
    at most SPARQL_MAX_ROWS rows, stopped after SPARQL_SECONDS."""
    return api.limited_store_query(query, store)
