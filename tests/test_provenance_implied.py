"""The store holds an assessment without the triples its IRIs imply (provenance.implied), and a
reader gets the graph back whole: for every example, as built, as stored and as read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demozone.assessment.assess import load_for_scoring
from demozone.provenance.compact import kept_if_whole, stored
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.implied import implied_lines, with_implied
from demozone.provenance.receipt import receipt
from demozone.provenance.terms import nquads_text, parse_nquads
from demozone.rules.lookup import rules_of
from demozone.scoring.aggregate import score
from demozone.submission.synthetic import synthetic_document

from .conftest import EXAMPLES, ROOT

SYSTEMS = ("national-2022", "national-2024-draft", "hejin-2023", "liangdang-2022", "wanrong-2022")


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
    """AssessmentGraph keeps the lines it did not expect to be implied, when they bring the
    graph back; `stored`, reading the lines' text alone, must leave out the same lines. (A set:
    a graph's lines have no order, and the content digest sorts them.)"""
    shared = built.rule_set_graph.lines if built.rule_set_graph is not None else ()
    kept = built.stored_lines()
    assert len(kept) == len(set(kept))
    assert set(kept) == set(stored(built.iri.value, built.lines(), shared))


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_builder_foresees_what_every_system_implies(system, tmp_path):
    """The lines the builder adds with `imply` are those the store leaves out, for synthetic
    submissions of every system (missing facts, counted items, awards by an item's field): the
    check of its choice is the cheap one, and keeps what `stored` keeps."""
    rules = rules_of(system)
    for seed in range(12):
        path = tmp_path / f"{seed}.json"
        path.write_text(json.dumps(synthetic_document(rules, seed), ensure_ascii=False), "utf-8")
        submission, rules_read, kb_system = load_for_scoring(path)
        result = score(rules_read, kb_system, submission, "rete")
        built = AssessmentGraph(f"s{seed}", result, submission, receipt(submission, rules_read))
        lines, shared = built.lines(), built.rule_set_graph.lines
        kept = [line for line in lines if line not in built._implied]
        terms = [tuple(line.split(" ", 2)) for line in kept]
        assert kept_if_whole(built.iri.value, kept, terms, lines, shared) == kept
        assert set(kept) == set(stored(built.iri.value, lines, shared))


def test_a_line_wrongly_expected_implied_is_stored_all_the_same(built):
    """Were the builder to expect a line the others do not imply (here a firing's points),
    the cheap check fails and the store keeps it: the graph still reads back whole."""
    whole = built.lines()
    points = next(line for line in whole if "/firing/" in line and "#points>" in line)
    built._implied.add(points)
    try:
        assert points in built.stored_lines()
        assert _read_back(built, built.build()) == {
            q.triple for q in parse_nquads(nquads_text(whole, f"<{built.iri.value}>"))
        }
    finally:
        built._implied.discard(points)


def test_kept_lines_that_do_not_bring_the_graph_back_are_refused():
    a = "https://w3id.org/demozone/id/assessment/x"
    informed = f"<{a}/firing/r1> <http://www.w3.org/ns/prov#wasInformedBy> <{a}>"
    firing = f"<{a}/firing/r1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    typed, other = firing + "<https://w3id.org/demozone/def#RuleFiring>", firing + "<x:Other>"

    def terms(lines):
        return [tuple(line.split(" ", 2)) for line in lines]

    # the firing's type is implied by its IRI: one line brings back both
    assert kept_if_whole(a, [informed], terms([informed]), [typed, informed]) == [informed]
    # typed otherwise, its lines imply a type the graph does not have
    assert kept_if_whole(a, [other], terms([other]), [other, informed]) is None
    assert kept_if_whole(a, [other, informed], terms([other, informed]), [other, informed]) is None


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
