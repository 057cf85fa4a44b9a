"""SPARQL over the knowledge base graph and the ontology (`demozone kb query`).

The results come back as plain values: rows of short text for people, rdflib terms for callers,
and the W3C JSON results for machines.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from demozone.common.errors import InputError, Problem
from demozone.common.vocab import ID, PREFIXES, bind_prefixes
from demozone.kb.graph import kb_dataset

__all__ = ["run_query", "short"]


def run_query(sparql: str, kb_dir: Path | str | None = None) -> dict:
    """Run a SPARQL query over the knowledge base and the ontology (prefixes dz:, skos:, ... known).

    Returns {"type": "select", "vars": [...], "rows": [[text, ...]], "bindings": [{var: rdflib
    term}], "json": {...}} (W3C JSON results), {"type": "ask", "boolean": bool}, or {"type": "construct", "turtle": text}.
    A query that does not parse or cannot run is an InputError.
    """
    dataset = kb_dataset(kb_dir)
    try:
        query = prepareQuery(sparql, initNs=dict(PREFIXES))
        with warnings.catch_warnings():
            # rdflib 7.6 warns about its own use of Dataset.default_context on every pattern
            warnings.simplefilter("ignore", DeprecationWarning)
            result = dataset.query(query)
            rows = [[b.get(v) for v in result.vars] for b in result.bindings] if result.vars else []
    except Exception as err:  # rdflib raises pyparsing, value and evaluation errors alike
        raise InputError(
            [
                Problem(
                    "query",
                    "",
                    f"bad SPARQL query: {err}",
                    "SPARQL查询语句有误",
                    expected="SPARQL 1.1",
                )
            ]
        ) from None
    if result.type == "ASK":
        return {"type": "ask", "boolean": bool(result.askAnswer)}
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = bind_prefixes(Graph())
        for triple in result.graph:
            graph.add(triple)
        return {"type": "construct", "turtle": graph.serialize(format="turtle"), "graph": graph}
    names = [str(v) for v in result.vars]
    return {
        "type": "select",
        "vars": names,
        "rows": [[short(term, dataset) for term in row] for row in rows],
        "bindings": [
            {n: t for n, t in zip(names, row, strict=True) if t is not None} for row in rows
        ],
        "json": json.loads(result.serialize(format="json")),
    }


def short(term, graph: Graph) -> str | None:
    """A term as people read it: prefixed names, id:... for instances, literal text, None."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        if str(term).startswith(str(ID)):
            return "id:" + str(term).removeprefix(str(ID))
        prefixed = term.n3(graph.namespace_manager)
        return prefixed if not prefixed.startswith("<") else str(term)
    return str(term)
