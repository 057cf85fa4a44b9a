"""Which indicator and clause of one system corresponds to which of another.

Two systems of one lineage (a local decomposition and the system it `extends:`, a what-if rule
variant and the system it re-scores) correspond by number, through the knowledge base's `base`
fields where a variant renumbers. Systems of different lineages (a revision such as the 2024
draft of the 2022 trial) correspond by the similarity of their Chinese text: labels and clause
texts, one to one, above a threshold. Clauses left over on both sides are matched once more
across indicators, so a clause that moved into another indicator is found ("moves").
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx

from demozone.common.errors import InputError, Problem
from demozone.kb import load as kb
from demozone.kb.model import Indicator, System
from demozone.rules.load import available_rule_sets, needed_metrics, rule_file, rule_set_for
from demozone.rules.lookup import renumbering
from demozone.rules.model import RuleSet
from demozone.rules.sources import is_rule_path

# Below these similarities two texts are not taken for the same indicator or clause; a clause that
# moved to another indicator must be closer than one that stayed. Chosen on the 2022 trial against
# the 2024 draft, where the pairs a reader would draw score above them and the rest below.
INDICATOR_THRESHOLD = Fraction(1, 10)
CLAUSE_THRESHOLD = Fraction(3, 10)
MOVE_THRESHOLD = Fraction(1, 2)

ClausePair = tuple[str | None, str | None]


@dataclass(frozen=True)
class Side:
    """One system as the diff sees it: its rules and the knowledge-base system they score."""

    id: str
    rules: RuleSet
    kb: System


@dataclass(frozen=True)
class IndicatorPair:
    """An indicator of A and its counterpart in B; `a` is None if added, `b` None if removed.

    `how` is the way the two systems were matched ("number", "base" or "text"), `similarity`
    the text similarity for "text" (None otherwise), `clauses` the clause id pairs of the two
    indicators, matched the same way, with their similarities beside them.
    """

    a: str | None
    b: str | None
    how: str
    similarity: Fraction | None
    clauses: list[ClausePair] = field(default_factory=list)
    clause_similarity: list[Fraction | None] = field(default_factory=list)


@dataclass(frozen=True)
class ClauseMove:
    """A clause of A whose text reappears in another indicator of B (split or merged indicators)."""

    a_indicator: str
    a_clause: str
    b_indicator: str
    b_clause: str
    similarity: Fraction


@dataclass(frozen=True)
class Matching:
    """The correspondence of two systems: indicator pairs (A's order, added ones last) and moves."""

    a: str
    b: str
    how: str  # number | base | text
    pairs: list[IndicatorPair]
    moves: list[ClauseMove] = field(default_factory=list)

    def pair_for_a(self, number: str) -> IndicatorPair | None:
        return next((p for p in self.pairs if p.a == str(number)), None)

    def pair_for_b(self, number: str) -> IndicatorPair | None:
        return next((p for p in self.pairs if p.b == str(number)), None)

    def b_for_a(self, number: str) -> str | None:
        """B's number of A's indicator `number`, or None if B has no counterpart."""
        pair = self.pair_for_a(number)
        return pair.b if pair else None

    def a_for_b(self, number: str) -> str | None:
        pair = self.pair_for_b(number)
        return pair.a if pair else None

    def clause_b_for_a(self, clause_id: str) -> str | None:
        """B's id of A's clause: within the indicator pair, else where the clause moved; or None."""
        for pair in self.pairs:
            for a_clause, b_clause in pair.clauses:
                if a_clause == clause_id and b_clause is not None:
                    return b_clause
        move = next((m for m in self.moves if m.a_clause == clause_id), None)
        return move.b_clause if move else None


def known_systems() -> list[str]:
    return sorted(set(available_rule_sets()) | set(kb.load_kb().systems))


def load_side(system_id: str) -> Side:
    """A system by id: its rule set and knowledge-base system. InputError if either is unknown."""
    rules = (
        rule_set_for(system_id, renumbering=renumbering) if rule_file(system_id).exists() else None
    )
    system = kb.get_system(rules.kb_system or rules.system) if rules else None
    if rules is None or system is None:
        raise InputError(
            [
                Problem(
                    "system",
                    "",
                    f"unknown system {system_id!r}",
                    f"未知的指标体系 {system_id!r}",
                    expected=", ".join(known_systems()),
                )
            ]
        )
    return Side(rules.system if is_rule_path(system_id) else system_id, rules, system)


def match_systems(a: str, b: str) -> Matching:
    """Match the indicators and clauses of systems `a` and `b` (ids with rule files in rules/).

    By number within a lineage (through `base` for a renumbered variant), otherwise by text
    similarity, one to one. Deterministic. Raises InputError for an unknown system.
    """
    return match_sides(load_side(a), load_side(b))


def match_sides(a: Side, b: Side) -> Matching:
    root_a, numbers_a, clauses_a = lineage(a.kb)
    root_b, numbers_b, clauses_b = lineage(b.kb)
    if root_a == root_b:
        renumbered = any(k != v for m in (numbers_a, numbers_b) for k, v in m.items())
        how = "base" if renumbered else "number"
        pairs = _pairs_by_root(a.kb, b.kb, numbers_a, numbers_b, clauses_a, clauses_b, how)
        return Matching(a.id, b.id, how, pairs)
    pairs, moves = _pairs_by_text(a, b)
    return Matching(a.id, b.id, "text", pairs, moves)


# --- lineage -------------------------------------------------------------------------------------


def lineage(system: System) -> tuple[str, dict[str, str], dict[str, str]]:
    """The root of a system's `extends` chain, and its indicator and clause ids in the root's ids."""
    chain = [system]
    while chain[-1].extends and len(chain) <= len(kb.load_kb().systems):
        parent = kb.get_system(chain[-1].extends)
        if parent is None:
            break
        chain.append(parent)
    root = chain[-1]
    numbers = {i.number: i.number for i in root.indicators}
    clauses = {c.id: c.id for i in root.indicators for c in i.clauses}
    for child in reversed(chain[:-1]):
        numbers = {i.number: numbers[i.base] for i in child.indicators if i.base in numbers}
        clauses = {
            c.id: clauses[c.base] for i in child.indicators for c in i.clauses if c.base in clauses
        }
    return root.id, numbers, clauses


def _pairs_by_root(a, b, numbers_a, numbers_b, clauses_a, clauses_b, how) -> list[IndicatorPair]:
    b_by_root = {numbers_b[i.number]: i for i in b.indicators if i.number in numbers_b}
    pairs, seen_b = [], set()
    for ind in a.indicators:
        other = b_by_root.get(numbers_a.get(ind.number, ""))
        if other is not None:
            seen_b.add(other.number)
        clauses = _clause_pairs_by_root(ind, other, clauses_a, clauses_b)
        pairs.append(
            IndicatorPair(
                ind.number,
                other.number if other else None,
                how,
                None,
                clauses,
                [None] * len(clauses),
            )
        )
    for ind in b.indicators:
        if ind.number not in seen_b:
            clauses = [(None, c.id) for c in ind.clauses]
            pairs.append(IndicatorPair(None, ind.number, how, None, clauses, [None] * len(clauses)))
    return pairs


def _clause_pairs_by_root(a: Indicator, b: Indicator | None, roots_a, roots_b) -> list[ClausePair]:
    b_clauses = {roots_b.get(c.id): c.id for c in b.clauses} if b else {}
    pairs = []
    for clause in a.clauses:
        pairs.append((clause.id, b_clauses.pop(roots_a.get(clause.id), None)))
    pairs += [(None, c) for c in b_clauses.values()]
    return pairs


# --- text similarity ---------------------------------------------------------------------------

# Punctuation, digits and formula signs separate words: bigrams never span them.
_BREAK = re.compile(r"[\s，。、；：！？（）()《》“”\"'/*=+%％\-—–,.;:!?0-9≧≥≤<>]+")


def bigrams(text: str) -> Counter:
    """The character pairs of a Chinese text, counted, within runs of word characters."""
    counts: Counter = Counter()
    for run in _BREAK.split(text):
        counts.update(run[i : i + 2] for i in range(len(run) - 1))
    return counts


def weighted_similarity(x: Counter, y: Counter, weight: Callable[[str], Fraction]) -> Fraction:
    """Weighted Jaccard similarity of two bigram counts, in [0, 1], exact."""
    shared = sum((min(x[g], y[g]) * weight(g) for g in x.keys() & y.keys()), Fraction(0))
    total = sum((max(x[g], y[g]) * weight(g) for g in x.keys() | y.keys()), Fraction(0))
    return shared / total if total else Fraction(0)


def rarity(texts: Iterable[Counter]) -> Callable[[str], Fraction]:
    """1 / (number of texts holding the bigram): boilerplate such as 同比增速 or 得1分, common to
    many indicators, counts little; the words that tell indicators apart count fully."""
    df = Counter(g for counts in texts for g in counts)
    return lambda g: Fraction(1, df[g] or 1)


def indicator_text(indicator: Indicator) -> str:
    return "\n".join([indicator.label, *(c.text for c in indicator.clauses)])


def _pairs_by_text(a: Side, b: Side) -> tuple[list[IndicatorPair], list[ClauseMove]]:
    assigned = _indicators_by_text(a.kb, b.kb)
    clause_pairs = _clauses_by_text(a, b, {x: y for x, (y, _) in assigned.items()})
    pairs = []
    for ind in a.kb.indicators:
        other, similarity = assigned.get(ind.number, (None, None))
        found = {x: (y, s) for x, y, s in clause_pairs if x in _ids(ind) and y in _ids(b.kb, other)}
        clauses = [(c.id, found.get(c.id, (None,))[0]) for c in ind.clauses]
        similarities = [found.get(c.id, (None, None))[1] for c in ind.clauses]
        taken = {y for y, _ in found.values()}
        extra = [
            c.id for c in (b.kb.indicator(other).clauses if other else ()) if c.id not in taken
        ]
        pairs.append(
            IndicatorPair(
                ind.number,
                other,
                "text",
                similarity,
                clauses + [(None, c) for c in extra],
                similarities + [None] * len(extra),
            )
        )
    matched_b = {y for y, _ in assigned.values()}
    for ind in b.kb.indicators:
        if ind.number not in matched_b:
            clauses = [(None, c.id) for c in ind.clauses]
            pairs.append(
                IndicatorPair(None, ind.number, "text", None, clauses, [None] * len(clauses))
            )
    within = {(x, y) for p in pairs for x, y in p.clauses}
    owner_a, owner_b = _owners(a.kb), _owners(b.kb)
    moves = [
        ClauseMove(owner_a[x], x, owner_b[y], y, s)
        for x, y, s in clause_pairs
        if (x, y) not in within
    ]
    return pairs, moves


def _ids(system_or_indicator, number: str | None = None) -> set[str]:
    if isinstance(system_or_indicator, Indicator):
        return {c.id for c in system_or_indicator.clauses}
    ind = system_or_indicator.indicator(number) if number else None
    return {c.id for c in ind.clauses} if ind else set()


def _owners(system: System) -> dict[str, str]:
    return {c.id: i.number for i in system.indicators for c in i.clauses}


def _indicators_by_text(a: System, b: System) -> dict[str, tuple[str, Fraction]]:
    """Indicator pairs by label and text, each weighted by how rare its character pairs are."""
    sides = (("a", a), ("b", b))
    labels = {(s, i.number): bigrams(i.label) for s, sys in sides for i in sys.indicators}
    texts = {(s, i.number): bigrams(indicator_text(i)) for s, sys in sides for i in sys.indicators}
    label_weight, text_weight = rarity(labels.values()), rarity(texts.values())

    def score(x: str, y: str) -> Fraction:
        # the label and the whole text count alike: a kept label over rewritten clauses, or a
        # rewritten label over kept clauses, both still match
        return (
            weighted_similarity(labels["a", x], labels["b", y], label_weight)
            + weighted_similarity(texts["a", x], texts["b", y], text_weight)
        ) / 2

    return assign(
        [i.number for i in a.indicators],
        [i.number for i in b.indicators],
        score,
        INDICATOR_THRESHOLD,
    )


def _clauses_by_text(a: Side, b: Side, indicator_pairs: dict[str, str]):
    """One assignment of all clauses: within a matched indicator pair a clause needs
    CLAUSE_THRESHOLD, across indicators (a clause that moved) MOVE_THRESHOLD."""
    owner_a, owner_b = _owners(a.kb), _owners(b.kb)
    text_a = {c.id: c.text for i in a.kb.indicators for c in i.clauses}
    text_b = {c.id: c.text for i in b.kb.indicators for c in i.clauses}
    facts_a, facts_b = clause_facts(a.rules), clause_facts(b.rules)

    def score(x: str, y: str) -> Fraction:
        within = indicator_pairs.get(owner_a[x]) == owner_b[y]
        threshold = CLAUSE_THRESHOLD if within else MOVE_THRESHOLD
        similarity = clause_similarity(
            text_a[x],
            text_b[y],
            facts_a.get(x, frozenset()),
            facts_b.get(y, frozenset()),
            threshold,
        )
        return similarity if similarity >= threshold else Fraction(0)

    assigned = assign(list(text_a), list(text_b), score, Fraction(1, 10**6))
    return [(x, y, s) for x in text_a if x in assigned for y, s in [assigned[x]]]


def clause_similarity(x: str, y: str, facts_x: frozenset, facts_y: frozenset, floor=Fraction(0)):
    """The text similarity of two clauses (difflib's ratio, exact), raised to the mean of it and
    the overlap of the facts their rules read when that is higher: a clause scored from the same
    metrics stays the same clause through a rewording. Below `floor` the answer is only a bound."""
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    total = len(x) + len(y)
    shared = len(facts_x & facts_y)
    facts = Fraction(shared, len(facts_x | facts_y)) if shared else Fraction(0)
    # the quick upper bounds spare the full comparison of clauses that cannot reach the floor
    bound = Fraction(round(matcher.quick_ratio() * total), total) if total else Fraction(1)
    if max(bound, (bound + facts) / 2) < floor:
        return Fraction(0)
    blocks = sum(block.size for block in matcher.get_matching_blocks())
    text = Fraction(2 * blocks, total) if total else Fraction(1)
    return max(text, (text + facts) / 2)


def clause_facts(rules: RuleSet) -> dict[str, frozenset[str]]:
    """The facts each clause's rules read: metrics, and item fields such as operators.annual_sales."""
    facts: dict[str, set[str]] = {}
    for rule in rules.rules():
        read = needed_metrics(rule)
        read |= {f"{rule.items_of}.{f.field}" for f in rule.item_filters}
        read |= {f"{rule.items_of}.{f}={v}" for f, v in rule.item_equals}
        if rule.category_field:
            read.add(f"{rule.items_of}.{rule.category_field}")
        for clause in rule.implements():
            facts.setdefault(clause, set()).update(read)
    return {clause: frozenset(read) for clause, read in facts.items()}


def assign(
    left: list[str], right: list[str], score: Callable[[str, str], Fraction], threshold: Fraction
) -> dict[str, tuple[str, Fraction]]:
    """A one-to-one assignment maximising the total score over pairs scoring at least `threshold`.

    Deterministic: the graph is built in the given order and the weights are exact fractions.
    Returns left -> (right, score).
    """
    graph = nx.Graph()
    scores = {}
    for x in left:
        for y in right:
            value = score(x, y)
            if value >= threshold:
                scores[x, y] = value
                graph.add_edge(("a", x), ("b", y), weight=value)
    result = {}
    for u, v in nx.max_weight_matching(graph):
        (_, x), (_, y) = (u, v) if u[0] == "a" else (v, u)
        result[x] = (y, scores[x, y])
    return result
