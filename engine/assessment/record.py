"""What a stored assessment records about how it was made (`StoredRecord`), read from its quads
with plain dictionaries: the submission, system, rule set, engine, receipt and indicator scores.

`rescore` needs nothing else of a stored assessment, so `RECORD_PREDICATES` names the few
patterns a reader fetches from the store for it (`BaseStore.assessment_quads`) instead of the
assessment's every quad and its rule set graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.common.vocab import last_segment
from demozone.store.terms import DZ, PROV, RDF

_TYPE, _ASSESSMENT = RDF + "type", DZ + "Assessment"

# Every (predicate, object) `record_of` follows (None: any object).
_FOLLOWED = (
    DZ + "submission",
    DZ + "sha256",
    DZ + "filePath",
    DZ + "system",
    DZ + "engine",
    DZ + "receipt",
    DZ + "entry",
    DZ + "name",
    DZ + "value",
    PROV + "qualifiedAssociation",
    PROV + "hadPlan",
)
RECORD_PATTERNS = ((_TYPE, _ASSESSMENT), *((predicate, None) for predicate in _FOLLOWED))

# What a reading verb tells the user about the knowledge base behind a stored assessment.
STORE_KB_DIFFERS = (
    "the store's knowledge base differs from kb/ of this installation: the store's "
    "is used (存储中的知识库与当前知识库不一致，使用存储中的知识库)"
)
KB_CHANGED_SINCE = (
    "the knowledge base changed after this assessment was made (its receipt names "
    "another kb hash) (评估后知识库已有变化)"
)


@dataclass(frozen=True)
class StoredRecord:
    """What a stored assessment records about how it was made."""

    iri: str
    submission: str  # the submission's id
    sha256: str  # of the submission file
    file: str  # where the submission file was read ("" for assessments recorded before)
    system: str
    rule_set: str
    engine: str
    receipt: dict[str, str]
    scores: dict[str, Decimal]  # indicator IRI -> its stored score


class _Index:
    """Objects by (subject, predicate IRI), over quads of any graphs."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.objects: dict[tuple, list] = defaultdict(list)
        self.by_predicate: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in quads:
            self.objects[(q.subject, q.predicate.value)].append(q.object)
            self.by_predicate[q.predicate.value].append(q)

    def value(self, subject, predicate: str):
        """One object of (subject, predicate), None when there is none (as rdflib's value)."""
        if subject is None:
            return None
        found = self.objects.get((subject, predicate))
        return found[0] if found else None


def record_of(quads: Iterable[ox.Quad], iri: str = "") -> StoredRecord:
    """The record of the assessment among `quads` (its own, with or without its shared graphs,
    or only those of RECORD_PATTERNS); a StoreError naming `iri` when they hold none."""
    index = _Index(quads)
    nodes = sorted(
        (q.subject for q in index.by_predicate[_TYPE] if q.object.value == _ASSESSMENT),
        key=lambda term: term.value,
    )
    if not nodes:
        raise StoreError(f"{iri} holds no assessment")
    node = nodes[0]
    submission = index.value(node, DZ + "submission")
    association = index.value(node, PROV + "qualifiedAssociation")
    plan = index.value(association, PROV + "hadPlan")
    receipt = _receipt(index, node)
    return StoredRecord(
        iri=node.value,
        submission=_last_segment(submission),
        sha256=receipt.get("submission") or _text(index.value(submission, DZ + "sha256")),
        file=_text(index.value(submission, DZ + "filePath")),
        system=_last_segment(index.value(node, DZ + "system")),
        rule_set=_last_segment(plan),
        engine=_text(index.value(node, DZ + "engine")),
        receipt=receipt,
        scores=_scores(index, node),
    )


def _scores(index: _Index, node) -> dict[str, Decimal]:
    """indicator IRI -> its stored score. An indicator's score is named for it inside the
    assessment (`<assessment>/score/indicator/<number>`, provenance.implied), which is how it
    is found: the store need not hold its dz:indicator."""
    system = index.value(node, DZ + "system")
    inside = node.value + "/score/indicator/"
    return {
        f"{system.value}/indicator/{q.subject.value.removeprefix(inside)}": Decimal(q.object.value)
        for q in index.by_predicate[DZ + "value"]
        if q.subject.value.startswith(inside)
    }


def _receipt(index: _Index, node) -> dict[str, str]:
    """name -> value of the assessment's receipt entries, by name."""
    receipt = index.value(node, DZ + "receipt")
    entries = {}
    for entry in index.objects.get((receipt, DZ + "entry"), []):
        name, value = index.value(entry, DZ + "name"), index.value(entry, DZ + "value")
        if name is not None and value is not None:
            entries[name.value] = value.value
    return dict(sorted(entries.items()))


def receipt_value(quads: Iterable[ox.Quad], name: str) -> str | None:
    """The value of one receipt entry (by its dz:name) among an assessment's quads."""
    quads = list(quads)
    names = {q.subject: q.object.value for q in quads if q.predicate.value == DZ + "name"}
    for q in quads:
        if q.predicate.value == DZ + "value" and names.get(q.subject) == name:
            return q.object.value
    return None


def _text(term) -> str:
    # rdflib's str(value or ""): a literal's lexical form, "" when absent or empty
    return term.value if term is not None else ""


def _last_segment(term) -> str:
    return last_segment(term.value) if term is not None else ""
