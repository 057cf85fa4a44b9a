"""Where assessments live: one store interface, two deployments.

- `EmbeddedStore` (the default): Oxigraph on disk through pyoxigraph, in a data directory.
- `RemoteStore` (engine/remote.py): any SPARQL 1.1 server with the Graph Store protocol, reached
  over HTTP; chosen when the location is an http(s) URL.

`open_store(location)` picks one: the `--store` option, else `DEMOZONE_STORE`, else
`./demozone-data`. Both backends share every piece of logic above a handful of primitives (read a
graph, add a graph, replace a graph, drop a graph, run a SELECT), so they behave the same.
What a store holds and whether it is whole is `storecheck` (`store info|check`); what changed
between the assessments of a submission is `history`.

The knowledge base (named graph id/graph/kb) and every assessment live in named graphs; an
assessment's graph is named by the assessment's IRI, so it is read, exported or removed as a unit.
History, not overwrites: an assessment graph is written once, whole, and never changed; writing
one whose graph already exists is refused. Each assessment carries a completeness marker, its
`dz:tripleCount` (the distinct triples of its graph, the marker included), so `check` tells a
whole assessment from a partial one.

Shared graphs: what every assessment under one version of a rule set's files holds in common
(each rule as a prov:Plan, the agent's association with it) lives once in that rule set's graph
(`id:graph/ruleset/...`, see provenance.RuleSetGraph), sealed with its own triple count; an
assessment names it with `prov:used`, and `shared_quads` gives a reader what to merge in.

Safety: the embedded store writes an assessment (and the knowledge base and the rule set graph,
when the store lacks them) in one transaction; a remote store receives it as one Graph Store
request, which a server applies whole or not at all, and the count is read back. A batch
(`write_batch`, what `demozone score` of several files uses) goes to the embedded store through
Oxigraph's bulk loader in one atomic ingestion: every assessment of the batch or none, also
across kill -9; a server gets one request per assessment and the batch's graphs are removed again
if one fails. Only one process may hold an embedded store open: a second one waits briefly and
then gets a clear "store in use" error. SPARQL text never contains user text: every term is
built as a pyoxigraph term (IRIs through `provenance.node`, which percent-encodes) and written in
N-Triples syntax.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import unquote

import pyoxigraph as ox

from demozone.common.diagnostics import CheckReport, Finding, Location, Severity
from demozone.common.errors import StoreError
from demozone.common.vocab import DZ as _DZ
from demozone.common.vocab import ID as _ID
from demozone.provenance.graph import (
    RULE_SET_GRAPH_PREFIX,
    known_rule_set_graph,
    node,
    parse_nquads,
)
from demozone.store.bulkload import ProducerFailed, load_stream

DZ, ID = str(_DZ), str(_ID)
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

DEFAULT_LOCATION = "demozone-data"
KB_GRAPH = node("graph", "kb")
ASSESSMENT_PREFIX = ID + "assessment/"
SUBMISSION_PREFIX = ID + "submission/"
FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_TYPE = ox.NamedNode(RDF + "type")
_TRIPLE_COUNT = ox.NamedNode(DZ + "tripleCount")
_SHA256 = ox.NamedNode(DZ + "sha256")
_ASSESSMENT = ox.NamedNode(DZ + "Assessment")
_ENDED = ox.NamedNode(PROV + "endedAtTime")
_USED = ox.NamedNode(PROV + "used")
_INTEGER = ox.NamedNode(XSD + "integer")
_DATETIME = ox.NamedNode(XSD + "dateTime")
_TRIG_OPEN = "GRAPH "

PREFIXES = f"""PREFIX dz: <{DZ}>
PREFIX prov: <{PROV}>
PREFIX rdfs: <{RDFS}>
"""


def store_location(option: str | None = None) -> str:
    """The store the user asked for: the option, else DEMOZONE_STORE, else ./demozone-data."""
    return option or os.environ.get("DEMOZONE_STORE") or DEFAULT_LOCATION


# ---------------------------------------------------------------------------------------------
# Terms and SPARQL text


def iri_term(iri: str) -> ox.NamedNode:
    """A NamedNode for an IRI, or a StoreError when it is not a valid IRI."""
    try:
        return ox.NamedNode(iri)
    except (ValueError, TypeError) as err:
        raise StoreError(f"not a valid IRI: {iri!r} ({err})") from None


def sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    """A term in N-Triples syntax (escaped by pyoxigraph), the only way terms enter SPARQL text."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise TypeError(f"only IRIs and literals go into SPARQL text, not {type(term).__name__}")
    return str(term)


