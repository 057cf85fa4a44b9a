"""The scenario tests in rules/tests/*.yaml, scored by the durable-rules engine and directly."""

from pathlib import Path

import pytest

from demozone.assess import renumbering
from demozone.kb import get_system
from demozone.numbers import fmt_points
from demozone.rules import rule_set_for
from demozone.scoring import score
from demozone.submission import catalog_from_kb, load_submission

from .scenarios import load_scenarios, scenario_files, write_document

RULES = Path(__file__).resolve().parent.parent / "rules"
SCENARIOS = [s for f in scenario_files(RULES) for s in load_scenarios(f)]


def test_the_scenario_files_hold_the_expected_number_of_cases():
    # a glob that silently finds nothing must fail (pySHACL's two lost years)
    assert {Path(s.file).name for s in SCENARIOS} >= {
        "national-2022.yaml",
        "national-2024-draft.yaml",
    }
    assert len(SCENARIOS) >= 60


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
@pytest.mark.parametrize("engine", ["rete", "direct"])
def test_scenario(scenario, engine, tmp_path):
    submission = load_submission(write_document(scenario.document, tmp_path), catalog_from_kb())
    rule_set = rule_set_for(scenario.system, renumbering=renumbering)
    result = score(rule_set, get_system(scenario.system), submission, engine)
    got = {n: result.indicator(n).score for n in scenario.expect}
    assert got == scenario.expect, f"{scenario.file}: {scenario.name}\n" + "\n".join(
        f"  indicator {n}: got {fmt_points(got[n])}, expected {fmt_points(scenario.expect[n])}; "
        f"reasons: {result.indicator(n).reasons}"
        for n in scenario.expect
        if got[n] != scenario.expect[n]
    )


@pytest.mark.parametrize("system", ["national-2022", "national-2024-draft"])
def test_every_indicator_has_a_scenario_where_it_scores(system):
    rule_set = rule_set_for(system, renumbering=renumbering)
    scored = {n for s in SCENARIOS if s.system == system for n, v in s.expect.items() if v > 0}
    assert {i.number for i in rule_set.indicators} <= scored


def test_every_rule_kind_has_scenarios_on_both_sides():
    kinds_scored, kinds_zero = set(), set()
    for s in SCENARIOS:
        rule_set = rule_set_for(s.system, renumbering=renumbering)
        for number, value in s.expect.items():
            kinds = {r.kind for r in rule_set.indicator(number).rules}
            (kinds_scored if value > 0 else kinds_zero).update(kinds)
    every = {"yearly_comparison", "ratio_bands", "conditions", "judged", "any_judged", "items"}
    assert every <= kinds_scored and every <= kinds_zero
