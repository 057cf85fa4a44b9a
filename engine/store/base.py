"""Where assessments live: one store interface (`Store`, `BaseStore`), two deployments.

- `EmbeddedStore` (`demozone.store.embedded`, the default): Oxigraph on disk in a directory.
- `RemoteStore` (`demozone.store.remote`): any SPARQL 1.1 server with the Graph Store protocol,
  reached over HTTP; chosen when the location is an http(s) URL.

`demozone.store.location.open_store` picks one. Both share every piece of logic above a handful
of primitives (read, add, replace and drop a graph, run a SELECT), so they behave the same.

The knowledge base (named graph id/graph/kb) and every assessment live in named graphs; an
assessment's graph is named by its IRI, so it is read, exported or removed as a unit. History,
not overwrites: an assessment graph is written once, whole (less what its IRIs imply,
provenance.implied), and never changed. Each carries a completeness marker, its
`dz:tripleCount`, so `check` tells a whole assessment from a partial one. What every assessment
under one version of a rule set's files shares lives once in that rule set's graph
(provenance.rulesetgraph); an assessment names it with `prov:used`, `shared_quads` reads it.

Safety: the embedded store writes an assessment (and the knowledge base and the rule set graph,
when the store lacks them) in one transaction; a remote store receives it as one Graph Store
request, which a server applies whole or not at all, and the count is read back. A batch
(`write_batch`) goes to the embedded store in one atomic bulk load, to a server in one dataset
POST (one transaction; see store.remote), all or none. SPARQL text never contains
user text: every term is a pyoxigraph term written in N-Triples syntax (`sparql_term`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import unquote

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.provenance.rulesetgraph import known_rule_set_graph
from demozone.provenance.signing import signer_from_environment
from demozone.provenance.terms import parse_nquads
from demozone.store.chain import (
    SUBMISSION,
    ChainTips,
    key_quads,
    link_quads,
    link_trig,
    previous_in_store,
    trig_facts,
)
from demozone.store.formats import backup_format, trig_prefixes
from demozone.store.seal import Sealed, kb_quads, parse_trig, seal, to_trig, used_graphs
from demozone.store.terms import (
    ASSESSMENT_PREFIX,
    DZ,
    ID,
    KB_GRAPH,
    PREFIXES,
    SHA256,
    SUBMISSION_PREFIX,
    TRIG_OPEN,
    XSD,
    Pattern,
    assessment_iri,
    iri_term,
    sparql_term,
    submission_iri,
    triples_text,
)

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
    def write_record(self, graph: ox.NamedNode, quads: Sequence[ox.Quad]) -> None: ...
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

    def graph_quads_of(self, graph_iri: str, patterns: Iterable[Pattern]) -> list[ox.Quad]:
        """The quads of one graph that match one of `patterns`, each (predicate IRI, object IRI
        or None for any object): what a reader needing a few facts of an assessment reads
        instead of its every quad."""
        wanted = {(p, o) for p, o in patterns}
        return [
            q
            for q in self.graph_quads(graph_iri)
            if (q.predicate.value, None) in wanted or (q.predicate.value, q.object.value) in wanted
        ]

    def default_quads(self) -> list[ox.Quad]:
        raise NotImplementedError

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One graph as N-Triples."""
        return triples_text(self.graph_quads(graph_iri))

    def canonical_ntriples(self, graph_iri: str) -> bytes | None:
        """One graph as N-Triples written by Oxigraph itself (its terms in the canonical form of
        provenance.digest, one distinct triple a line), or None when the store cannot promise
        that form (a server writes its own)."""
        return None

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

    def __exit__(self, exc_type, exc, traceback) -> None:
        """Close; when an error is already on its way, a failing close (a full disk) is noted
        on it rather than put in its place."""
        try:
            self.close()
        except Exception as failed:
            if exc is None:
                raise
            exc.add_note(f"closing the store also failed: {failed}")

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
        signer = signer_from_environment()
        submission = next((q.object.value for q in sealed if q.predicate == SUBMISSION), "")
        previous = previous_in_store(self, submission) if submission else None
        sealed, _digest = link_quads(graph, sealed, previous, signer)
        groups.extend(self._missing_key(signer))
        groups.append((graph, sealed))
        self._add_graphs(groups)
        return graph.value

    def write_record(self, graph: ox.NamedNode, quads: Sequence[ox.Quad]) -> None:
        """Record a graph that is not an assessment (a zone, a zone's event: demozone.procedure)
        once, whole, sealed with its `dz:tripleCount` like an assessment; refuses one already
        there (records, like assessments, are never overwritten)."""
        triples = {ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads}
        if self.has_graph(graph):
            raise StoreError(
                f"{graph.value} is already in the store; records are never overwritten"
            )
        count = ox.Literal(str(len(triples) + 1), datatype=ox.NamedNode(XSD + "integer"))
        triples.add(ox.Quad(graph, ox.NamedNode(DZ + "tripleCount"), count, graph))
        self._add_graphs([(graph, sorted(triples, key=str))])

    def write_batch(self, assessments: Iterable[Sealed]) -> None:
        """Record a batch of sealed assessments (see `Sealed`), all or nothing.

        Here: the knowledge base (if missing), then one request per shared graph the store
        lacks and per assessment; when one fails, the assessments the batch already wrote are
        removed again.
        """
        self._add_graphs(self._missing_graphs([], {}, quads=True))  # the knowledge base
        self._add_graphs(self._missing_key(signer_from_environment()))
        written: list[ox.NamedNode] = []
        try:
            for kind, iri, content in batch_parts(self, assessments):
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

    def _missing_key(self, signer) -> list[tuple[ox.NamedNode, list[ox.Quad]]]:
        """The graph of the signer's public key, when there is a signer and the store lacks it."""
        if signer is None:
            return []
        graph, quads = key_quads(signer)
        return [] if self.has_graph(graph) else [(graph, quads)]

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

    def assessment_quads(
        self, reference: str, patterns: Iterable[Pattern] | None = None
    ) -> list[ox.Quad]:
        """The quads of one assessment (by IRI or id), only those matching one of `patterns`
        (as for `graph_quads_of`) when given; a StoreError when there is none."""
        graph = assessment_iri(reference)
        if patterns is None:
            quads = self.graph_quads(graph.value)
        else:
            quads = self.graph_quads_of(graph.value, patterns)
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
                ox.serialize(quads, handle, format=rdf_format, prefixes=trig_prefixes(rdf_format))
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
            f"{{ {sparql_term(KB_GRAPH)} {sparql_term(SHA256)} ?d }} }}"
        )
        return rows[0]["d"].value if rows else None


