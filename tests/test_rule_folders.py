"""A policy office's own rule files: `--rules DIR` (repeatable) and DEMOZONE_RULES on every verb
that takes a system, a rule file's path wherever a system id is, `systems` listing every rule
set, lint before diff and impact, and `unfix:` with its reason carried into lint, the diff memo
and every assessment's provenance (issue 16, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.api import assess, rule_sets, use_rules
from demozone.cli import main_group
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.terms import DZ

ROOT = Path(__file__).resolve().parent.parent
SUBMISSION = ROOT / "examples" / "national-2022" / "submission.yaml"
IMPACT = ROOT / "examples" / "impact"
REASON = "省级提高合格线，见某某文件"

VARIANT = f"""\
system: gansu-2022
extends: national-2022
kb_system: national-2022
title: 甘肃试行计分规则（示例）
unfix: {{pass_rule.total_at_least: "{REASON}"}}
pass_rule: {{total_at_least: 88}}
override:
  n22-3: {{bands: [{{from: "9%", to: "15%", points: 1}}, {{from: "15%", points: 2}}]}}
"""

RULE_TESTS = """\
system: national-2022
rules: gansu-2022
defaults: {region_class: central, years: [2023, 2024]}
tests:
  - name: "占比9%得1分"
    metrics: {online_operators: 1800, market_entities: 20000}
    expect: {"3": 1}
  - name: "占比8.5%不得分"
    metrics: {online_operators: 1700, market_entities: 20000}
    expect: {"3": 0}
