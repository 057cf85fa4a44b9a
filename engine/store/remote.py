"""A store on a SPARQL 1.1 server, reached over the SPARQL protocol and the Graph Store protocol.

Standard library only (urllib). The location is the server's base URL; the endpoints default to
Oxigraph's layout (`/query`, `/update`, `/store`) and can be set one by one with
`DEMOZONE_STORE_QUERY`, `DEMOZONE_STORE_UPDATE` and `DEMOZONE_STORE_GSP` for other servers.

Writes: an assessment is one Graph Store POST of its graph as N-Triples, which a server applies
whole or not at all; the triple count is read back and compared. Reads: SELECT queries whose only
inserted terms are IRIs and literals serialised by pyoxigraph (see `store.sparql_term`). Every
failure (server down, timeout, an HTTP error, a redirect) is a StoreError with a clear message;
nothing ever falls back to a local store.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.provenance.terms import parse_nquads
from demozone.store import transport
from demozone.store.base import BaseStore, batch_parts
from demozone.store.seal import Sealed, parse_trig, to_trig
from demozone.store.terms import iri_term, sparql_term, triples_text

DEFAULT_TIMEOUT = 60.0
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_TRIG = "application/trig"


def validate_url(url: str, what: str = "store URL") -> str:
    """An http(s) URL with a host, no credentials, no query or fragment; else a StoreError."""
    if not isinstance(url, str) or not url:
        raise StoreError(f"empty {what}")
    if _CONTROL_OR_SPACE.search(url):
        raise StoreError(f"{what} {url!r} holds spaces or control characters (地址含非法字符)")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise StoreError(f"{what} {url!r} is not a valid URL: {err} (地址无效)") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise StoreError(f"{what} {url!r}: only http and https are supported (仅支持 http/https)")
    if not parts.hostname:
        raise StoreError(f"{what} {url!r} names no host (地址缺少主机名)")
    if parts.username is not None or parts.password is not None:
        raise StoreError(f"{what} {url!r}: credentials in the URL are not supported")
    if parts.query or parts.fragment:
        raise StoreError(f"{what} {url!r}: a base URL takes no query or fragment")
    if port is not None and not 0 < port < 65536:
        raise StoreError(f"{what} {url!r}: bad port")
    return url


class RemoteStore(BaseStore):
    """A SPARQL 1.1 server with the Graph Store protocol."""

    kind = "remote"

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        base = validate_url(url).rstrip("/")
        self.location = base
        self.query_url = validate_url(query_url or base + "/query", "query endpoint")
        self.update_url = validate_url(update_url or base + "/update", "update endpoint")
        self.gsp_url = validate_url(gsp_url or base + "/store", "graph store endpoint")
        self.timeout = timeout

    @classmethod
    def from_environment(cls, url: str) -> RemoteStore:
        seconds = transport.seconds_setting("DEMOZONE_STORE_TIMEOUT", DEFAULT_TIMEOUT)
        return cls(
            url,
            query_url=os.environ.get("DEMOZONE_STORE_QUERY") or None,
            update_url=os.environ.get("DEMOZONE_STORE_UPDATE") or None,
            gsp_url=os.environ.get("DEMOZONE_STORE_GSP") or None,
            timeout=seconds,
        )

    # -- HTTP ------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        missing_ok: bool = False,
    ) -> bytes | None:
        headers = {"Content-Type": content_type} if content_type else {}
        if accept:
            headers["Accept"] = accept
        try:
            return transport.request(method, url, body, headers, self.timeout)
        except transport.TransportError as err:
            if err.kind == "status" and missing_ok and err.code == 404:
                return None
            raise StoreError(_failure(self.location, method, url, err, self.timeout)) from None

    def _graph_url(self, graph: ox.NamedNode | None) -> str:
        if graph is None:
            return self.gsp_url + "?default"
        return self.gsp_url + "?" + urllib.parse.urlencode({"graph": graph.value})

    # -- primitives ------------------------------------------------------------------------

    def select(self, query: str) -> list[dict]:
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        answer = self._request(
            "POST",
            self.query_url,
            body,
            "application/x-www-form-urlencoded",
            _RESULTS_JSON,
        )
        try:
            results = json.loads(answer or b"{}")
            return [
                {name: _term(value) for name, value in binding.items()}
                for binding in results["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(
                f"the SPARQL server at {self.location} sent results demozone cannot read: {err}"
            ) from None

    def query_raw(self, query: str, kind: str):
        """An ASK (a bool) or a CONSTRUCT/DESCRIBE (its triples), for `query --store`."""
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        accept = _RESULTS_JSON if kind == "ask" else _NTRIPLES
        answer = self._request(
            "POST", self.query_url, body, "application/x-www-form-urlencoded", accept
        )
        try:
            if kind == "ask":
                return bool(json.loads(answer or b"{}")["boolean"])
            return list(ox.parse(answer or b"", format=ox.RdfFormat.N_TRIPLES))
        except (ValueError, KeyError, TypeError, SyntaxError) as err:
            raise StoreError(
                f"the SPARQL server at {self.location} sent results demozone cannot read: {err}"
            ) from None

    def update(self, text: str) -> None:
        self._request("POST", self.update_url, text.encode("utf-8"), "application/sparql-update")

    def _get_graph(self, graph: ox.NamedNode | None) -> list[ox.Quad]:
        data = self._request("GET", self._graph_url(graph), accept=_NTRIPLES, missing_ok=True)
        if not data:
            return []
        name = graph if graph is not None else ox.DefaultGraph()
        try:
            return [
                ox.Quad(t.subject, t.predicate, t.object, name)
                for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            ]
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"the server sent a graph demozone cannot parse: {err}") from None

    def graph_quads(self, graph_iri: str) -> list[ox.Quad]:
        return self._get_graph(iri_term(graph_iri))

    def graph_ntriples(self, graph_iri: str) -> bytes:
        url = self._graph_url(iri_term(graph_iri))
        return self._request("GET", url, accept=_NTRIPLES, missing_ok=True) or b""

    def default_quads(self) -> list[ox.Quad]:
        return self._get_graph(None)

    def _graph_size(self, graph: ox.NamedNode) -> int:
        rows = self.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }}"
        )
        return int(rows[0]["n"].value) if rows else 0

    def _add_graphs(self, groups: Sequence[tuple[ox.NamedNode, list[ox.Quad]]]) -> None:
        for graph, quads in groups:
            self._post_graph(graph, quads)

    def _post_graph(self, graph: ox.NamedNode | None, quads: list[ox.Quad]) -> None:
        """POST a new graph's triples in one request, then read its size back."""
        before = self._graph_size(graph) if graph is not None else 0
        expected = before + len({q.triple for q in quads})
        self._request("POST", self._graph_url(graph), triples_text(quads), _NTRIPLES)
        if graph is None:
            return
        got = self._graph_size(graph)
        if got != expected:
            if before == 0:
                # a server that is not transactional kept part of a new graph: take it away again
                self._request("DELETE", self._graph_url(graph), missing_ok=True)
            raise StoreError(
                f"the server at {self.location} kept {got} of {expected} triples of {graph.value}; "
                "a new graph is removed again (服务器未完整写入)"
            )

    def write_batch(self, assessments: Iterable[Sealed]) -> None:
        """Record a batch in one request: a dataset POST (TriG) of the knowledge base and the
        shared graphs the server lacks and every assessment, which the server applies in one
        transaction, whole or not at all (also when this process or the server is killed). The
        graphs' sizes are read back; a server that kept part of the batch has what it kept of
        it removed again. A failure says exactly which of the batch's assessments the server
        holds."""
        chunks, expected, names = [], {}, []
        for graph, quads in self._missing_graphs([], {}, quads=True):  # the knowledge base
            chunks.append(to_trig(quads))
            expected[graph.value] = len({q.triple for q in quads})
        for kind, iri, content in batch_parts(self, assessments):
            quads = parse_nquads(content) if kind == "shared" else parse_trig(content)
            chunks.append(to_trig(quads) if kind == "shared" else content)
            expected[iri] = len({q.triple for q in quads})
            if kind == "assessment":
                names.append(iri)
        if not names:
            return
        try:
            self._request("POST", self.gsp_url, b"".join(chunks), _TRIG)
        except StoreError as err:
            raise StoreError(f"{err}; {self._batch_left(names)}") from None
        counts = self.graph_counts()
        short = [iri for iri, n in expected.items() if counts.get(iri, 0) != n]
        if short:
            for iri in expected:
                self._drop_graph(iri_term(iri))
            raise StoreError(
                f"the server at {self.location} kept only part of the batch ({len(short)} graphs "
                f"incomplete), so the batch was removed again; {self._batch_left(names)}"
            )

    def _batch_left(self, names: list[str]) -> str:
        """What the server holds of a batch's assessments, in words."""
        try:
            counts = self.graph_counts()
        except StoreError:
            return (
                "what the server holds of the batch cannot be told now (it does not answer): "
                "run `demozone store check` when it is back (无法确认服务器上的数据)"
            )
        there = [iri for iri in names if iri in counts]
        if not there:
            return (
                f"the server holds none of the {len(names)} assessments of this batch "
                "(服务器上没有本批次的任何评估记录)"
            )
        return (
            f"the server holds {len(there)} of the {len(names)} assessments of this batch: "
            f"{', '.join(there[:5])}{' ...' if len(there) > 5 else ''} (服务器上有本批次的部分评估记录)"
        )

    def _replace_graph(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        self._request("PUT", self._graph_url(graph), triples_text(quads), _NTRIPLES)

    def _drop_graph(self, graph: ox.NamedNode) -> None:
        self._request("DELETE", self._graph_url(graph), missing_ok=True)

    def _restore_quads(self, quads: list[ox.Quad]) -> None:
        groups: dict[object, list[ox.Quad]] = {}
        for q in quads:
            groups.setdefault(q.graph_name, []).append(q)
        for graph, members in groups.items():
            self._post_graph(graph if isinstance(graph, ox.NamedNode) else None, members)

    def close(self) -> None:
        """Nothing is held open between requests."""


def _term(value: dict) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    kind = value["type"]
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(value["value"])
    raise ValueError(f"unknown term type {kind!r}")


def _failure(location: str, method: str, url: str, err: transport.TransportError, timeout) -> str:
    """The message of a failed request, in the words the user sees."""
    if err.kind == "status":
        detail = f": {err.detail}" if err.detail else ""
        return (
            f"the SPARQL server at {location} answered {err.code} {err} to "
            f"{method} {_short(url)}{detail} (服务器返回错误)"
        )
    if err.kind == "timeout":
        return (
            f"the SPARQL server at {location} did not answer within {timeout:g} s "
            "(DEMOZONE_STORE_TIMEOUT) (服务器响应超时)"
        )
    if err.kind == "unreachable":
        return f"cannot reach the SPARQL server at {location}: {err} (无法连接SPARQL服务器)"
    if err.kind == "too-large":
        return f"the SPARQL server at {location} sent too much: {err} (服务器返回的数据过大)"
    return f"the connection to the SPARQL server at {location} failed: {err} (与服务器的连接中断)"


def _short(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query[:80] if parts.query else "")
