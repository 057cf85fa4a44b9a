"""The triples an assessment of the national-2022 example costs in the store (the lines its IRIs
do not imply: provenance.implied), held to a budget by predicate and by kind of subject
(provenance.shape): the store indexes every triple six times, so a layout that grows shows here. Lower a ceiling when a change saves triples; raising one needs a reason
in the commit. Issue 14's target is at most 1,200 triples per national-2022 assessment."""

from __future__ import annotations

import pytest

from demozone.assessment.assess import load_for_scoring
from demozone.common.vocab import DZ, PROV, RDF, RDFS
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.receipt import receipt
from demozone.provenance.shape import triple_shape
from demozone.scoring.aggregate import score

from .conftest import EXAMPLES

TOTAL = 940  # the example's assessment as stored, the rule set graph's triples apart

BY_SUBJECT = {
    "fact": 403,
    "case": 265,
    "firing": 130,
    "score": 66,
    "receipt": 49,
    "assessment": 14,
    "submission": 4,
    "association": 3,
    "ruleset": 3,
    "assessor": 3,
}

BY_PREDICATE = {
    RDF.type: 11,
    DZ.value: 340,
    PROV.wasGeneratedBy: 0,
    PROV.used: 57,
    DZ.fieldPath: 49,
    DZ.points: 75,
    RDFS.label: 141,
    DZ.judgedClause: 0,
    PROV.wasAttributedTo: 0,
    PROV.hadPrimarySource: 94,
    DZ.clause: 0,
    DZ.indicator: 0,
    PROV.wasDerivedFrom: 0,
    PROV.qualifiedAssociation: 1,
    PROV.wasInformedBy: 0,
    DZ.maxPoints: 1,
    DZ.branch: 75,
}


@pytest.fixture(scope="module")
def example() -> tuple[list[str], dict]:
    submission, rules, system = load_for_scoring(EXAMPLES["national-2022"])
    result = score(rules, system, submission, "rete")
    graph = AssessmentGraph("budget", result, submission, receipt(submission, rules))
    lines = graph.stored_lines()
    return lines, triple_shape(lines, graph.iri.value)


def test_the_example_assessment_stays_within_its_triple_budget(example):
    lines, _shape = example
    assert len(lines) <= TOTAL


def test_each_kind_of_node_stays_within_its_budget(example):
    _lines, shape = example
    over = {k: n for k, n in shape["subject"].items() if n > BY_SUBJECT.get(k, 0)}
    assert not over, f"more triples than budgeted (or a new kind of node): {over}"


def test_each_predicate_stays_within_its_budget(example):
    lines, shape = example
    budget = {str(p): n for p, n in BY_PREDICATE.items()}
    over = {p: n for p, n in shape["predicate"].items() if p in budget and n > budget[p]}
    assert not over, f"more triples than budgeted: {over}"
    assert sum(shape["predicate"].values()) == len(lines)