"""


@pytest.fixture
def office(tmp_path: Path):
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "gansu-2022.yaml").write_text(VARIANT, "utf-8")
    (folder / "tests").mkdir()
    (folder / "tests" / "gansu.yaml").write_text(RULE_TESTS, "utf-8")
    yield folder
    use_rules(())  # what a test chose is not the next one's


def run(*args: str):
    return CliRunner().invoke(main_group, list(args))


def test_without_its_folder_a_variant_is_unknown_and_the_message_says_how(office):
    result = run("score", str(SUBMISSION), "--no-store", "--system", "gansu-2022")
    assert result.exit_code == 2
    assert "--rules" in result.stderr and "DEMOZONE_RULES" in result.stderr


def test_score_through_rules(office):
    near = str(IMPACT / "08-share-9-promote-80.yaml")  # 86 points: passes at 85, not at 88
    result = run(
        "score", near, "--no-store", "--json", "--rules", str(office), "--system", "gansu-2022"
    )
    assert result.exit_code == 0, result.output
    shaped = json.loads(result.stdout)
    assert shaped["rule_set"] == "gansu-2022" and shaped["system"] == "national-2022"
    assert shaped["total"] == 86 and shaped["passed"] is False
    assert any("88" in reason for reason in shaped["pass_reasons"])


def test_a_rule_file_path_is_taken_wherever_a_system_id_is(office):
    path = str(office / "gansu-2022.yaml")
    scored = run("score", str(SUBMISSION), "--no-store", "--json", "--system", path)
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["rule_set"] == "gansu-2022"
    diffed = run("diff", "national-2022", path, "--json")
    assert diffed.exit_code == 0, diffed.output
    assert json.loads(diffed.stdout)["b"]["id"] == "gansu-2022"


def test_the_environment_variable_names_rule_folders(office, monkeypatch):
    monkeypatch.setenv("DEMOZONE_RULES", f"/nonexistent:{office}")
    result = run("score", str(SUBMISSION), "--no-store", "--json", "--system", "gansu-2022")
    assert result.exit_code == 0, result.output
    found = next(r for r in rule_sets() if r["id"] == "gansu-2022")
    assert found["origin"] == "DEMOZONE_RULES"


def test_explain_through_rules(office):
    result = run(
        "explain",
        str(SUBMISSION),
        "-i",
        "3",
        "--json",
        "--rules",
        str(office),
        "--system",
        "gansu-2022",
    )
    assert result.exit_code == 0, result.output
    [tree] = json.loads(result.stdout)["indicators"]
    assert tree["rules"][0]["id"] == "n22-3"
    assert "9%" in json.dumps(tree["rules"], ensure_ascii=False)  # the variant's band


def test_diff_through_rules_shows_the_band_and_the_unfix_reason(office):
    result = run("diff", "national-2022", "gansu-2022", "--rules", str(office))
    assert result.exit_code == 0, result.output
    assert "8%–15% 1分，≥15% 2分 → 9%–15% 1分，≥15% 2分" in result.stdout
    assert f"有意修改的固定项（unfix） pass_rule.total_at_least, 理由: {REASON}" in result.stdout
    shaped = json.loads(
        run("diff", "national-2022", "gansu-2022", "--rules", str(office), "--json").stdout
    )
    assert shaped["b"]["unfixed"] == [{"entry": "pass_rule.total_at_least", "reason": REASON}]
    assert shaped["lint_errors"] == []


def test_impact_through_rules(office):
    files = [str(p) for p in sorted(IMPACT.glob("0[1-3]*.yaml"))]
    result = run("impact", "national-2022", "gansu-2022", *files, "--rules", str(office), "--json")
    assert result.exit_code == 0, result.output
    shaped = json.loads(result.stdout)
    assert shaped["b"] == "gansu-2022" and shaped["lint_errors"] == []


def test_lint_through_rules_reports_the_unfix_reason(office):
    result = run("lint", "gansu-2022", "--rules", str(office))
    assert result.exit_code == 0, result.output
    assert "[fixed-unfixed]" in result.stdout and REASON in result.stdout
    shaped = json.loads(run("lint", "gansu-2022", "--rules", str(office), "--json").stdout)
    [finding] = [f for f in shaped["reports"][0]["findings"] if f["code"] == "fixed-unfixed"]
    assert finding["severity"] == "warning" and REASON in finding["message_zh"]


def test_rule_tests_through_rules(office):
    result = run("test", str(office / "tests"), "--rules", str(office))
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.stdout


def test_systems_lists_every_variant_with_its_base_and_origin(office):
    result = run("systems", "--rules", str(office))
    assert result.exit_code == 0, result.output
    rows = {
        line.split()[0]: line
        for line in result.stdout.split("计分规则 rule sets")[1].splitlines()[2:]
    }
    assert {"national-2022-strict", "hejin-2023", "wanrong-2022", "gansu-2022"} <= set(rows)
    assert rows["national-2022-strict"].split()[1:4] == ["national-2022", "national-2022", "rules/"]
    assert rows["gansu-2022"].split()[1:4] == ["national-2022", "national-2022", "--rules"]
    assert REASON in rows["gansu-2022"]
    shaped = json.loads(run("systems", "--rules", str(office), "--json").stdout)
    mine = next(r for r in shaped["rule_sets"] if r["id"] == "gansu-2022")
    assert mine["extends"] == "national-2022" and mine["origin"] == "--rules"


def test_every_assessment_records_the_unfix_reason_in_its_provenance(office):
    use_rules([office])
    done = assess(SUBMISSION, system="gansu-2022", write=False)
    graph = AssessmentGraph("a-1", done.result, done.submission, done.receipt)
    unfixed = [q for q in graph.build() if q.predicate.value == DZ + "unfixed"]
    assert [q.object.value for q in unfixed] == [f"pass_rule.total_at_least: {REASON}"]
    assert unfixed[0].subject.value.endswith("ruleset/gansu-2022")


def test_a_fixed_entry_changed_without_unfix_is_an_error_that_says_how(office):
    (office / "silent.yaml").write_text(
        "system: silent\nextends: national-2022\nkb_system: national-2022\n"
        "pass_rule: {total_at_least: 88}\n",
        "utf-8",
    )
    result = run("lint", "silent", "--rules", str(office))
    assert result.exit_code == 1 and "[fixed-changed]" in result.stdout
    assert "unfix: {pass_rule.total_at_least:" in result.stdout


def test_an_unfix_of_nothing_fixed_is_an_error(office):
    (office / "odd.yaml").write_text(
        "system: odd\nextends: national-2022\nkb_system: national-2022\n"
        'unfix: {parameters.large_operator_sales: "理由"}\n',
        "utf-8",
    )
    result = run("lint", "odd", "--rules", str(office))
    assert result.exit_code == 1 and "[unfix-unknown]" in result.stdout


def test_an_unfix_without_a_reason_is_refused(office):
    (office / "bare.yaml").write_text(
        "system: bare\nextends: national-2022\nkb_system: national-2022\n"
        'unfix: {pass_rule.total_at_least: ""}\npass_rule: {total_at_least: 88}\n',
        "utf-8",
    )
    result = run("lint", "bare", "--rules", str(office))
    assert result.exit_code == 2 and "unfix" in result.stderr


def test_diff_and_impact_print_lint_errors_first(office):
    (office / "silent.yaml").write_text(
        "system: silent\nextends: national-2022\nkb_system: national-2022\n"
        "pass_rule: {total_at_least: 88}\n",
        "utf-8",
    )
    diffed = run("diff", "national-2022", "silent", "--rules", str(office))
    assert diffed.exit_code == 0 and "[fixed-changed]" in diffed.stderr
    impact = run(
        "impact",
        "national-2022",
        "silent",
        str(IMPACT / "01-strong.yaml"),
        "--rules",
        str(office),
        "--json",
    )
    assert impact.exit_code == 0, impact.output
    assert "[fixed-changed]" in impact.stderr
    assert [e["code"] for e in json.loads(impact.stdout)["lint_errors"]] == ["fixed-changed"]


def test_the_folders_of_one_command_are_not_the_next_ones(office):
    assert run("lint", "gansu-2022", "--rules", str(office)).exit_code == 0
    assert run("lint", "gansu-2022").exit_code == 2


def test_a_rules_folder_that_does_not_exist_is_a_usage_error(tmp_path):
    result = run("systems", "--rules", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
