"""Triples an assessment's graph implies by the IRIs of its nodes, which the store does not hold.

Every node of an assessment is minted inside it (`<assessment>/<kind>/<segments>`, provenance/
graph.py), so part of its provenance says nothing the IRIs do not already say:

- a rule firing `<a>/firing/<rule>` is a dz:RuleFiring, `prov:wasInformedBy` the assessment and
  qualified by the demozone agent's association with its rule (in the rule set the assessment's
  own association names as plan);
- a case `<a>/case/<rule>/<key>` is a dz:Case `prov:wasGeneratedBy` the firing of its rule;
- a score `<a>/score/<kind>/<id>` is a dz:Score; a level's or an indicator's score
  `prov:wasGeneratedBy` the assessment;
- a fact `<a>/fact/<id>` is a dz:Judgment (`judgment:<n>`, read from `judgments[<n>]`), a
  dz:Evidence (`evidence:<id>`) or a dz:Fact.

Written out they are about a third of an assessment's triples, each indexed six times by the
store. So the store holds an assessment `stored()`, and every reader of an assessment from the
store (assessment.resolve: explain, ask, graph, export and its PROV shapes) reads it
`with_implied()`: the same graph as the one built, triple for triple. A graph that does not
come back whole when compacted is stored as built (then it implies nothing it lacks), so
compacting never loses a triple; a graph stored whole before this layout reads the same.

The SPARQL a user runs over the store itself (`query --store`, the auditor's query page) sees
the graph as stored: a firing is found by its dz:points, a score by its dz:value; `export`
writes the whole graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from urllib.parse import unquote

import pyoxigraph as ox

from demozone.provenance.terms import (
    ASSESSMENT,
    CASE,
    D_FIELD_PATH,
    EVIDENCE,
    FACT,
    GENERATED_BY,
    HAD_PLAN,
    INFORMED_BY,
    JUDGMENT,
    QUALIFIED,
    RULE_FIRING,
    SCORE,
    TYPE,
    nquads_text,
    nt_literal,
    parse_nquads,
)

_FACT_KINDS = {"judgment": JUDGMENT, "evidence": EVIDENCE}


def implied(assessment: str, subjects: Iterable[str], plan: str | None) -> Iterator[str]:
    """The implied triples, as N-Triples lines, of the assessment `<assessment>` whose graph has
    these subjects (bare IRIs) and whose association names `plan` (N-Triples) as its plan."""
    a, inside = f"<{assessment}>", assessment + "/"
    for subject in subjects:
        if not subject.startswith(inside):
            continue
        kind, *rest = subject.removeprefix(inside).split("/")
        s = f"<{subject}>"
        if kind == "firing" and len(rest) == 1:
            yield f"{s} {TYPE} {RULE_FIRING}"
            yield f"{s} {INFORMED_BY} {a}"
            if plan is not None:
                yield f"{s} {QUALIFIED} {plan[:-1]}/rule/{rest[0]}/association>"
        elif kind == "case" and len(rest) == 2:
            yield f"{s} {TYPE} {CASE}"
            yield f"{s} {GENERATED_BY} <{inside}firing/{rest[0]}>"
        elif kind == "score" and len(rest) == 2:
            yield f"{s} {TYPE} {SCORE}"
            if rest[0] in ("level", "indicator"):
                yield f"{s} {GENERATED_BY} {a}"
        elif kind == "fact" and len(rest) == 1:
            fact_kind, _, number = unquote(rest[0]).partition(":")
            yield f"{s} {TYPE} {_FACT_KINDS.get(fact_kind, FACT)}"
            if fact_kind == "judgment":
                yield f"{s} {D_FIELD_PATH} {nt_literal(f'judgments[{number}]')}"


def implied_lines(assessment: str, lines: Iterable[str]) -> set[str]:
    """The lines that the lines of the assessment `<assessment>` imply."""
    subjects: set[str] = set()
    plan = None
    association = f"<{assessment}/association> {HAD_PLAN} "
    for line in lines:
        subjects.add(_subject(line))
        if line.startswith(association):
            plan = line.removeprefix(association)
    return set(implied(assessment, subjects, plan))


def _subject(line: str) -> str:
    return line[1 : line.index(">")]


def stored(assessment: str, lines: list[str]) -> list[str]:
    """The lines of the assessment `<assessment>` that the store holds: those its other lines do
    not imply; all of them when the graph would not come back whole."""
    implied_here = implied_lines(assessment, lines)
    if not implied_here.issubset(lines):
        return lines
    kept = [line for line in lines if line not in implied_here]
    # a node with nothing of its own to say (a case that compared nothing) keeps one line, so
    # its IRI is still there to imply the rest
    lost = {_subject(line) for line in lines} - {_subject(line) for line in kept}
    for line in lines:
        if _subject(line) in lost:
            lost.discard(_subject(line))
            kept.append(line)
    if implied_lines(assessment, kept) != implied_here:
        return lines
    return kept


def with_implied(quads: list[ox.Quad]) -> list[ox.Quad]:
    """`quads` with the triples each assessment graph among them implies, in that graph."""
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name.value, []).append(q)
    added: list[ox.Quad] = []
    for graph, inside in by_graph.items():
        if not any(q.subject.value == graph and q.object == _ASSESSMENT for q in inside):
            continue
        subjects = {q.subject.value for q in inside if isinstance(q.subject, ox.NamedNode)}
        plans = [
            f"<{q.object.value}>"
            for q in inside
            if q.predicate == _HAD_PLAN and q.subject.value == graph + "/association"
        ]
        lines = implied(graph, subjects, plans[0] if plans else None)
        have = {q.triple for q in inside}
        more = parse_nquads(nquads_text(lines, f"<{graph}>"))
        added.extend(q for q in more if q.triple not in have)
    return quads + added


_ASSESSMENT = ox.NamedNode(ASSESSMENT.strip("<>"))
_HAD_PLAN = ox.NamedNode(HAD_PLAN.strip("<>"))
