"""Variants of national-2022: the local decompositions score as the spec says, the what-if
national-2022-strict changes exactly what it declares, and provenance names the base."""

from fractions import Fraction
from pathlib import Path

import pytest
from rdflib import PROV

from demozone.api import kb_graph
from demozone.assessment.assess import assess, score_as
from demozone.common.errors import InputError
from demozone.common.vocab import DZ
from demozone.kb.graph import system_iri as kb_system_iri
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.terms import dz, node, system_iri
from demozone.rules.load import load_rule_set
from demozone.rules.lookup import renumbering, rules_of
from demozone.rules.units import responsible_units, units_source
from demozone.scoring.report import result_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NATIONAL = EXAMPLES / "national-2022" / "submission.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "variants"


def _scores(result) -> dict[str, str]:
    return {i["number"]: i["score"] for i in result_json(result)["indicators"]}


@pytest.mark.parametrize("variant", ["wanrong-2022", "liangdang-2022"])
def test_a_local_decomposition_scores_the_national_example_as_national_2022(variant):
    national = assess(NATIONAL, write=False).result
    local = assess(NATIONAL, system=variant, write=False).result
    assert (local.system, local.rule_set) == (variant, variant)
    assert _scores(local) == _scores(national)
    assert (local.total, local.passed) == (national.total, national.passed)


def test_hejin_scores_in_its_own_numbering_without_the_express_indicator():
    result = assess(EXAMPLES / "hejin-2023" / "submission.yaml", write=False).result
    assert (result.total, result.max_total, result.passed) == (88, 98, False)
    assert len(result.indicators) == 40
    # Hejin's 5 is national 6 (网络市场消费贡献度), its 40 is national 41
    assert (result.indicator("5").base, result.indicator("5").label) == ("6", "网络市场消费贡献度")
    assert result.indicator("5").clauses[0].id == "5.1"
    assert result.indicator("40").base == "41"
    assert result.indicator("41") is None


def test_the_strict_variant_scores_the_national_example_under_its_own_name():
    national = assess(NATIONAL, write=False).result
    strict = assess(NATIONAL, system="national-2022-strict", write=False).result
    assert (strict.system, strict.rule_set) == ("national-2022", "national-2022-strict")
    # 青岚县's operator share is above 10% and its weakest first-level rates are exactly 80%,
    # so the stricter reading changes nothing for it (the boundary is in the rule tests).
    assert _scores(strict) == _scores(national)
    assert min(level.rate for level in strict.first_level) == Fraction(4, 5)
    assert (strict.total, strict.passed) == (90, True)


def test_rules_for_another_knowledge_base_system_are_refused():
    submission = assess(NATIONAL, write=False).submission
    with pytest.raises(InputError) as err:
        score_as(submission, "national-2024-draft")
    assert "national-2024-draft" in str(err.value.problems[0].message)


@pytest.mark.parametrize(
    ("system", "path"),
    [
        ("wanrong-2022", NATIONAL),
        ("national-2022-strict", NATIONAL),
        (None, EXAMPLES / "hejin-2023" / "submission.yaml"),
    ],
)
def test_an_assessments_provenance_names_the_base_rule_set_and_the_system(system, path):
    assessment = assess(path, system=system, write=False)
    result = assessment.result
    quads = AssessmentGraph("a1", result, assessment.submission, assessment.receipt).build()
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    plan = node("ruleset", result.rule_set)
    assert (plan, dz("variantOf"), node("ruleset", "national-2022")) in triples
    assert (plan, dz("system"), system_iri(result.system)) in triples


def test_the_knowledge_base_graph_holds_the_lineage_of_the_systems():
    graph = kb_graph()
    national = kb_system_iri("national-2022")
    for local in ("wanrong-2022", "liangdang-2022", "hejin-2023"):
        assert (kb_system_iri(local), DZ.extends, national) in graph
    assert (kb_system_iri("national-2024-draft"), PROV.wasRevisionOf, national) in graph


def test_responsible_units_come_from_the_decomposition_unless_the_rules_restate_them():
    wanrong = rules_of("wanrong-2022")
    assert responsible_units(wanrong, "3") == ("县市场监管局", "县行政审批局")
    assert units_source(wanrong, "3") == "kb"
    assert responsible_units(rules_of("national-2022"), "3") == ()
    what_if = load_rule_set(FIXTURES / "wanrong-2022-units.yaml")
    assert responsible_units(what_if, "3") == ("县商务局",)
    assert units_source(what_if, "3") == "rules"
    assert responsible_units(what_if, "4") == responsible_units(wanrong, "4")


def test_units_for_an_indicator_the_rule_set_lacks_are_refused(tmp_path):
    path = tmp_path / "bad-units.yaml"
    path.write_text(
        "system: bad-units\nextends: hejin-2023\nunits:\n  '41': [县商务局]\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_rule_set(path, renumbering=renumbering)
    assert [p.path for p in err.value.problems] == ["units.41"]
