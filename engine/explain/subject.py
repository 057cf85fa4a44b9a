"""The assessment a saved question is asked of: its provenance and the knowledge base in one
queryable dataset, and (for the questions that need them) its score result and submission."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from demozone.assessment.assess import Assessment
from demozone.assessment.resolve import Resolved, rescore
from demozone.common.vocab import last_segment
from demozone.provenance.rdfterms import to_ox
from demozone.scoring.facts import FactId
from demozone.store.terms import KB_GRAPH


class Subject:
    """The assessment a question is asked of: its provenance with the knowledge base, and (when
    a question needs it) its score result and submission."""

    def __init__(self, resolved: Resolved, submission: str | Path | None = None) -> None:
        self.resolved = resolved
        self._submission = submission
        self._dataset: ox.Store | None = None
        self._scored: Assessment | None = None

    def select(self, query: str, **bindings: str) -> list[dict[str, str]]:
        """The solutions of a SELECT query as {variable: text} (unbound variables left out);
        `bindings` give variables literal values (they must be in the SELECT clause)."""
        substitutions = {ox.Variable(k): ox.Literal(v) for k, v in bindings.items()}
        solutions = self.dataset().query(
            query, use_default_graph_as_union=True, substitutions=substitutions or None
        )
        names = [v.value for v in solutions.variables]
        return [
            {n: row[n].value for n in names if row[n] is not None}
            for row in solutions  # type: ignore[union-attr]
        ]

    def dataset(self) -> ox.Store:
        """The assessment's quads and the knowledge base in one in-memory store (built once)."""
        if self._dataset is None:
            dataset = ox.Store()
            dataset.extend(self.resolved.quads)
            dataset.extend(
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), KB_GRAPH)
                for s, p, o in self.resolved.kb_graph
            )
            self._dataset = dataset
        return self._dataset

    def scored(self) -> Assessment:
        """The score result and submission (re-scored from the named file for a stored one)."""
        if self._scored is None:
            self._scored = rescore(self.resolved, self._submission)
        return self._scored

    def evidence_ids(self) -> list[str]:
        """The ids of the evidence items the provenance names."""
        rows = self.select(_EVIDENCE_ITEMS)
        return sorted({FactId.parse(fact_id(r["item"])).rest for r in rows}, key=id_key)


_EVIDENCE_ITEMS = """PREFIX dz: <https://w3id.org/demozone/def#>
SELECT DISTINCT ?item WHERE { ?item a dz:Evidence }"""


def fact_id(iri: str) -> str:
    """The id a fact, case or assessor node is named by: the last segment of its IRI, decoded."""
    return last_segment(iri)


def id_key(text: str) -> tuple:
    """Order ids and numbers naturally: E2 before E10, 3.2 before 12.1."""
    digits = "".join(c if c.isdigit() else " " for c in text).split()
    return (tuple(int(d) for d in digits), text)
