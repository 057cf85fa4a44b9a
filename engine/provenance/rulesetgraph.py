"""The rule set's graph: what every assessment under one version of a rule set's files shares
(each rule as a prov:Plan and the demozone agent's association with it, the clauses it scores
and the indicators they belong to), written once per store
and version of the files, never per assessment; a reader merges it into the assessment
(store.BaseStore.shared_quads)."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from demozone.provenance.terms import (
    AGENT_OF,
    ASSOCIATION,
    BUNDLE,
    D_AWARD,
    D_CLAUSE_OF,
    D_COUNTS_ITEMS,
    D_IMPLEMENTS,
    D_MAX,
    D_READS_JUDGMENTS,
    D_SCORES_ALONE,
    D_TRIPLE_COUNT,
    DEMOZONE,
    HAD_PLAN,
    ID,
    INTEGER_TYPE,
    PLAN,
    RULE,
    TYPE,
    Quad,
    node,
    nquads_text,
    nt_association_iri,
    nt_decimal,
    nt_iri,
    nt_literal,
    parse_nquads,
)
from demozone.rules import kinds

if TYPE_CHECKING:
    from demozone.rules.model import RuleSet
    from demozone.scoring.outcome import ScoreResult

RULE_SET_GRAPH_PREFIX = ID + "graph/ruleset/"
# Part of a rule set graph's name: a change to what the graph holds gives it a new name.
_RULE_SET_LAYOUT = "rules-v5"

# Which clauses of which indicators each rule scores, on which clauses it reads the assessors'
# judgments, and the most points of each indicator and first level: (kb system, ((indicator
# number, ((clause id, (ids of the rules scoring it)), ...)), ...), ((rule id, (clause ids
# judged)), ...), (("indicator" | "level", id, points), ...), ((rule id, items it counts or "",
# whether it scores each clause apart, ((branch name, award), ...)), ...)). It
# ties an assessment's clause scores to the firings that generate them and to its indicator
# scores, its firings to the judgments and items they use, and its cases' branches to their
# points (provenance.implied).
Structure = tuple[
    str,
    tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...],
    tuple[tuple[str, tuple[str, ...]], ...],
    tuple[tuple[str, str, Fraction], ...],
    tuple[tuple[str, str, bool, tuple[tuple[str, Fraction], ...]], ...],
]
# A branch name that is its own IRI segment and N-Triples literal text (every kind's are).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]+")


class RuleSetGraph:
    """The static descriptions every assessment under one version of a rule set's files shares:
    each rule as a prov:Plan and the demozone agent's association with it (`<rule>/association`,
    what a rule firing's prov:qualifiedAssociation names) and the `Structure` of its clauses,
    in one named graph sealed with its own dz:tripleCount. Named for the rule set, the sha256
    of its files and what it holds."""

    def __init__(
        self,
        rule_set: str,
        rule_ids: tuple[str, ...],
        files: tuple[tuple[str, str], ...],
        structure: Structure,
    ):
        lines = {line: None for line in static_lines(rule_set, rule_ids)}
        lines.update((line, None) for line in structure_lines(rule_set, structure))
        digest = hashlib.sha256(_RULE_SET_LAYOUT.encode())
        for name, sha256 in files:
            digest.update(f"\n{name}:{sha256}".encode())
        for line in sorted(lines):  # the kb's clauses may change under the same rule files
            digest.update(f"\n{line}".encode())
        self.iri = node("graph", "ruleset", rule_set, digest.hexdigest()[:16])
        self.lines = list(lines)  # the triples as N-Triples lines, without its own two
        lines[f"<{self.iri.value}> {TYPE} {BUNDLE}"] = None
        lines[f'<{self.iri.value}> {D_TRIPLE_COUNT} "{len(lines) + 1}"{INTEGER_TYPE}'] = None
        self.text = nquads_text(lines, f"<{self.iri.value}>")

    def quads(self) -> list[Quad]:
        return parse_nquads(self.text)


_KNOWN: dict[str, RuleSetGraph] = {}


def known_rule_set_graph(iri: str) -> RuleSetGraph | None:
    """A rule set graph this process built (the store adds it with the first assessment)."""
    return _KNOWN.get(iri)


def rule_set_graph(result: ScoreResult) -> RuleSetGraph | None:
    """The rule set graph of a score result (None for a result made without rule files), built
    once per process and version of the files: an edited rule file gets a new graph."""
    if not result.rule_files:
        return None
    structure = (
        result.system,
        tuple(
            (i.number, tuple((c.id, tuple(c.rules)) for c in i.clauses)) for i in result.indicators
        ),
        _judged(o.rule for i in result.indicators for o in i.rules),
        (
            *(("indicator", i.number, i.points) for i in result.indicators),
            *(("level", level.id, level.points) for level in result.first_level),
        ),
        _rules(o.rule for i in result.indicators for o in i.rules),
    )
    named = tuple(
        zip((Path(f).name for f in result.rule_files), result.rule_file_hashes, strict=True)
    )
    return _rule_set_graph(result.rule_set, _rule_ids(result), named, structure)


def rule_set_graph_of(rules: RuleSet, system) -> RuleSetGraph:
    """The rule set graph of the rule set `rules` scoring the knowledge-base `system`: the same
    graph as `rule_set_graph` of any result it scores."""
    infos = {info.number: info for info in system.indicators}
    structure = (
        system.id,
        tuple(
            (
                entry.number,
                tuple(
                    (c.id, tuple(r.id for r in entry.rules if c.id in r.implements()))
                    for c in infos[entry.number].clauses
                ),
            )
            for entry in rules.indicators
        ),
        _judged(rules.rules()),
        (
            *(("indicator", entry.number, entry.points) for entry in rules.indicators),
            *(("level", level.id, Fraction(level.points)) for level in system.first_level),
        ),
        _rules(r for entry in rules.indicators for r in entry.rules),
    )
    named = tuple(zip((Path(f).name for f in rules.files), rules.file_hashes, strict=True))
    return _rule_set_graph(rules.system, tuple(r.id for r in rules.rules()), named, structure)


@functools.lru_cache(maxsize=32)
def _rule_set_graph(rule_set: str, rule_ids: tuple[str, ...], files, structure) -> RuleSetGraph:
    graph = RuleSetGraph(rule_set, rule_ids, files, structure)
    _KNOWN[graph.iri.value] = graph
    return graph


def static_lines(rule_set: str, rule_ids) -> Iterator[str]:
    """What is the same in every assessment under the rule set: each rule, a prov:Plan, and the
    demozone agent's association with it."""
    for rule_id in rule_ids:
        plan = nt_iri("ruleset", rule_set, "rule", rule_id)
        association = nt_association_iri(rule_set, rule_id)
        yield f"{plan} {TYPE} {RULE}"
        yield f"{plan} {TYPE} {PLAN}"
        yield f"{association} {TYPE} {ASSOCIATION}"
        yield f"{association} {AGENT_OF} {DEMOZONE}"
        yield f"{association} {HAD_PLAN} {plan}"


