"""What the audit room of the web workspace reads, as API functions the CLI could call too:
every assessment in the store, an indicator's provenance graph as Cytoscape.js elements, and
read-only SPARQL over the store with a row limit and a time limit that really stops the query.

The time limit is the store's own (store.query): an embedded store is queried by a child
process killed when the time is up (store.timed), a server's answer is no longer waited for. The
query is checked read-only before anything runs, so an update never reaches the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from demozone.store.location import open_store as _open_store
from demozone.store.query import run_store_query as _run_store_query

if TYPE_CHECKING:
    import networkx as nx

Location = str | None
SPARQL_MAX_ROWS = 1000  # rows shown; a query giving more is cut and says so
SPARQL_SECONDS = 10.0  # wall time of one query, the child's start-up included

__all__ = [
    "SPARQL_MAX_ROWS",
    "SPARQL_SECONDS",
    "cytoscape_elements",
    "limited_store_query",
    "stored_assessments",
]


def stored_assessments(location: Location = None) -> list[dict]:
    """Every assessment in the store, oldest first: iri, id, submission, system, total,
    max_points, passed, started, recorded, engine. A StoreError when there is no store."""
    with _open_store(location, create=False) as store:
        return [info.to_dict() for info in store.assessments()]


def cytoscape_elements(graph: nx.MultiDiGraph) -> dict:
    """A provenance graph (`provenance_graph`) as Cytoscape.js elements: {"nodes": [{"data":
    {"id", "type", "label", ...every attribute as text}}], "edges": [{"data": {"id", "source",
    "target", "label"}}]}; labels and texts verbatim."""
    nodes = []
    for node, attrs in graph.nodes(data=True):
        data = {key: _text(value) for key, value in attrs.items()}
        data.setdefault("label", node)
        nodes.append({"data": {**data, "id": node}})
    edges = [
        {"data": {"id": f"e{k}", "source": s, "target": t, "label": _text(attrs.get("label", ""))}}
        for k, (s, t, attrs) in enumerate(graph.edges(data=True))
    ]
    return {"nodes": nodes, "edges": edges}


def _text(value: object) -> str:
    if isinstance(value, list | tuple | set):
        return "\n".join(str(v) for v in value)
    return str(value)


def limited_store_query(
    sparql: str,
    location: Location = None,
    *,
    max_rows: int = SPARQL_MAX_ROWS,
    seconds: float = SPARQL_SECONDS,
) -> dict:
    """A read-only SPARQL query over the store (as `query_store`), at most `max_rows` rows
    (`"truncated": True` when there were more) and stopped after `seconds` (an InputError
    saying so). Updates and bad queries are refused with the CLI's messages before anything
    runs. The time limit is the store's own (store.query: a killed child process for the
    embedded store, the request's time limit for a server), so no process outlives the answer."""
    with _open_store(location, create=False) as store:
        # one row more than shown says whether there were more
        result = _run_store_query(store, sparql, max_rows=max_rows + 1, seconds=seconds)
    if result["type"] == "construct" and result["triples"] > max_rows:
        with _open_store(location, create=False) as store:  # the Turtle of the rows shown
            result = _run_store_query(store, sparql, max_rows=max_rows, seconds=seconds)
        result["triples"] = max_rows + 1  # more than shown: marked truncated below
    if result["type"] == "select":
        truncated = len(result["rows"]) > max_rows
        result["rows"] = result["rows"][:max_rows]
        result["json"]["results"]["bindings"] = result["json"]["results"]["bindings"][:max_rows]
        result["truncated"] = truncated
    elif result["type"] == "construct":
        result["truncated"] = result["triples"] > max_rows
    else:
        result["truncated"] = False
    return result
