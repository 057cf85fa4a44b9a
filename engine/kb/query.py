"""SPARQL over the knowledge base graph and the ontology (`demozone kb query`).

The results come back as plain values: rows of short text for people, rdflib terms for callers,
and the W3C JSON results for machines.
"""

from __future__ import annotations

import contextlib
import json
import signal
import threading
import time
import warnings
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from demozone.common import limits
from demozone.common.errors import InputError, Problem
from demozone.common.vocab import ID, PREFIXES, bind_prefixes
from demozone.kb.graph import kb_dataset

_KB = ("the knowledge base", "知识库")

__all__ = ["run_query", "short"]


def run_query(
    sparql: str,
    kb_dir: Path | str | None = None,
    *,
    seconds: float | None = None,
    max_rows: int | None = None,
) -> dict:
    """Run a SPARQL query over the knowledge base and the ontology (prefixes dz:, skos:, ... known).

    Returns {"type": "select", "vars": [...], "rows": [[text, ...]], "bindings": [{var: rdflib
    term}], "json": {...}} (W3C JSON results), {"type": "ask", "boolean": bool}, or {"type": "construct", "turtle": text}.
    A query that does not parse or cannot run is an InputError; so is one that reaches outside
    the knowledge base (FROM, FROM NAMED, SERVICE), runs longer than `seconds` or gives more than
    `max_rows` rows (defaults: limits.QUERY_SECONDS, limits.QUERY_ROWS).
    """
    seconds = limits.QUERY_SECONDS if seconds is None else seconds
    max_rows = limits.QUERY_ROWS if max_rows is None else max_rows
    dataset = kb_dataset(kb_dir)
    try:
        query = prepareQuery(sparql, initNs=dict(PREFIXES))
    except Exception as err:  # rdflib raises pyparsing and value errors alike
        raise _bad(f"bad SPARQL query: {err}", "SPARQL查询语句有误") from None
    stay_home(query.algebra)
    try:
        with _time_limit(seconds), warnings.catch_warnings():
            # rdflib 7.6 warns about its own use of Dataset.default_context on every pattern
            warnings.simplefilter("ignore", DeprecationWarning)
            result = dataset.query(query)
            rows = _rows(result, max_rows, time.monotonic() + seconds)
    except (InputError, _TooLong):
        raise
    except Exception as err:  # rdflib raises value and evaluation errors alike
        raise _bad(f"bad SPARQL query: {err}", "SPARQL查询语句有误") from None
    return _shaped(result, rows, dataset)


def _shaped(result, rows: list, dataset) -> dict:
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


def _rows(result, max_rows: int, deadline: float) -> list:
    """The SELECT rows, taken one by one (rdflib yields them lazily) up to the row limit."""
    if result.type != "SELECT" or not result.vars:
        if result.type in ("CONSTRUCT", "DESCRIBE") and len(result.graph) > max_rows:
            raise _too_many(max_rows)
        return []
    rows = []
    for row in result:
        if len(rows) >= max_rows:
            raise _too_many(max_rows)
        if time.monotonic() > deadline:  # off the main thread there is no alarm: check here
            raise _TooLong()
        rows.append([row.get(v) for v in result.vars])
    return rows


def stay_home(algebra, *, datasets: bool = True, where: tuple[str, str] = _KB) -> None:
    """Refuse a query that reaches outside `where` (what the query runs over, in English and
    Chinese): a SERVICE (a request to another server) and, when `datasets`, a FROM or FROM
    NAMED (rdflib would load a file or a URL). `algebra` is rdflib's parsed query."""
    if datasets and algebra.get("datasetClause"):
        raise _bad(
            f"FROM and FROM NAMED are not allowed: the query runs over {where[0]} only",
            f"不允许使用 FROM / FROM NAMED：查询只针对{where[1]}",
        )
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                raise _bad(
                    f"SERVICE is not allowed: the query runs over {where[0]} only",
                    f"不允许使用 SERVICE：查询只针对{where[1]}",
                )
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


class _TooLong(Exception):
    pass


# An alarm that lands while Python runs a weakref callback or a __del__ is printed and dropped
# there ("Exception ignored in ..."), and the query would run on unbounded; so the alarm rings
# again every so often until the query has stopped.
_RING_AGAIN = 0.5


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Stop the query after `seconds` (an alarm in the main thread, repeated until it is
    heard; elsewhere the rows are checked as they come), as an InputError saying so."""
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "setitimer"):
        try:
            yield
        except _TooLong:
            raise _too_long(seconds) from None
        return

    def ring(_signum, _frame):
        raise _TooLong()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds, _RING_AGAIN)
    try:
        yield
    except _TooLong:
        signal.setitimer(signal.ITIMER_REAL, 0)  # heard: no second ring while this unwinds
        raise _too_long(seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _too_long(seconds: float) -> InputError:
    return _bad(
        f"the query ran longer than {seconds:g} s and was stopped; narrow it, or allow more "
        "time with --timeout",
        f"查询超过 {seconds:g} 秒已停止",
    )


def _too_many(max_rows: int) -> InputError:
    return _bad(
        f"the query gives more than {max_rows} rows; add LIMIT, or allow more with --max-rows",
        f"查询结果超过 {max_rows} 行",
    )


def _bad(en: str, zh: str) -> InputError:
    return InputError([Problem("query", "", en, zh, expected="SPARQL 1.1")])


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
