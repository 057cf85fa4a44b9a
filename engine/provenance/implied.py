"""Triples an assessment's graph implies by the IRIs of its nodes, which the store does not hold.

Every node of an assessment is minted inside it (`<assessment>/<kind>/<segments>`, provenance/
graph.py), and the rule set graph it uses says which clauses each rule scores, on which
clauses it reads the judgments, and which indicator each clause belongs to (provenance/
rulesetgraph.py). So part of its provenance says
nothing the IRIs and that graph do not already say:

- a rule firing `<a>/firing/<rule>` is a dz:RuleFiring, `prov:wasInformedBy` the assessment and
  qualified by the demozone agent's association with its rule (in the rule set the assessment's
  own association names as plan); it `prov:used` every judgment on a clause whose judgments
  its rule reads;
- a case `<a>/case/<rule>/<key>` is a dz:Case `prov:wasGeneratedBy` the firing of its rule;
- a score `<a>/score/<kind>/<id>` is a dz:Score of the system's level, indicator or clause
  `<system>/<kind>/<id>` (dz:level, dz:indicator, dz:clause); a level's or an indicator's
  score `prov:wasGeneratedBy` the assessment and has the rule set's most points for it
  (dz:maxPoints); a clause's score `prov:wasGeneratedBy` the
  firings of the rules that score the clause, and its indicator's score `prov:wasDerivedFrom` it;
- a fact `<a>/fact/<id>` is a dz:Judgment (`judgment:<n>`, read from `judgments[<n>]`), a
  dz:Evidence (`evidence:<id>`) or a dz:Fact.

Written out they are over a third of an assessment's triples, each indexed six times by the
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
from dataclasses import dataclass, field
from urllib.parse import unquote

import pyoxigraph as ox

from demozone.provenance.terms import (
    ASSESSMENT,
    CASE,
    D_CLAUSE,
    D_CLAUSE_OF,
    D_FIELD_PATH,
    D_IMPLEMENTS,
    D_INDICATOR,
    D_JUDGED_CLAUSE,
    D_LEVEL,
    D_MAX,
    D_READS_JUDGMENTS,
    D_SYSTEM,
    DERIVED_FROM,
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
    USED,
    nquads_text,
    nt_literal,
    parse_nquads,
)

_FACT_KINDS = {"judgment": JUDGMENT, "evidence": EVIDENCE}
# what a score scores, by the kind in its IRI: a node of the system's (its IRI by the same parts)
_SCORED = {"level": D_LEVEL, "indicator": D_INDICATOR, "clause": D_CLAUSE}


@dataclass
class Context:
    """What an assessment's implied triples depend on besides its subjects (N-Triples terms)."""

    plan: str | None = None  # the rule set its association names
    system: str | None = None  # the knowledge-base system it scores under
    scored_by: dict[str, list[str]] = field(default_factory=dict)  # clause -> rule IRIs
    broader: dict[str, str] = field(default_factory=dict)  # clause -> indicator
    reads: dict[str, list[str]] = field(default_factory=dict)  # rule tail -> clauses judged
    judgments: dict[str, list[str]] = field(default_factory=dict)  # clause -> its judgments
    maxima: dict[str, str] = field(default_factory=dict)  # rule set indicator/level -> points

    def read(self, assessment: str, line: str) -> None:
        """Note what `line` (of the assessment or of a graph it uses) tells."""
        s, p, o = line.split(" ", 2)
        if p == HAD_PLAN and s == f"<{assessment}/association>":
            self.plan = o
        elif p == D_SYSTEM and s == f"<{assessment}>":
            self.system = o
        elif p == D_IMPLEMENTS:
            self.scored_by.setdefault(o, []).append(s)
        elif p == D_CLAUSE_OF:
            self.broader[s] = o
        elif p == D_READS_JUDGMENTS:
            self.reads.setdefault(s[:-1].rsplit("/", 1)[1], []).append(o)
        elif p == D_JUDGED_CLAUSE:
            self.judgments.setdefault(o, []).append(s)
        elif p == D_MAX:
            self.maxima[s] = o

    def copy(self) -> Context:
        """A context telling the same, to read more into without changing this one."""
        return Context(
            self.plan,
            self.system,
            {k: list(v) for k, v in self.scored_by.items()},
            dict(self.broader),
            {k: list(v) for k, v in self.reads.items()},
            {k: list(v) for k, v in self.judgments.items()},
            dict(self.maxima),
        )


