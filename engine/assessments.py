"""One assessment's quads and the knowledge base graph they point into, from whatever the user
named: a submission file (scored now) or an assessment already in the store (IRI or id).

`resolve_assessment` is the one place the reading verbs (`graph`, `export`, `explain`) turn
FILE|ASSESSMENT into RDF:

- an existing file is a submission: it is scored; with a store location it is also recorded and
  the quads are read back from the store, without one nothing is written and the quads are built
  and sealed in memory (with the completeness marker the store would add);
- anything else is an assessment reference, looked up in the store (`--store`, else
  `DEMOZONE_STORE`, else ./demozone-data), which is never created for it.

The knowledge base graph is this installation's (kb/), which is what the receipt's `kb` hash
names; for a stored assessment whose store holds a different knowledge base, the store's own
knowledge base graph is used instead, so the graph shows what the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .assess import Assessment, assess
from .errors import InputError, Problem
from .provenance import AssessmentGraph
from .store import (
    DZ,
    KB_GRAPH,
    current_kb_digest,
    open_store,
    seal,
    to_rdflib,
)

SUBMISSION_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Resolved:
    """What a FILE|ASSESSMENT reference resolved to."""

    quads: list[ox.Quad]
    kb_graph: Graph
    iri: str  # the assessment's IRI (also the name of its graph)
    origin: str  # "file" (scored now) or "store" (read back)
    written: bool = False  # scored now and recorded in a store
    assessment: Assessment | None = None  # the score result, when scored now
    notes: list[str] = field(default_factory=list)  # things worth telling the user

    def __iter__(self):
        """Unpacks as (quads, kb_graph)."""
        return iter((self.quads, self.kb_graph))

    def graph(self) -> Graph:
        """The assessment's triples as an rdflib graph."""
        return quads_to_graph(self.quads)


def is_submission_file(ref: str | Path) -> bool:
    path = Path(ref)
    return path.is_file()


def resolve_assessment(
    ref: str | Path,
    store: str | None = None,
    *,
    system: str | None = None,
    engine: str = "rete",
) -> Resolved:
    """(quads, kb graph, ...) of the assessment `ref` names; see the module docstring.

    `store` is the location given on the command line (None: a file is not recorded, and a
    stored assessment is looked up in DEMOZONE_STORE or ./demozone-data). Raises InputError for
    a submission that cannot be scored or a reference that is neither a file nor an assessment
    id, StoreError when the store cannot be used or does not hold the assessment.
    """
    text = str(ref)
    if is_submission_file(text):
        return _from_file(Path(text), store, system=system, engine=engine)
    if text.lower().endswith(SUBMISSION_SUFFIXES) or not text.strip():
        raise InputError(
            [
                Problem(
                    text,
                    "",
                    "no such submission file (and not an assessment id)",
                    "找不到该申报材料文件（也不是评估记录标识）",
                    expected="a submission file or an assessment IRI/id in the store",
                )
            ]
        )
    return _from_store(text, store)


def _from_file(path: Path, store: str | None, *, system: str | None, engine: str) -> Resolved:
    from .kbgraph import kb_graph

    if store is None:
        scored = assess(path, system=system, engine=engine, write=False)
        built = AssessmentGraph(scored.id, scored.result, scored.submission, scored.receipt)
        graph, quads = seal(built.build())
        return Resolved(quads, kb_graph(), graph.value, "file", assessment=scored)
    scored = assess(path, system=system, engine=engine, store=store, write=True)
    with open_store(store, create=False) as opened:
        quads = opened.assessment_quads(scored.iri or "")
    return Resolved(quads, kb_graph(), scored.iri or "", "file", written=True, assessment=scored)


def _from_store(reference: str, store: str | None) -> Resolved:
    from .kbgraph import kb_graph

    notes = []
    with open_store(store, create=False) as opened:
        quads = opened.assessment_quads(reference)
        stored_digest = opened.kb_digest()
        kb = kb_graph()
        if stored_digest is not None and stored_digest != current_kb_digest():
            kb = quads_to_graph(opened.graph_quads(KB_GRAPH.value))
            notes.append(
                "the store's knowledge base differs from kb/ of this installation: the store's "
                "is used (存储中的知识库与当前知识库不一致，使用存储中的知识库)"
            )
    iri = quads[0].graph_name.value if quads else reference
    receipt_kb = _receipt_value(quads, "kb")
    if receipt_kb and receipt_kb != (stored_digest or current_kb_digest()):
        notes.append(
            "the knowledge base changed after this assessment was made (its receipt names "
            "another kb hash) (评估后知识库已有变化)"
        )
    return Resolved(quads, kb, iri, "store", notes=notes)


def _receipt_value(quads: list[ox.Quad], name: str) -> str | None:
    """The value of one receipt entry (by its dz:name) among an assessment's quads."""
    names = {q.subject: q.object.value for q in quads if q.predicate.value == DZ + "name"}
    for q in quads:
        if q.predicate.value == DZ + "value" and names.get(q.subject) == name:
            return q.object.value
    return None


def quads_to_graph(quads) -> Graph:
    """The triples of some quads (or triples) as an rdflib graph."""
    graph = Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph
