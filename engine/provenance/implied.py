"""Triples an assessment's graph implies by the IRIs of its nodes, which the store does not hold.

Every node of an assessment is minted inside it (`<assessment>/<kind>/<segments>`, provenance/
graph.py), and the rule set graph it uses says which clauses each rule scores (and which it
scores alone), on which clauses it reads the judgments, which items it counts, what each of
its branches awards, and which indicator each clause belongs to (provenance/rulesetgraph.py).
So part of its provenance says nothing the IRIs and that graph do not already say:

- a rule firing `<a>/firing/<rule>` is a dz:RuleFiring, `prov:wasInformedBy` the assessment and
  qualified by the demozone agent's association with its rule (in the rule set the assessment's
  own association names as plan); it `prov:used` every judgment on a clause whose judgments
  its rule reads;
- a case `<a>/case/<rule>/<key>` is a dz:Case `prov:wasGeneratedBy` the firing of its rule;
  the dz:branch that held for it says its dz:points (the branch's dz:award); a case of a rule
  counting items is named for its item, a fact the firing `prov:used` (an evidence item is its
  own `prov:hadPrimarySource`), and a rule counting evidence items has a case for each
  evidence item of the submission (each fact with a dz:fieldPath);
- a score `<a>/score/<kind>/<id>` is a dz:Score of the system's level, indicator or clause
  `<system>/<kind>/<id>` (dz:level, dz:indicator, dz:clause); a level's or an indicator's
  score `prov:wasGeneratedBy` the assessment and has the rule set's most points for it
  (dz:maxPoints); a clause's score `prov:wasGeneratedBy` the
  firings of the rules that score the clause, and its indicator's score `prov:wasDerivedFrom` it;
  a clause one rule scores alone (dz:scoresAlone) has the points of that rule's firing as its
  dz:value, and its node is there as soon as the firing is;
- a fact `<a>/fact/<id>` is a dz:Judgment, a dz:Evidence (`evidence:<id>`) or a dz:Fact; a
  judgment `judgment:<n>:<clause>:<assessor>` was read from `judgments[<n>]`, judges that
  clause of the assessment's system (dz:judgedClause) and is attributed to that assessor (one
  judgment per assessor and clause: the submission allows no other).

Each holds by how provenance/graph.py writes an assessment. Written out they are well over
half of an assessment's triples, each indexed six times by the store. So the store holds an
assessment without them (provenance.compact `stored()`), and every reader of an assessment
from the store (assessment.resolve: explain, ask, graph, export and its PROV shapes) reads it
`with_implied()`: the same graph as the one built, triple for triple. A graph that does not come back whole when compacted is
stored as built, so compacting never loses a triple; a graph stored whole before this layout
(or under an older rule set graph, which says less) reads the same.

The SPARQL a user runs over the store itself (`query --store`, the auditor's query page) sees
the graph as stored: a firing is found by its dz:points, an indicator's score by its dz:value
(a clause's, when one rule scores it alone, by its firing's: the audit question `passage`
reads both), a judgment's clause and assessor by its name (the audit question `assessor`
reads both forms); `export` writes the whole graph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

import pyoxigraph as ox

from demozone.provenance.terms import (
    ASSESSMENT,
    ATTRIBUTED_TO,
    CASE,
    D_AWARD,
    D_BRANCH,
    D_CLAUSE,
    D_CLAUSE_OF,
    D_COUNTS_ITEMS,
    D_FIELD_PATH,
    D_IMPLEMENTS,
    D_INDICATOR,
    D_JUDGED_CLAUSE,
    D_LEVEL,
    D_MAX,
    D_POINTS,
    D_READS_JUDGMENTS,
    D_SCORES_ALONE,
    D_SYSTEM,
    D_VALUE,
    DERIVED_FROM,
    EVIDENCE,
    FACT,
    GENERATED_BY,
    HAD_PLAN,
    INFORMED_BY,
    JUDGMENT,
    PRIMARY_SOURCE,
    QUALIFIED,
    RULE_FIRING,
    SCORE,
    TYPE,
    USED,
    nquads_text,
    nt_iri,
    nt_literal,
    parse_nquads,
    segment,
)
from demozone.scoring.facts import FactId

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
    judgments: dict[str, dict[str, None]] = field(default_factory=dict)  # clause id -> judgments
    maxima: dict[str, str] = field(default_factory=dict)  # rule set indicator/level -> points
    alone: dict[str, list[str]] = field(default_factory=dict)  # rule tail -> clauses it scores
    sole: dict[str, str] = field(default_factory=dict)  # clause -> the rule scoring it alone
    items: dict[str, str] = field(default_factory=dict)  # rule tail -> items it counts
    awards: dict[str, str] = field(default_factory=dict)  # rule's branch -> its award
    points: dict[str, str] = field(default_factory=dict)  # firing -> its points
    branches: dict[str, str] = field(default_factory=dict)  # case -> the branch that held
    evidence: set[str] = field(default_factory=set)  # evidence items of the submission (facts)

    def read(self, assessment: str, line: str) -> None:
        """Note what `line` (of the assessment or of a graph it uses) tells."""
        self.read_terms(assessment, *line.split(" ", 2))

    def read_terms(self, assessment: str, s: str, p: str, o: str) -> None:
        """`read` of the line `s p o`, split already."""
        if p == D_POINTS:
            if s.startswith(_within(assessment).firing):
                self.points[s] = o
        elif p == D_BRANCH:
            self.branches[s] = o
        elif p == D_FIELD_PATH:
            if s.startswith(_within(assessment).evidence):
                self.evidence.add(s[1:-1].rsplit("/", 1)[1])
        elif p == D_AWARD:
            self.awards[s] = o
        elif p == D_SCORES_ALONE:
            self.alone.setdefault(_tail(s), []).append(o)
            self.sole[o] = _tail(s)
        elif p == D_COUNTS_ITEMS:
            self.items[_tail(s)] = o
        elif p == HAD_PLAN and s == _within(assessment).association:
            self.plan = o
        elif p == D_SYSTEM and s == _within(assessment).itself:
            self.system = o
        elif p == D_IMPLEMENTS:
            self.scored_by.setdefault(o, []).append(s)
        elif p == D_CLAUSE_OF:
            self.broader[s] = o
        elif p == D_READS_JUDGMENTS:
            self.reads.setdefault(_tail(s), []).append(o)
        elif p == D_JUDGED_CLAUSE:
            self.judgments.setdefault(_tail(o), {})[s] = None
        elif p == D_VALUE:  # every judgment has its value: its name says the clause it judges
            if s.startswith(_within(assessment).judgment):
                clause = _clause_judged(_tail(s))
                if clause is not None:
                    self.judgments.setdefault(clause, {})[s] = None
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
            {k: dict(v) for k, v in self.judgments.items()},
            dict(self.maxima),
            {k: list(v) for k, v in self.alone.items()},
            dict(self.sole),
            dict(self.items),
            dict(self.awards),
            dict(self.points),
            dict(self.branches),
            set(self.evidence),
        )


@dataclass(frozen=True)
class _Within:
    """The N-Triples starts of an assessment's nodes that Context.read looks for."""

    itself: str
    association: str
    firing: str
    evidence: str
    judgment: str


@functools.lru_cache(maxsize=8)  # read for every line: made once per assessment, not per line
def _within(assessment: str) -> _Within:
    a = f"<{assessment}"
    return _Within(
        a + ">",
        a + "/association>",
        a + "/firing/",
        a + "/fact/evidence%3A",
        a + "/fact/judgment%3A",
    )


def _tail(iri: str) -> str:
    """The last segment of an N-Triples IRI: a rule's id, a clause's, an indicator's number."""
    return iri[:-1].rsplit("/", 1)[1]


@functools.lru_cache(maxsize=4096)  # judgment names recur from assessment to assessment
def _judged(name: str) -> tuple[str, str | None, str | None]:
    """FactId.judged() of a judgment named `name` in an IRI (its last segment)."""
    return FactId(unquote(name)).judged()


def _clause_judged(name: str) -> str | None:
    """The clause id (as in an IRI) in a judgment's name (the last segment of its IRI); None in
    a name without it (older stores)."""
    _index, clause, _assessor = _judged(name)
    return segment(clause) if clause is not None else None


def implied(assessment: str, subjects: Iterable[str], context: Context) -> Iterator[str]:
    """The implied triples, as N-Triples lines, of the assessment `<assessment>` whose graph has
    these subjects (bare IRIs)."""
    a, inside = f"<{assessment}>", assessment + "/"
    scores: set[str] = set()  # those among the subjects and those a firing's points make
    cases: set[str] = set()  # those among the subjects and those a firing's items make
    for subject in subjects:
        if not subject.startswith(inside):
            continue
        kind, *rest = subject.removeprefix(inside).split("/")
        s = f"<{subject}>"
        if kind == "firing" and len(rest) == 1:
            yield from _firing(s, a, rest[0], context)
            scores.update(scores_made(inside, rest[0], context))
            cases.update(cases_made(inside, rest[0], context))
        elif kind == "case" and len(rest) == 2:
            cases.add(subject)
        elif kind == "score" and len(rest) == 2:
            scores.add(subject)
        elif kind == "fact" and len(rest) == 1:
            fact_kind, colon, _named = rest[0].partition("%3A")
            if not colon:
                fact_kind = unquote(rest[0]).partition(":")[0]
            yield f"{s} {TYPE} {_FACT_KINDS.get(fact_kind, FACT)}"
            if fact_kind == "judgment":
                yield from _judgment(s, _judged(rest[0]), context)
    for subject in cases:
        yield from _case(
            f"<{subject}>", inside, subject.removeprefix(inside).split("/")[1:], context
        )
    for subject in scores:
        s = f"<{subject}>"
        yield f"{s} {TYPE} {SCORE}"
        yield from _score(s, a, subject.removeprefix(inside).split("/")[1:], context)


