"""The rule tests in data (rules/tests/*.yaml), scored by durable-rules and directly, and the
`demozone test` verb that runs them."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.policy.ruletests import load_rule_tests, rule_test_files, run_rule_test
from demozone.rules.kinds import KINDS
from demozone.rules.lookup import rules_of

FIXTURES = Path(__file__).parent / "fixtures" / "rule-tests"
TESTS = [t for f in rule_test_files() for t in load_rule_tests(f)]


def test_the_rule_test_files_hold_the_expected_number_of_cases():
    # a glob that silently finds nothing must fail (pySHACL's two lost years)
    assert {Path(t.file).name for t in TESTS} >= {
        "national-2022.yaml",
        "national-2024-draft.yaml",
        "national-2022-strict.yaml",
    }
    assert len(TESTS) >= 80


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
@pytest.mark.parametrize("engine", ["rete", "direct"])
def test_rule_test(test, engine, tmp_path):
    outcome = run_rule_test(test, engine, tmp_path)
    assert outcome.ok, f"{test.file}:{test.line}: {test.name}\n" + "\n".join(outcome.failures)


@pytest.mark.parametrize("system", ["national-2022", "national-2024-draft"])
def test_every_indicator_has_a_rule_test_where_it_scores(system):
    scored = {n for t in TESTS if t.rules == system for n, v in t.expect.items() if v > 0}
    assert {i.number for i in rules_of(system).indicators} <= scored


def test_every_rule_kind_has_rule_tests_on_both_sides():
    kinds_scored, kinds_zero = set(), set()
    for t in TESTS:
        for number, value in t.expect.items():
            kinds = {r.kind for r in rules_of(t.rules).indicator(number).rules}
            (kinds_scored if value > 0 else kinds_zero).update(kinds)
    every = set(KINDS)  # every registered kind
    assert every <= kinds_scored and every <= kinds_zero


def test_a_test_can_apply_a_variant_and_change_its_parameters():
    strict = [t for t in TESTS if Path(t.file).name == "national-2022-strict.yaml"]
    assert {t.rules for t in strict} == {"national-2022-strict", "national-2022"}
    changed = [t for t in strict if t.changes]
    assert changed and all(t.rule_set().system.startswith("national-2022-strict+") for t in changed)


def test_the_test_verb_passes_on_the_shipped_rule_tests():
    result = CliRunner().invoke(main_group, ["test", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["failed"] == 0 and report["passed"] == len(TESTS)


def test_the_test_verb_reports_a_wrong_expectation_and_exits_1():
    result = CliRunner().invoke(
        main_group, ["test", str(FIXTURES / "wrong-expectation.yaml"), "--engine", "both"]
    )
    assert result.exit_code == 1
    assert "wrong-expectation.yaml:4" in result.stdout
    assert "indicator 3: got 2, expected 1" in result.stdout
    assert "0 passed, 2 failed" in result.stdout


def test_the_test_verb_refuses_an_unreadable_test_file_with_exit_2():
    result = CliRunner().invoke(main_group, ["test", str(FIXTURES / "unknown-key.yaml")])
    assert result.exit_code == 2
    assert "metrcs" in result.output and "Traceback" not in result.output
