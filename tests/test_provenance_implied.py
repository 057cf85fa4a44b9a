"""The store holds an assessment without the triples its IRIs imply (provenance.implied), and a
reader gets the graph back whole: for every example, as built, as stored and as read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from demozone.assessment.assess import load_for_scoring
from demozone.provenance.compact import stored
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.implied import implied_lines, with_implied
from demozone.provenance.receipt import receipt
from demozone.provenance.terms import nquads_text, parse_nquads
from demozone.scoring.aggregate import score

from .conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module", params=list(EXAMPLES))
def built(request) -> AssessmentGraph:
    submission, rules, system = load_for_scoring(EXAMPLES[request.param])
    result = score(rules, system, submission, "rete")
    return AssessmentGraph("implied", result, submission, receipt(submission, rules))


def _read_back(built: AssessmentGraph, quads) -> set:
    """The assessment's triples as assessment.resolve reads them: with its rule set graph."""
    shared = [q for _iri, graph in built.shared() for q in graph]
    return {q.triple for q in with_implied(quads + shared) if q.graph_name == built.iri}


def test_the_stored_graph_read_with_what_it_implies_is_the_graph_built(built):
    whole = parse_nquads(nquads_text(built.lines(), f"<{built.iri.value}>"))
    assert len(built.stored_lines()) < len(built.lines())
    assert _read_back(built, built.build()) == {q.triple for q in whole}


def test_the_graph_keeps_the_lines_stored_keeps_from_its_text_alone(built):
    """AssessmentGraph hands `stored` each line's terms as it built them; split from the lines'
    text instead, they must leave out the same lines."""
    shared = built.rule_set_graph.lines if built.rule_set_graph is not None else ()
    assert built.stored_lines() == stored(built.iri.value, built.lines(), shared)


def test_a_graph_stored_whole_reads_the_same(built):
    """Assessments recorded before this layout hold their implied triples themselves."""
    whole = parse_nquads(nquads_text(built.lines(), f"<{built.iri.value}>"))
    assert _read_back(built, whole) == {q.triple for q in whole}


def test_a_case_that_compared_nothing_keeps_a_line_to_be_found_by():
    a = "https://w3id.org/demozone/id/assessment/x"
    plan = "<https://w3id.org/demozone/id/ruleset/r>"
    case, firing = f"<{a}/case/r1/k>", f"<{a}/firing/r1>"
    base = [
        f"<{a}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/demozone/def#Assessment>",
        f"<{a}/association> <http://www.w3.org/ns/prov#hadPlan> {plan}",
        f"{firing} <https://w3id.org/demozone/def#points> <x:o>",
    ]
    # the case has no line but those its IRI implies
    lines = base + sorted(implied_lines(a, [*base, f"{case} <x:p> <x:o>"]))
    kept = stored(a, lines)
    assert any(line.startswith(case) for line in kept)
    assert set(kept) | implied_lines(a, kept) == set(lines)


def test_a_graph_that_would_not_come_back_whole_is_stored_as_built():
    a = "https://w3id.org/demozone/id/assessment/x"
    # a firing the layout would type dz:RuleFiring, typed otherwise: nothing can be left out
    lines = [
        f"<{a}/firing/r1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <x:Other>",
        f"<{a}/firing/r1> <http://www.w3.org/ns/prov#wasInformedBy> <{a}>",
    ]
    assert stored(a, lines) == lines


def _every_rule_set_and_outcome() -> list[tuple[Path, str | None]]:
    """The national example under each national-2022 rule set, the county example, and the
    impact cases (zero scores, missing facts, failed levels)."""
    national, county = (
        EXAMPLES["national-2022"],
        ROOT / "examples" / "hejin-2023" / "submission.yaml",
    )
    variants = (None, "national-2022-strict", "wanrong-2022", "liangdang-2022")
    impact = sorted((ROOT / "examples" / "impact").glob("*.yaml"))
    return [(national, v) for v in variants] + [(county, None)] + [(p, None) for p in impact]


@pytest.mark.parametrize(
    ("path", "system"), _every_rule_set_and_outcome(), ids=lambda x: getattr(x, "stem", x)
)
def test_every_rule_set_and_outcome_is_stored_compact_and_read_back_whole(path, system):
    """What the rule set graph lets the store leave out (case points, clauses one rule scores
    alone, the items a counting rule used) holds by how the graph is built, for every kind of
    rule and outcome: the stored graph reads back as the graph built."""
    submission, rules, kb_system = load_for_scoring(path, system)
    result = score(rules, kb_system, submission, "rete")
    built = AssessmentGraph("every", result, submission, receipt(submission, rules))
    whole = parse_nquads(nquads_text(built.lines(), f"<{built.iri.value}>"))
    assert len(built.stored_lines()) < 0.5 * len(built.lines())
    assert _read_back(built, built.build()) == {q.triple for q in whole}