def _value(term) -> str:
    return term.value if term is not None else ""


def batch_parts(
    store: BaseStore, assessments: Iterable[Sealed]
) -> Iterator[tuple[str, str, str | bytes]]:
    """What a batch adds, in order: ("shared", IRI, N-Quads) for each shared graph the store
    lacks, before the first assessment that uses it; ("assessment", IRI, TriG) for each
    assessment. A StoreError for an assessment already stored, named twice or whose TriG is not
    its graph's."""
    named: set[str] = set()
    shared: set[str] = set()  # present in the store or added by this batch
    tips, signer = ChainTips(store), signer_from_environment()
    for sealed in assessments:
        if sealed.graph in named:
            raise StoreError(f"the batch names the assessment {sealed.graph} twice")
        store._refuse_existing([sealed.graph])
        if not sealed.trig.startswith(f"{TRIG_OPEN}<{sealed.graph}> {{\n".encode()):
            raise StoreError(f"a chunk of the batch is not the assessment {sealed.graph}")
        for iri, text in sealed.shared:
            if iri not in shared and not store.has_graph(iri_term(iri)):
                yield "shared", iri, text
            shared.add(iri)
        named.add(sealed.graph)
        submission, digest = trig_facts(sealed.trig)
        trig = link_trig(sealed.graph, sealed.trig, tips.previous(submission), signer)
        tips.advance(submission, (sealed.graph, digest))
        yield "assessment", sealed.graph, trig
