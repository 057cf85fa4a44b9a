"""The rule set's graph: what every assessment under one version of a rule set's files shares
(each rule as a prov:Plan and the demozone agent's association with it), written once per store
and version of the files, never per assessment; a reader merges it into the assessment
(store.BaseStore.shared_quads)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from demozone.provenance.terms import (
    AGENT_OF,
    ASSOCIATION,
    BUNDLE,
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
    nt_iri,
    parse_nquads,
)

if TYPE_CHECKING:
    from demozone.scoring.outcome import ScoreResult

RULE_SET_GRAPH_PREFIX = ID + "graph/ruleset/"
# Part of a rule set graph's name: a change to what the graph holds gives it a new name.
_RULE_SET_LAYOUT = "rules-v1"


class RuleSetGraph:
    """The static descriptions every assessment under one version of a rule set's files shares:
    each rule as a prov:Plan and the demozone agent's association with it (`<rule>/association`,
    what a rule firing's prov:qualifiedAssociation names), in one named graph sealed with
    its own dz:tripleCount. Named for the rule set and the sha256 of its files."""

    def __init__(
        self, rule_set: str, rule_ids: tuple[str, ...], files: tuple[tuple[str, str], ...]
    ):
        digest = hashlib.sha256(_RULE_SET_LAYOUT.encode())
        for name, sha256 in files:
            digest.update(f"\n{name}:{sha256}".encode())
        self.iri = node("graph", "ruleset", rule_set, digest.hexdigest()[:16])
        lines = {line: None for line in static_lines(rule_set, rule_ids)}
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
    return rule_set_graph_of(
        result.rule_set, _rule_ids(result), result.rule_files, result.rule_file_hashes
    )


def rule_set_graph_of(rule_set: str, rule_ids, files, hashes) -> RuleSetGraph:
    """The rule set graph of rule set `rule_set`: its rules' ids, in order, and its files with
    the sha256 of each as it was read (RuleSet.file_hashes)."""
    named = tuple(zip((Path(f).name for f in files), hashes, strict=True))
    return _rule_set_graph(rule_set, tuple(rule_ids), named)


@functools.lru_cache(maxsize=32)
def _rule_set_graph(rule_set: str, rule_ids: tuple[str, ...], files) -> RuleSetGraph:
    graph = RuleSetGraph(rule_set, rule_ids, files)
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


def _rule_ids(result: ScoreResult) -> tuple[str, ...]:
    return tuple(o.rule.id for i in result.indicators for o in i.rules)