def _judgment(s: str, judged: tuple, context: Context) -> Iterator[str]:
    """A judgment's field path, the clause it judges and its assessor, from its name
    (`_judged`: only the index in older stores, which hold the others)."""
    index, clause, assessor = judged
    yield f"{s} {D_FIELD_PATH} {nt_literal(f'judgments[{index}]')}"
    if clause and context.system is not None:
        yield f"{s} {D_JUDGED_CLAUSE} {context.system[:-1]}/clause/{segment(clause)}>"
    if assessor:
        yield f"{s} {ATTRIBUTED_TO} {nt_iri('assessor', assessor)}"


def _firing(s: str, a: str, rule: str, context: Context) -> Iterator[str]:
    """A firing's own lines and the judgments it used."""
    yield f"{s} {TYPE} {RULE_FIRING}"
    yield f"{s} {INFORMED_BY} {a}"
    if context.plan is not None:
        yield f"{s} {QUALIFIED} {context.plan[:-1]}/rule/{rule}/association>"
    for clause in context.reads.get(rule, ()):
        for judgment in context.judgments.get(_tail(clause), ()):
            yield f"{s} {USED} {judgment}"


def scores_made(inside: str, rule: str, context: Context) -> Iterator[str]:
    """The scores (bare IRIs) a rule's points make: of the clauses it scores alone and of its
    indicator. Their nodes need no line of their own."""
    for clause in context.alone.get(rule, ()):
        yield f"{inside}score/clause/{_tail(clause)}"


def cases_made(inside: str, rule: str, context: Context) -> Iterator[str]:
    """The cases (bare IRIs) of a rule counting the evidence items: one for each item of the
    submission, named for it. They need no line of their own."""
    if context.items.get(rule) == '"evidence"':
        for item in context.evidence:
            yield f"{inside}case/{rule}/{item}"