def implied(assessment: str, subjects: Iterable[str], context: Context) -> Iterator[str]:
    """The implied triples, as N-Triples lines, of the assessment `<assessment>` whose graph has
    these subjects (bare IRIs)."""
    a, inside = f"<{assessment}>", assessment + "/"
    for subject in subjects:
        if not subject.startswith(inside):
            continue
        kind, *rest = subject.removeprefix(inside).split("/")
        s = f"<{subject}>"
        if kind == "firing" and len(rest) == 1:
            yield f"{s} {TYPE} {RULE_FIRING}"
            yield f"{s} {INFORMED_BY} {a}"
            if context.plan is not None:
                yield f"{s} {QUALIFIED} {context.plan[:-1]}/rule/{rest[0]}/association>"
            for clause in context.reads.get(rest[0], ()):
                for judgment in context.judgments.get(clause, ()):
                    yield f"{s} {USED} {judgment}"
        elif kind == "case" and len(rest) == 2:
            yield f"{s} {TYPE} {CASE}"
            yield f"{s} {GENERATED_BY} <{inside}firing/{rest[0]}>"
        elif kind == "score" and len(rest) == 2:
            yield f"{s} {TYPE} {SCORE}"
            yield from _score(s, a, rest, context)
        elif kind == "fact" and len(rest) == 1:
            fact_kind, _, number = unquote(rest[0]).partition(":")
            yield f"{s} {TYPE} {_FACT_KINDS.get(fact_kind, FACT)}"
            if fact_kind == "judgment":
                yield f"{s} {D_FIELD_PATH} {nt_literal(f'judgments[{number}]')}"


def _score(s: str, a: str, rest: list[str], context: Context) -> Iterator[str]:
    kind, key = rest
    if kind in ("level", "indicator"):
        yield f"{s} {GENERATED_BY} {a}"
        most = context.maxima.get(f"{context.plan[:-1]}/{kind}/{key}>") if context.plan else None
        if most is not None:
            yield f"{s} {D_MAX} {most}"
    if context.system is None or kind not in _SCORED:
        return
    scored = f"{context.system[:-1]}/{kind}/{key}>"
    yield f"{s} {_SCORED[kind]} {scored}"
    if kind != "clause":
        return
    for rule in context.scored_by.get(scored, ()):
        yield f"{s} {GENERATED_BY} {a[:-1]}/firing/{rule.rsplit('/', 1)[1]}"
    indicator = context.broader.get(scored)
    if indicator is not None:
        number = indicator.rsplit("/", 1)[1]
        yield f"{a[:-1]}/score/indicator/{number} {DERIVED_FROM} {s}"


# The predicates Context.read learns from; a line with any other tells it nothing.
_TELLING = frozenset((HAD_PLAN, D_SYSTEM, D_IMPLEMENTS, D_CLAUSE_OF, D_READS_JUDGMENTS))
_TELLING |= {D_JUDGED_CLAUSE, D_MAX}
# What the graphs an assessment uses tell, read once per process and graph (every assessment
# of a batch uses the same rule set graph): the context but what depends on the assessment,
# and the lines that may (read again for each).
_SHARED: dict[tuple[str, ...], tuple[Context, tuple[str, ...]]] = {}


def _shared_context(assessment: str, shared: Iterable[str]) -> Context:
    """A new Context with what the lines `shared` tell about the assessment `<assessment>`."""
    key = tuple(shared)
    found = _SHARED.get(key)
    if found is None:
        common, per_assessment = Context(), []
        for line in key:
            if line.split(" ", 2)[1] in (HAD_PLAN, D_SYSTEM):
                per_assessment.append(line)
            else:
                common.read(assessment, line)
        if len(_SHARED) >= 8:  # a handful of rule set graphs per process; never grows unbounded
            _SHARED.clear()
        found = _SHARED[key] = (common, tuple(per_assessment))
    common, per_assessment = found
    context = common.copy()
    for line in per_assessment:
        context.read(assessment, line)
    return context


