"""What the audit room of the web workspace reads, as API functions the CLI could call too:
every assessment in the store, an indicator's provenance graph as Cytoscape.js elements, and
read-only SPARQL over the store with a row limit and a time limit that really stops the query.

The time limit: neither pyoxigraph nor a SPARQL server can be told to stop a query, so the
query runs in a child process that is killed when the time is up (an embedded store's lock goes
with the process; a server's answer is no longer waited for). The query is checked read-only
in the asking process before any child starts, so an update never reaches the store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from demozone.common.errors import InputError, Problem, StoreError
from demozone.store.location import open_store as _open_store
from demozone.store.query import read_only as _read_only
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
    runs."""
    _read_only(sparql)  # refuses an update here, in this process: the child only ever reads
    request = json.dumps({"sparql": sparql, "location": location, "max_rows": max_rows})
    try:
        child = subprocess.run(
            [sys.executable, "-c", "from demozone.api.workspace_auditor import _child; _child()"],
            input=request.encode("utf-8"),
            capture_output=True,
            timeout=seconds,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child
        raise InputError(
            [
                Problem(
                    "query",
                    "",
                    f"the query ran longer than {seconds:g} s and was stopped; narrow it or add "
                    "LIMIT",
                    f"查询超过 {seconds:g} 秒已停止，请缩小查询范围或加上 LIMIT",
                    expected="SPARQL 1.1",
                )
            ]
        ) from None
    try:
        answer = json.loads(child.stdout.decode("utf-8"))
    except ValueError:
        raise StoreError(
            f"the query process failed ({child.returncode}): "
            + child.stderr.decode("utf-8", "replace")[-2000:]
        ) from None
    if "problems" in answer:
        raise InputError([_problem(p) for p in answer["problems"]])
    if "store_error" in answer:
        raise StoreError(answer["store_error"])
    return answer["result"]


def _problem(shape: dict) -> Problem:
    return Problem(
        shape["file"],
        shape["path"],
        shape["message"],
        shape["message_zh"],
        expected=shape["expected"],
        line=shape["line"],
        cell=shape.get("cell", ""),
    )


def _child() -> None:
    """The query process: a JSON request on stdin, one JSON answer on stdout."""
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    max_rows = request["max_rows"]
    try:
        with _open_store(request["location"], create=False) as store:
            # one row more than shown says whether there were more
            result = _run_store_query(store, request["sparql"], max_rows + 1)
            if result["type"] == "construct" and result["triples"] > max_rows:
                result = _run_store_query(store, request["sparql"], max_rows)
                result["triples"] = max_rows + 1  # more than shown: marked truncated below
    except InputError as err:
        answer: dict = {"problems": [p.to_dict() for p in err.problems]}
    except StoreError as err:
        answer = {"store_error": str(err)}
    else:
        if result["type"] == "select":
            truncated = len(result["rows"]) > max_rows
            result["rows"] = result["rows"][:max_rows]
            result["json"]["results"]["bindings"] = result["json"]["results"]["bindings"][:max_rows]
            result["truncated"] = truncated
        elif result["type"] == "construct":
            result["truncated"] = result["triples"] > max_rows
        else:
            result["truncated"] = False
        answer = {"result": result}
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