def _judged(rules) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((r.id, tuple(sorted(kinds.of(r).judged_clauses(r)))) for r in rules)


def _rules(rules) -> tuple:
    return tuple(
        (r.id, r.items_of or "", bool(r.clauses), tuple((b.name, b.award) for b in r.branches))
        for r in rules
    )


def structure_lines(rule_set: str, structure: Structure) -> Iterator[str]:
    """Each clause with its indicator (dz:clauseOf: the knowledge base's skos:broader, said
    again here so that the knowledge base's triples are not repeated in a union of graphs) and
    each rule with the clauses it scores (dz:implements) and those whose judgments it reads
    (dz:readsJudgments) or scores alone, with its points (dz:scoresAlone), the most points of
    each indicator and first level in this rule set (`<rule set>/indicator/<number>`,
    `<rule set>/level/<id>`: dz:maxPoints), the items each rule counts and what each of its
    branches awards."""
    system, indicators, judged, maxima, rules = structure
    apart = {rule_id for rule_id, _items, each_clause, _branches in rules if each_clause}
    for number, clauses in indicators:
        indicator = nt_iri("system", system, "indicator", number)
        for clause_id, rule_ids in clauses:
            clause = nt_iri("system", system, "clause", clause_id)
            yield f"{clause} {D_CLAUSE_OF} {indicator}"
            for rule_id in rule_ids:
                yield f"{nt_iri('ruleset', rule_set, 'rule', rule_id)} {D_IMPLEMENTS} {clause}"
            if len(rule_ids) == 1 and rule_ids[0] not in apart:  # its score: the rule's points
                rule = nt_iri("ruleset", rule_set, "rule", rule_ids[0])
                yield f"{rule} {D_SCORES_ALONE} {clause}"
    yield from _rule_lines(rule_set, rules)
    for rule_id, clause_ids in judged:
        rule = nt_iri("ruleset", rule_set, "rule", rule_id)
        for clause_id in clause_ids:
            yield f"{rule} {D_READS_JUDGMENTS} {nt_iri('system', system, 'clause', clause_id)}"
    for kind, key, points in maxima:  # the rule set's own, as a variant may change them
        yield f"{nt_iri('ruleset', rule_set, kind, key)} {D_MAX} {nt_decimal(points)}"


def _rule_lines(rule_set: str, rules) -> Iterator[str]:
    """The items each rule counts (dz:countsItems) and the award of each of its branches
    (`<rule>/branch/<name>`, dz:award)."""
    for rule_id, items, _each_clause, branches in rules:
        rule = nt_iri("ruleset", rule_set, "rule", rule_id)
        if items:
            yield f"{rule} {D_COUNTS_ITEMS} {nt_literal(items)}"
        for name, award in branches:
            if says_award(name):
                branch = nt_iri("ruleset", rule_set, "rule", rule_id, "branch", name)
                yield f"{branch} {D_AWARD} {nt_decimal(award)}"


def says_award(branch: str) -> bool:
    """Whether a rule set graph says the award of a branch so named (its name is its own IRI
    segment and literal text, as every kind's branches are; `points_by` names are not)."""
    return _PLAIN_NAME.fullmatch(branch) is not None


def _rule_ids(result: ScoreResult) -> tuple[str, ...]:
    return tuple(o.rule.id for i in result.indicators for o in i.rules)