def _read(assessment: str, lines: Iterable[str], context: Context) -> tuple[list[str], list[str]]:
    """Read `lines` into `context`: the subject of each line (bare IRI), and the lines that
    told it something."""
    subjects, told = [], []
    for line in lines:
        _s, p, _o = line.split(" ", 2)
        subjects.append(line[1 : line.index(">")])
        if p in _TELLING:
            context.read(assessment, line)
            told.append(line)
    return subjects, told


def implied_lines(assessment: str, lines: Iterable[str], shared: Iterable[str] = ()) -> set[str]:
    """The lines that the lines of the assessment `<assessment>` imply, with the lines of the
    graphs it uses (`shared`: its rule set graph's)."""
    context = _shared_context(assessment, shared)
    subjects, _told = _read(assessment, lines, context)
    return set(implied(assessment, set(subjects), context))


def stored(assessment: str, lines: list[str], shared: Iterable[str] = ()) -> list[str]:
    """The lines of the assessment `<assessment>` that the store holds: those its other lines
    (and the lines of the graphs it uses, `shared`) do not imply; all of them when the graph
    would not come back whole."""
    shared = tuple(shared)
    context = _shared_context(assessment, shared)
    subjects, told = _read(assessment, lines, context)
    everything = set(subjects)
    implied_here = set(implied(assessment, everything, context))
    if not implied_here.issubset(lines):
        return lines
    kept, kept_subjects = [], set()
    for line, subject in zip(lines, subjects, strict=True):
        if line not in implied_here:
            kept.append(line)
            kept_subjects.add(subject)
    # a node with nothing of its own to say (a case that compared nothing) keeps one line, so
    # its IRI is still there to imply the rest
    lost = everything - kept_subjects
    for line, subject in zip(lines, subjects, strict=True):
        if not lost:
            break
        if subject in lost:
            lost.discard(subject)
            kept.append(line)
    # The kept lines have every subject the lines have (above), so they imply the same as the
    # lines when they tell implied() the same; only when they do not, their implied lines are
    # made again to compare.
    again, telling = _shared_context(assessment, shared), set(told)
    for line in kept:
        if line in telling:
            again.read(assessment, line)
    if not _implies_alike(again, context) and (
        set(implied(assessment, everything, again)) != implied_here
    ):
        return lines
    return kept


def _implies_alike(one: Context, other: Context) -> bool:
    """Whether `implied` makes the same lines from both contexts for any subjects: it reads
    everything but the points of the nodes that are not the plan's."""
    return (
        one.plan == other.plan
        and one.system == other.system
        and one.scored_by == other.scored_by
        and one.broader == other.broader
        and one.reads == other.reads
        and one.judgments == other.judgments
        and _plan_maxima(one) == _plan_maxima(other)
    )


def _plan_maxima(context: Context) -> dict[str, str]:
    if context.plan is None:
        return {}
    inside = context.plan[:-1] + "/"
    return {node: most for node, most in context.maxima.items() if node.startswith(inside)}


def with_implied(quads: list[ox.Quad]) -> list[ox.Quad]:
    """`quads` with the triples each assessment graph among them implies, in that graph; the
    graphs an assessment uses (`prov:used`) must be among them for all of it to come back."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name.value, []).append(
                f"{q.subject} {q.predicate} {q.object}"
            )
    added: list[ox.Quad] = []
    for graph, lines in by_graph.items():
        a = f"<{graph}>"
        if f"{a} {TYPE} {ASSESSMENT}" not in lines:  # a rule set graph, the knowledge base's
            continue
        uses = [line.split(" ", 2)[2] for line in lines if line.startswith(f"{a} {USED} ")]
        shared = [line for used in uses for line in by_graph.get(used.strip("<>"), ())]
        more = implied_lines(graph, lines, shared) - set(lines)
        added.extend(parse_nquads(nquads_text(more, a)))
    return quads + added