def submission_iri(submission: str) -> ox.NamedNode:
    return node("submission", submission)


def assessment_iri(reference: str) -> ox.NamedNode:
    """An assessment's IRI from its full IRI or from its id (SUBMISSION/TIME-HEX)."""
    if reference.startswith(ASSESSMENT_PREFIX):
        return iri_term(reference)
    return node("assessment", reference)


def triples_text(quads: Iterable[ox.Quad | ox.Triple]) -> bytes:
    """N-Triples for the triples of some quads (one graph's worth)."""
    return ox.serialize(
        [q.triple if isinstance(q, ox.Quad) else q for q in quads], format=ox.RdfFormat.N_TRIPLES
    )


def now_literal() -> ox.Literal:
    stamp = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    return ox.Literal(stamp, datatype=_DATETIME)


# ---------------------------------------------------------------------------------------------
# Values the store returns


@dataclass(frozen=True)
class AssessmentInfo:
    iri: str
    submission: str
    system: str
    total: str
    passed: bool
    started: str
    recorded: str = ""
    max_points: str = ""
    engine: str = ""

    @property
    def id(self) -> str:
        return unquote(self.iri.removeprefix(ASSESSMENT_PREFIX))

    def to_dict(self) -> dict:
        return {**asdict(self), "id": self.id}


def store_finding(
    severity: str, check: str, subject: str, message: str, message_zh: str = ""
) -> Finding:
    """A finding of `store check`'s check `check` (open | kb | ruleset | shapes | assessment |
    graph) on `subject` (a graph, an assessment, a focus node)."""
    return Finding(Severity(severity), check, Location(), message, message_zh, subject=subject)


def render_store_finding(finding: Finding) -> str:
    """A finding as store check prints it: "[severity] check subject: message (中文)"."""
    zh = f" ({finding.message_zh})" if finding.message_zh else ""
    return f"[{finding.severity}] {finding.code} {finding.subject}: {finding.message}{zh}"


@dataclass
class StoreReport(CheckReport):
    """What `store check` found in one store, filled in as the check goes."""

    location: str
    findings: list[Finding] = field(default_factory=list)
    assessments: int = 0
    complete: int = 0

    render = staticmethod(render_store_finding)

    def to_dict(self) -> dict:
        return {
            "location": self.location,
            "ok": self.ok,
            "assessments": self.assessments,
            "complete": self.complete,
            "findings": [
                {
                    "severity": f.severity,
                    "check": f.code,
                    "subject": f.subject,
                    "message": f.message,
                    "message_zh": f.message_zh,
                }
                for f in self.findings
            ],
        }


# ---------------------------------------------------------------------------------------------
# The interface


@runtime_checkable
class Store(Protocol):
    """What assess.py and the CLI use; EmbeddedStore and RemoteStore both provide it."""

    location: str
    kind: str

    def write_assessment(
        self, quads: Iterable[ox.Quad], shared: Sequence[tuple[ox.NamedNode, list[ox.Quad]]] = ()
    ) -> str: ...
    def write_batch(self, assessments: Iterable[Sealed]) -> None: ...
    def assessments(self, submission: str | None = None) -> list[AssessmentInfo]: ...
    def graph_quads(self, graph_iri: str) -> list[ox.Quad]: ...
    def graph_counts(self) -> dict[str, int]: ...
    def remove_assessment(self, reference: str) -> int: ...
    def load_kb(self, kb_dir: str | Path | None = None) -> int: ...
    def backup(self, path: str | Path, fmt: str | None = None) -> int: ...
    def restore(self, path: str | Path, fmt: str | None = None) -> int: ...
    def close(self) -> None: ...