def _case(s: str, inside: str, rest: list[str], context: Context) -> Iterator[str]:
    """A case's own lines, its branch's award, and the item it was made for (a fact its
    firing used; an evidence item is its own primary source)."""
    rule, key = rest
    firing = f"<{inside}firing/{rule}>"
    yield f"{s} {TYPE} {CASE}"
    yield f"{s} {GENERATED_BY} {firing}"
    branch = context.branches.get(s)
    if branch is not None and context.plan is not None:
        award = context.awards.get(f"{context.plan[:-1]}/rule/{rule}/branch/{branch[1:-1]}>")
        if award is not None:
            yield f"{s} {D_POINTS} {award}"
    items = context.items.get(rule)
    if items == '"evidence"' and key.startswith("evidence%3A"):
        fact = f"<{inside}fact/{key}>"
        yield f"{firing} {USED} {fact}"
        yield f"{fact} {PRIMARY_SOURCE} {fact}"
    elif items == '"operators"' and key.startswith("operator") and key[8:].isdigit():
        yield f"{firing} {USED} <{inside}fact/operator%3A{key[8:]}>"


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
    sole = context.sole.get(scored)
    if sole is not None:
        points = context.points.get(f"{a[:-1]}/firing/{sole}>")
        if points is not None:
            yield f"{s} {D_VALUE} {points}"
    for rule in context.scored_by.get(scored, ()):
        yield f"{s} {GENERATED_BY} {a[:-1]}/firing/{_tail(rule)}>"
    indicator = context.broader.get(scored)
    if indicator is not None:
        yield f"{a[:-1]}/score/indicator/{_tail(indicator)}> {DERIVED_FROM} {s}"


# The predicates Context.read learns from; a line with any other tells it nothing.
_TELLING = frozenset((HAD_PLAN, D_SYSTEM, D_IMPLEMENTS, D_CLAUSE_OF, D_READS_JUDGMENTS))
_TELLING |= {D_JUDGED_CLAUSE, D_MAX, D_POINTS, D_BRANCH, D_AWARD, D_SCORES_ALONE}
_TELLING |= {D_COUNTS_ITEMS, D_FIELD_PATH, D_VALUE}
# What the graphs an assessment uses tell, read once per process and graph (every assessment
# of a batch uses the same rule set graph): the context but what depends on the assessment,
# and the lines that may (read again for each).
_SHARED: dict[tuple[str, ...], tuple[Context, tuple[str, ...]]] = {}


def shared_context(assessment: str, shared: Iterable[str]) -> Context:
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


def read_lines(
    assessment: str,
    lines: Iterable[str],
    context: Context,
    terms: Iterable[tuple[str, str, str]] | None = None,
) -> tuple[list[str], dict[str, tuple[str, str, str]]]:
    """Read `lines` into `context`: the subject of each line (bare IRI), and the lines that
    told it something, each with its terms. `terms`, when given, are the lines' terms (so they
    need not be split again)."""
    subjects, told = [], {}
    if terms is None:
        pairs = ((line, line.split(" ", 2)) for line in lines)
    else:
        pairs = zip(lines, terms, strict=True)
    for line, (s, p, o) in pairs:
        subjects.append(s[1:-1])
        if p in _TELLING:
            context.read_terms(assessment, s, p, o)
            told[line] = (s, p, o)
    return subjects, told


def implied_lines(
    assessment: str,
    lines: Iterable[str],
    shared: Iterable[str] = (),
    terms: Iterable[tuple[str, str, str]] | None = None,
) -> set[str]:
    """The lines that the lines of the assessment `<assessment>` imply, with the lines of the
    graphs it uses (`shared`: its rule set graph's). `terms`, when given, are the lines' terms."""
    context = shared_context(assessment, shared)
    subjects, _told = read_lines(assessment, lines, context, terms)
    return set(implied(assessment, set(subjects), context))


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
