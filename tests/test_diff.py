"""`demozone diff A B`: the matching of two systems, the semantic diff, the memo, JSON and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.policy.diff.memo import render_memo
from demozone.policy.diff.systems import diff_systems, match_systems


def run(*args: str):
    return CliRunner().invoke(main_group, list(args))


@pytest.fixture(scope="module")
def trial_to_draft():
    return diff_systems("national-2022", "national-2024-draft")


def _one(changes, **fields):
    found = [c for c in changes if all(getattr(c, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, found)
    return found[0]


# --- national-2022 -> national-2024-draft: the three items of the issue, and the rest ----------


def test_the_draft_raises_the_first_level_pass_rate_from_75_to_80_percent(trial_to_draft):
    change = _one(trial_to_draft.pass_rule, topic="pass_rule")
    assert (change.before.zh, change.after.zh) == ("≥75%", "≥80%")
    assert "每个一级指标得分率≧75%" in change.quote_a
    assert "每个一级指标得分率≧80%" in change.quote_b
    assert "每个一级指标得分率：≥75% → ≥80%" in render_memo(trial_to_draft)


def test_the_draft_drops_comprehensive_support_as_a_first_level_indicator(trial_to_draft):
    removed = [c for c in trial_to_draft.levels if c.topic == "level_removed" and c.scoring]
    assert [c.level_a for c in removed] == ["support"]
    assert "删除一级指标「综合保障」（15分）" in render_memo(trial_to_draft)
    # the draft has no second levels at all; first levels that stay change in points
    assert len([c for c in trial_to_draft.levels if c.topic == "level_removed"]) == 11
    points = {
        c.level_b: (c.before.zh, c.after.zh)
        for c in trial_to_draft.levels
        if c.topic == "level_points"
    }
    assert points == {"regulate": ("25分", "30分"), "serve": ("20分", "30分")}


def test_the_operator_share_bands_change_from_two_to_three(trial_to_draft):
    change = _one(trial_to_draft.changes(), topic="bands")
    assert (change.rule_a, change.rule_b) == ("n22-3", "n24-3-1")
    assert (change.clause_a, change.clause_b) == ("3.1", "3.1")
    assert change.before.zh == "8%–15% 1分，≥15% 2分"
    assert change.after.zh == "6%–10% 1分，10%–15% 2分，≥15% 3分"
    assert change.line().zh == "分档：8%–15% 1分，≥15% 2分 → 6%–10% 1分，10%–15% 2分，≥15% 3分"
    assert "占比8%-15%得1分，15%以上得2分" in change.quote_a
    assert "占比6%-10%得1分，10%-15%得2分，15%以上得3分" in change.quote_b
    memo = render_memo(trial_to_draft)
    assert "分档：8%–15% 1分，≥15% 2分 → 6%–10% 1分，10%–15% 2分，≥15% 3分" in memo
    en = render_memo(trial_to_draft, "en")
    assert "bands: 8%–15% 1 pt, ≥15% 2 pts → 6%–10% 1 pt, 10%–15% 2 pts, ≥15% 3 pts" in en


def test_operators_thresholds_comparators_caps_and_region_classes_are_named(trial_to_draft):
    changes = trial_to_draft.changes()
    thresholds = [c for c in changes if c.topic == "threshold" and c.rule_a == "n22-25-1"]
    assert [(c.before.zh, c.after.zh) for c in thresholds] == [("95%", "99%"), ("95%", "99%")]
    operator = _one(changes, topic="compare", rule_b="n24-18")
    assert (operator.before.zh, operator.after.zh) == (">（超过）", ">=（达到）")
    comparator = _one(changes, topic="comparator", rule_b="n24-18")
    assert (comparator.before.zh, comparator.after.zh) == ("全国ODR单位按时办结率", "98%")
    cap = _one(changes, topic="cap", rule_a="n22-1")
    assert (cap.before.zh, cap.after.zh) == ("2分", "3分")
    region = _one(changes, topic="region_class")
    assert region.before.zh.count(">=") == 3 and "东北地区 >= 0.5" in region.after.zh
    tiers = _one(changes, topic="tiers")
    assert tiers.after.zh == "每项0.5分"
    points = _one(changes, topic="points", a="1", b="1")
    assert (points.before.zh, points.after.zh) == ("2分", "3分")


def test_indicators_added_and_removed_carry_their_clause_text(trial_to_draft):
    express = trial_to_draft.indicator("5")
    assert express.status == "removed" and express.label_a == "快递业务同比增速"
    assert "快递业务同比增速超过全国快递业务同比增速" in express.clauses[0].text_a
    added = {i.pair.b for i in trial_to_draft.indicators if i.status == "added"}
    assert added == {"4", "5", "6", "9", "14", "19"}
    memo = render_memo(trial_to_draft)
    assert "删除的指标" in memo and "新增的指标" in memo
    assert "指标19「放心消费建设」（6分；优化服务）" in memo


def test_text_matching_is_one_to_one_with_similarities_and_finds_moved_clauses():
    matching = match_systems("national-2022", "national-2024-draft")
    assert matching.how == "text"
    assert [p.a for p in matching.pairs if p.a] == [str(n) for n in range(1, 42)]
    bs = sorted((p.b for p in matching.pairs if p.b), key=int)
    assert bs == [str(n) for n in range(1, 26)]  # every indicator of B exactly once
    assert matching.b_for_a("14") == "10" and matching.b_for_a("35") is None
    assert matching.a_for_b("19") is None
    pair = matching.pair_for_a("14")
    assert pair.how == "text" and Fraction(1, 2) < pair.similarity <= 1
    assert pair.clauses == [("14.1", "10.1"), ("14.2", "10.2"), ("14.3", "10.3")]
    # a clause that moved to another indicator of the draft is still found
    assert matching.clause_b_for_a("40.1") == "7.1"
    assert matching.clause_b_for_a("3.1") == "3.1"
    assert matching.clause_b_for_a("5.1") is None


def test_matching_does_not_depend_on_the_hash_seed(trial_to_draft):
    code = (
        "import json; from demozone.policy.diff.systems import diff_systems; "
        "print(json.dumps(diff_systems('national-2022', 'national-2024-draft').to_dict(), "
        "ensure_ascii=False, default=str))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "4242")
    }
    expected = json.dumps(trial_to_draft.to_dict(), ensure_ascii=False, default=str) + "\n"
    assert outputs == {expected}


def test_changes_for_names_the_changes_of_an_indicator_pair_and_of_its_moved_clauses(
    trial_to_draft,
):
    # A's indicator 3 has no counterpart of its own: its clause moved into B's indicator 3
    assert trial_to_draft.matching.b_for_a("3") is None
    topics = [c.topic for c in trial_to_draft.changes_for("3", None)]
    assert topics[0] == "indicator_removed" and "bands" in topics
    # B's indicator 3 is A's 4 plus A's clause 3.1: both sets of changes concern it
    topics = {c.topic for c in trial_to_draft.changes_for("4", "3")}
    assert {"bands", "tiers", "points", "label"} <= topics
    assert all(c.text.zh and c.text.en for c in trial_to_draft.changes_for("4", "3"))


# --- variants of one lineage ---------------------------------------------------------------------


def test_wanrong_scores_as_the_trial_system_and_differs_only_in_responsible_units():
    diff = diff_systems("wanrong-2022", "national-2022")
    assert [c for c in diff.changes() if c.scoring] == []
    assert {p.how for p in diff.matching.pairs} == {"number"}
    assert all(p.a == p.b for p in diff.matching.pairs)
    units = _one(diff.changes(), topic="units", a="1")
    assert (units.before.zh, units.after.zh) == ("县统计局、县工科局", "未列明")


def test_hejin_lacks_the_express_indicator_and_is_renumbered_from_5_on():
    diff = diff_systems("hejin-2023", "national-2022")
    matching = diff.matching
    assert matching.how == "base"
    assert matching.b_for_a("4") == "4" and matching.b_for_a("5") == "6"
    assert matching.b_for_a("40") == "41" and matching.clause_b_for_a("5.1") == "6.1"
    assert matching.a_for_b("5") is None
    scoring = [c for c in diff.changes() if c.scoring]
    assert [(c.topic, c.b) for c in scoring] == [("indicator_added", "5")]
    memo = render_memo(diff)
    assert "A的指标5–40对应B的指标6–41" in memo
    assert "指标5「快递业务同比增速」（2分；促进发展 / 发展规模）" in memo
    reverse = diff_systems("national-2022", "hejin-2023")
    removed = [c for c in reverse.changes() if c.scoring]
    assert [(c.topic, c.a) for c in removed] == [("indicator_removed", "5")]


def test_the_strict_what_if_differs_from_the_trial_in_exactly_the_pass_rate_and_one_band():
    diff = diff_systems("national-2022-strict", "national-2022")
    assert diff.a.kb.id == "national-2022"
    changes = diff.changes()
    assert [(c.topic, c.before.zh, c.after.zh) for c in changes] == [
        ("pass_rule", "≥80%", "≥75%"),
        ("bands", "10%–15% 1分，≥15% 2分", "8%–15% 1分，≥15% 2分"),
    ]
    assert changes[1].a == changes[1].b == "3"


# --- the machine shape and the command -----------------------------------------------------------


def test_json_has_a_stable_shape_with_numbers_as_strings():
    result = run("diff", "national-2022-strict", "national-2022", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {
        "a", "b", "how", "summary", "pass_rule", "levels", "indicators", "moves", "lint_errors",
    }  # fmt: skip
    assert doc["lint_errors"] == [] and doc["a"]["unfixed"] == []
    assert doc["a"]["id"] == "national-2022-strict" and doc["a"]["kb_system"] == "national-2022"
    assert doc["a"]["rule_files"] == ["rules/national-2022.yaml", "rules/national-2022-strict.yaml"]
    assert doc["summary"]["matched"] == 41 and doc["summary"]["scoring_changes"] == 2
    three = next(i for i in doc["indicators"] if i["a"] == "3")
    assert set(three) == {
        "status", "a", "b", "how", "similarity", "label_a", "label_b", "points_a", "points_b",
        "level_a", "level_b", "units_a", "units_b", "clauses", "changes",
    }  # fmt: skip
    assert three["points_a"] == "2" and three["status"] == "matched" and three["how"] == "number"
    (change,) = three["changes"]
    assert change["topic"] == "bands" and change["scoring"] is True
    assert change["text"] == {"zh": "分档", "en": "bands"}
    assert change["before"]["en"] == "10%–15% 1 pt, ≥15% 2 pts"
    assert (change["rule_a"], change["rule_b"]) == ("n22-3", "n22-3")
    assert three["clauses"][0]["text_a"] == three["clauses"][0]["text_b"]


def test_json_of_a_text_match_reports_similarities_and_moves():
    doc = json.loads(run("diff", "national-2022", "national-2024-draft", "--json").stdout)
    pair = next(i for i in doc["indicators"] if i["a"] == "14")
    assert pair["b"] == "10" and pair["how"] == "text"
    assert 0.5 < float(pair["similarity"]) <= 1
    assert {
        "a_indicator": "40",
        "a_clause": "40.1",
        "b_indicator": "7",
        "b_clause": "7.1",
    }.items() <= next(m for m in doc["moves"] if m["a_clause"] == "40.1").items()


def test_differences_exit_0_and_the_memo_is_in_chinese_by_default():
    result = run("diff", "national-2022", "national-2024-draft")
    assert result.exit_code == 0
    assert result.stdout.startswith("指标体系对比: national-2022 → national-2024-draft")
    english = run("diff", "national-2022", "national-2024-draft", "--lang", "en")
    assert english.exit_code == 0
    assert "every first-level score rate: ≥75% → ≥80%" in english.stdout


@pytest.mark.parametrize("args", [["no-such-system", "national-2022"], ["national-2022", "x"]])
def test_an_unknown_system_exits_2_with_the_known_ids_and_no_traceback(args):
    result = run("diff", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "未知的指标体系" in result.stderr and "national-2024-draft" in result.stderr
    as_json = run("diff", *args, "--json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["error"]["kind"] == "input"