class BaseStore:
    """Everything above the primitives, shared by both backends."""

    location: str
    kind: str

    # -- primitives each backend provides ----------------------------------------------------

    def select(self, query: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        raise NotImplementedError

    def graph_quads(self, graph_iri: str) -> list[ox.Quad]:
        raise NotImplementedError

    def default_quads(self) -> list[ox.Quad]:
        raise NotImplementedError

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One graph as N-Triples."""
        return triples_text(self.graph_quads(graph_iri))

    def _add_graphs(self, groups: Sequence[tuple[ox.NamedNode, list[ox.Quad]]]) -> None:
        """Add quads graph by graph: whole or nothing per graph (embedded: all in one transaction)."""
        raise NotImplementedError

    def _replace_graph(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        raise NotImplementedError

    def _drop_graph(self, graph: ox.NamedNode) -> None:
        raise NotImplementedError

    def _restore_quads(self, quads: list[ox.Quad]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has_graph(self, graph: ox.NamedNode) -> bool:
        rows = self.select(
            f"SELECT ?s WHERE {{ GRAPH {sparql_term(graph)} {{ ?s ?p ?o }} }} LIMIT 1"
        )
        return bool(rows)

    def graph_counts(self) -> dict[str, int]:
        """Named graph IRI -> number of triples, every named graph of the store."""
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        return {row["g"].value: int(row["n"].value) for row in rows}

    def default_count(self) -> int:
        return len(self.default_quads())

    def count(self) -> int:
        return sum(self.graph_counts().values()) + self.default_count()

    def write_assessment(
        self, quads: Iterable[ox.Quad], shared: Sequence[tuple[ox.NamedNode, list[ox.Quad]]] = ()
    ) -> str:
        """Record one assessment, whole, in its own graph; returns the graph's IRI.

        The knowledge base graph and the rule set graphs the assessment uses are added first
        (with it, in one transaction, on the embedded store) when the store lacks them: from
        `shared` (graph, quads), else as this process built them. Refuses to touch an assessment
        that is already there.
        """
        graph, sealed = seal(quads)
        self._refuse_existing([graph.value])
        groups = self._missing_graphs(
            used_graphs(sealed, graph), {g.value: qs for g, qs in shared}, quads=True
        )
        groups.append((graph, sealed))
        self._add_graphs(groups)
        return graph.value

    def write_batch(self, assessments: Iterable[Sealed]) -> None:
        """Record a batch of sealed assessments (see `Sealed`), all or nothing.

        Here: the knowledge base (if missing), then one request per shared graph the store
        lacks and per assessment; when one fails, the assessments the batch already wrote are
        removed again.
        """
        self._add_graphs(self._missing_graphs([], {}, quads=True))  # the knowledge base
        written: list[ox.NamedNode] = []
        try:
            for kind, iri, content in _batch_parts(self, assessments):
                name = iri_term(iri)
                if kind == "shared":
                    self._add_graphs([(name, parse_nquads(content))])
                else:
                    self._add_graphs([(name, parse_trig(content))])
                    written.append(name)
        except BaseException:
            for name in written:
                self._drop_graph(name)
            raise

    def _refuse_existing(self, graphs: Iterable[str]) -> None:
        for graph in graphs:
            if self.has_graph(iri_term(graph)):
                raise StoreError(
                    f"assessment {graph} is already in the store; assessments are never "
                    "overwritten (评估记录已存在，不可覆盖)"
                )

    def _missing_graphs(self, uses: Iterable[str], given: dict, *, quads: bool) -> list[tuple]:
        """(graph, quads, or TriG when not `quads`) of the knowledge base and the shared graphs
        in `uses` that the store lacks, the shared ones from `given` (IRI -> quads or N-Quads
        text) or as this process built them."""
        missing: list[tuple] = []
        if not self.has_graph(KB_GRAPH):
            knowledge = kb_quads()
            missing.append((KB_GRAPH, knowledge if quads else to_trig(knowledge)))
        for iri in dict.fromkeys(uses):
            name = iri_term(iri)
            if self.has_graph(name):
                continue
            content = given.get(iri)
            if content is None:
                built = known_rule_set_graph(iri)
                if built is None:
                    raise StoreError(
                        f"the assessment uses the rule set graph {iri}, which the store lacks "
                        "and this process did not build (缺少计分规则集图)"
                    )
                content = built.text
            if isinstance(content, str | bytes):
                content = parse_nquads(content)
            missing.append((name, content if quads else to_trig(content)))
        return missing

    def shared_quads(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        """The quads of the shared graphs an assessment uses (`prov:used`), as the store holds
        them: what a reader merges into the assessment's own quads."""
        quads = list(quads)
        graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        found: list[ox.Quad] = []
        for graph in graphs:
            for iri in used_graphs(quads, graph):
                found.extend(self.graph_quads(iri))
        return found

    def assessments(self, submission: str | None = None) -> list[AssessmentInfo]:
        """Every assessment in the store, oldest first; only one submission's if given."""
        bind = f"VALUES ?sub {{ {sparql_term(submission_iri(submission))} }}" if submission else ""
        query = f"""{PREFIXES}
            SELECT ?a ?sub ?sys ?total ?max ?passed ?started ?ended ?engine WHERE {{
              {bind}
              GRAPH ?a {{ ?a a dz:Assessment ; dz:submission ?sub ; dz:system ?sys ;
                           dz:total ?total ; dz:passed ?passed ; prov:startedAtTime ?started .
                         OPTIONAL {{ ?a prov:endedAtTime ?ended }}
                         OPTIONAL {{ ?a dz:maxPoints ?max }}
                         OPTIONAL {{ ?a dz:engine ?engine }} }}
            }} ORDER BY ?ended ?started ?a"""
        return [
            AssessmentInfo(
                row["a"].value,
                unquote(row["sub"].value.removeprefix(SUBMISSION_PREFIX)),
                unquote(row["sys"].value.removeprefix(ID + "system/")),
                row["total"].value,
                row["passed"].value == "true",
                row["started"].value,
                _value(row.get("ended")),
                _value(row.get("max")),
                _value(row.get("engine")),
            )
            for row in self.select(query)
        ]

    def assessment_quads(self, reference: str) -> list[ox.Quad]:
        """The quads of one assessment (by IRI or id); a StoreError when there is none."""
        graph = assessment_iri(reference)
        quads = self.graph_quads(graph.value)
        if not quads:
            raise StoreError(f"no assessment {reference!r} in {self.location} (找不到该评估记录)")
        return quads

    def remove_assessment(self, reference: str) -> int:
        """Drop one assessment's graph as a unit; returns how many triples it held."""
        graph = assessment_iri(reference)
        n = len(self.assessment_quads(reference))
        self._drop_graph(graph)
        return n

    def load_kb(self, kb_dir: str | Path | None = None) -> int:
        """Put the knowledge base into its graph (replacing the one there); returns its size."""
        quads = kb_quads(kb_dir)
        self._replace_graph(KB_GRAPH, quads)
        return len(set(quads))

    def dataset_quads(self) -> list[ox.Quad]:
        """Every quad: the default graph's, then each named graph's."""
        quads = self.default_quads()
        for graph in self.graph_counts():
            quads.extend(self.graph_quads(graph))
        return quads

    def backup(self, path: str | Path, fmt: str | None = None) -> int:
        """Write every quad to one N-Quads or TriG file (atomically: a temp file, then rename)."""
        target = Path(path)
        rdf_format = backup_format(target, fmt)
        quads = self.dataset_quads()
        temp = target.with_name(target.name + ".part")
        try:
            with temp.open("wb") as handle:
                ox.serialize(quads, handle, format=rdf_format, prefixes=_prefixes(rdf_format))
            os.replace(temp, target)
        except OSError as err:
            temp.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup {target}: {err}") from err
        return len(quads)

    def restore(self, path: str | Path, fmt: str | None = None) -> int:
        """Load a backup into this store, which must be empty; returns the number of quads."""
        source = Path(path)
        rdf_format = backup_format(source, fmt)
        try:
            quads = list(ox.parse(path=str(source), format=rdf_format))
        except (OSError, SyntaxError, ValueError) as err:
            raise StoreError(f"cannot read the backup {source}: {err} (备份文件无法读取)") from err
        if self.graph_counts() or self.default_count():
            raise StoreError(
                f"restore needs an empty store; {self.location} already holds data "
                "(恢复只能写入空存储)"
            )
        self._restore_quads(quads)
        return len(quads)

    def kb_digest(self) -> str | None:
        """The kb/ hash recorded with the knowledge base graph, None when there is none."""
        rows = self.select(
            f"SELECT ?d WHERE {{ GRAPH {sparql_term(KB_GRAPH)} "
            f"{{ {sparql_term(KB_GRAPH)} {sparql_term(_SHA256)} ?d }} }}"
        )
        return rows[0]["d"].value if rows else None


def _value(term) -> str:
    return term.value if term is not None else ""


def _prefixes(rdf_format: ox.RdfFormat) -> dict[str, str] | None:
    if rdf_format != ox.RdfFormat.TRIG:
        return None
    return {"dz": DZ, "id": ID, "prov": PROV, "rdfs": RDFS, "xsd": XSD}


def backup_format(path: Path, fmt: str | None) -> ox.RdfFormat:
    if fmt:
        named = {"nquads": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS}
        named["trig"] = ox.RdfFormat.TRIG
        if fmt.lower() not in named:
            raise StoreError(f"unknown backup format {fmt!r}: use nquads or trig")
        return named[fmt.lower()]
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise StoreError(
            f"cannot tell the format of {path.name}: name it .nq (N-Quads) or .trig (TriG)"
        )
    return FORMATS[suffix]


# ---------------------------------------------------------------------------------------------
# Sealing an assessment and building the knowledge base graph


def seal(quads: Iterable[ox.Quad]) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The assessment's graph and its distinct quads plus the completeness marker.

    All quads must be in one named graph, named by a node typed dz:Assessment in it. The marker
    `dz:tripleCount` counts the graph's distinct triples, itself included; `prov:endedAtTime`
    (when the assessment was recorded, to the microsecond) is added when absent.
    """
    distinct = canonical(quads)
    graphs = {q.graph_name for q in distinct}
    if len(graphs) != 1:
        raise StoreError(f"an assessment is written as one named graph, got {len(graphs)} graphs")
    graph = graphs.pop()
    if not isinstance(graph, ox.NamedNode):
        raise StoreError("an assessment's graph must be a named graph")
    if not any(
        q.subject == graph and q.predicate == _TYPE and q.object == _ASSESSMENT for q in distinct
    ):
        raise StoreError(f"{graph.value} holds no dz:Assessment named like its graph")
    if any(q.subject == graph and q.predicate == _TRIPLE_COUNT for q in distinct):
        raise StoreError(f"{graph.value} is already sealed")
    if any(isinstance(t, ox.BlankNode) for q in distinct for t in (q.subject, q.object)):
        raise StoreError("assessments must not hold blank nodes (mint IRIs instead)")
    if not any(q.subject == graph and q.predicate == _ENDED for q in distinct):
        distinct.append(ox.Quad(graph, _ENDED, now_literal(), graph))  # new, so still distinct
    count = ox.Literal(str(len(distinct) + 1), datatype=_INTEGER)
    distinct.append(ox.Quad(graph, _TRIPLE_COUNT, count, graph))
    return graph, distinct


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The distinct quads as Oxigraph keeps them (it stores derived datatypes and some lexical
    forms canonically), so a count taken here is the count the store will hold."""
    memory = ox.Store()
    memory.extend(quads)
    return list(memory)


def used_graphs(quads: Iterable[ox.Quad], graph: ox.NamedNode) -> list[str]:
    """The IRIs of the shared (rule set) graphs the assessment `graph` names with prov:used."""
    return sorted(
        {
            q.object.value
            for q in quads
            if q.subject == graph
            and q.predicate == _USED
            and isinstance(q.object, ox.NamedNode)
            and q.object.value.startswith(RULE_SET_GRAPH_PREFIX)
        }
    )


def seal_lines(graph: str, lines: Sequence[str]) -> bytes:
    """The sealed TriG of an assessment graph built as distinct N-Triples lines in the lexical
    forms Oxigraph keeps (provenance.AssessmentGraph.lines): the lines, the recording time and
    the completeness marker, as `seal` would add them to the same quads, in one `GRAPH` block
    (the graph's name written once: a third less to move and parse than N-Quads)."""
    g = sparql_term(iri_term(graph))
    lines = [*lines, f"{g} {sparql_term(_ENDED)} {sparql_term(now_literal())}"]
    count = ox.Literal(str(len(lines) + 1), datatype=_INTEGER)
    lines.append(f"{g} {sparql_term(_TRIPLE_COUNT)} {sparql_term(count)}")
    body = " .\n".join(lines)
    return f"{_TRIG_OPEN}{g} {{\n{body} .\n}}\n".encode()


def parse_trig(data: str | bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.TRIG))


def to_trig(quads: Iterable[ox.Quad]) -> bytes:
    """Quads as TriG without prefixes (what a batch streams to the bulk loader)."""
    return ox.serialize(quads, format=ox.RdfFormat.TRIG)


@dataclass(frozen=True)
class Sealed:
    """One assessment of a batch (`write_batch`): its graph IRI, new to the store; its sealed
    TriG (`seal_lines`); the shared graphs it uses as (IRI, N-Quads text), added before it when
    the store lacks them."""

    graph: str
    trig: bytes
    shared: tuple[tuple[str, str], ...] = ()


def _batch_parts(
    store: BaseStore, assessments: Iterable[Sealed]
) -> Iterator[tuple[str, str, str | bytes]]:
    """What a batch adds, in order: ("shared", IRI, N-Quads) for each shared graph the store
    lacks, before the first assessment that uses it; ("assessment", IRI, TriG) for each
    assessment. A StoreError for an assessment already stored, named twice or whose TriG is not
    its graph's."""
    named: set[str] = set()
    shared: set[str] = set()  # present in the store or added by this batch
    for sealed in assessments:
        if sealed.graph in named:
            raise StoreError(f"the batch names the assessment {sealed.graph} twice")
        store._refuse_existing([sealed.graph])
        if not sealed.trig.startswith(f"{_TRIG_OPEN}<{sealed.graph}> {{\n".encode()):
            raise StoreError(f"a chunk of the batch is not the assessment {sealed.graph}")
        for iri, text in sealed.shared:
            if iri not in shared and not store.has_graph(iri_term(iri)):
                yield "shared", iri, text
            shared.add(iri)
        named.add(sealed.graph)
        yield "assessment", sealed.graph, sealed.trig


def to_ox(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return Literal(term.value)  # rdflib keeps plain and xsd:string literals apart
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def kb_quads(kb_dir: str | Path | None = None) -> list[ox.Quad]:
    """The knowledge base as quads of id/graph/kb, with its kb/ hash and triple count."""
    from demozone.kb.graph import kb_graph
    from demozone.kb.model import digest as kb_digest

    graph = kb_graph(kb_dir)
    quads = canonical(ox.Quad(to_ox(s), to_ox(p), to_ox(o), KB_GRAPH) for s, p, o in graph)
    digest = kb_digest(kb_dir)
    quads.append(ox.Quad(KB_GRAPH, _SHA256, ox.Literal(digest), KB_GRAPH))
    quads.append(
        ox.Quad(
            KB_GRAPH, _TRIPLE_COUNT, ox.Literal(str(len(quads) + 1), datatype=_INTEGER), KB_GRAPH
        )
    )
    return quads


def current_kb_digest(kb_dir: str | Path | None = None) -> str:
    from demozone.kb.model import load_kb
    from demozone.provenance.receipt import tree_sha256

    return tree_sha256(Path(load_kb(kb_dir).directory))


# ---------------------------------------------------------------------------------------------
# The embedded store


_OPEN_WAIT_SECONDS = 5.0


class EmbeddedStore(BaseStore):
    """An on-disk, transactional RDF store in a directory (Oxigraph through pyoxigraph)."""

    kind = "embedded"

    def __init__(self, location: str | Path, *, create: bool = True) -> None:
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
        self._store: ox.Store | None = _open_with_wait(path)
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

    def has_graph(self, graph: ox.NamedNode) -> bool:
        # an index lookup: a batch asks this for each of its assessments
        return next(iter(self.ox.quads_for_pattern(None, None, None, graph)), None) is not None

    def default_quads(self) -> list[ox.Quad]:
        return list(self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def graph_ntriples(self, graph_iri: str) -> bytes:
        return self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=iri_term(graph_iri))

    def default_count(self) -> int:
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def _add_graphs(self, groups: Sequence[tuple[ox.NamedNode, list[ox.Quad]]]) -> None:
        self._write(lambda: self.ox.extend([q for _g, quads in groups for q in quads]))

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
        for kind, _iri, content in _batch_parts(self, assessments):
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
            self.ox.dump(str(temp), format=rdf_format, prefixes=_prefixes(rdf_format))
            os.replace(temp, target)
        except OSError as err:
            temp.unlink(missing_ok=True)
            raise StoreError(f"cannot write the backup {target}: {err}") from err
        return len(self.ox)

    def count(self) -> int:
        return len(self.ox)

    def close(self) -> None:
        if self._store is not None:
            try:
                self._store.flush()
            finally:
                self._store = None  # the last reference: RocksDB closes and releases its lock


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
    wait = float(os.environ.get("DEMOZONE_STORE_WAIT", _OPEN_WAIT_SECONDS))
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


def open_store(location: str | None = None, *, create: bool = True) -> BaseStore:
    """Open the store at a location (see `store_location`): a directory or an http(s) URL.

    create=False refuses to create an embedded store that is not there yet (for reading verbs).
    """
    where = store_location(location)
    if where.lower().startswith(("http://", "https://")):
        from demozone.store.remote import RemoteStore

        return RemoteStore.from_environment(where)
    return EmbeddedStore(where, create=create)
