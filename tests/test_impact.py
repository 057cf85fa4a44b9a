"""`impact`: submissions scored under two systems, the points that moved and why pass/fail flipped.

Most tests run national-2022 against its what-if variant national-2022-strict over the 24
submissions of examples/impact/ (see its README for what each one is), and one runs the 2022
trial against the 2024 draft, where judgments are carried over through the clause matching.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.api import impact, impact_csv, impact_json
from demozone.assessment.assess import score_as
from demozone.cli import main_group
from demozone.policy.diff.systems import match_systems
from demozone.policy.impact.carry import carry
from demozone.policy.impact.report import CSV_COLUMNS, impact_table
from demozone.rules.lookup import rules_of
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
IMPACT = EXAMPLES / "impact"
FILES = sorted(IMPACT.glob("*.yaml"))
QINGLAN = EXAMPLES / "national-2022" / "submission.yaml"
A, B = "national-2022", "national-2022-strict"

# The files whose share of online operators lies in [8%, 10%): indicator 3 loses its point.
SHARE_MOVED = {"06", "07", "08", "09", "11", "18", "21", "22", "23", "24"}
FLIPS = {  # pass under national-2022, fail under national-2022-strict, and why
    "02": "pass_rule",
    "03": "pass_rule",
    "04": "pass_rule",
    "05": "pass_rule",
    "19": "pass_rule",
    "24": "pass_rule",
    "06": "points",
    "07": "both",
    "08": "both",
    "18": "both",
}


@pytest.fixture(scope="module")
def report():
    return impact(A, B, [IMPACT])


@pytest.fixture(scope="module")
def by_id(report):
    return {item.a.submission_id: item for item in report.impacts}


def run(*args: str):
    return CliRunner().invoke(main_group, list(args))


def test_the_examples_are_at_least_20_valid_national_2022_submissions(report):
    assert len(FILES) == 24  # a glob that silently finds fewer would weaken every test below
    assert report.rejected == []
    assert [i.file for i in report.impacts] == [str(f) for f in FILES]
    assert {i.a.system for i in report.impacts} == {A}


def test_totals_and_verdicts_under_both_equal_scoring_each_file_directly(report):
    for item, path in zip(report.impacts, FILES, strict=True):
        submission = load_submission(path, catalog_from_kb())
        direct_a, direct_b = score_as(submission, A, "direct"), score_as(submission, B, "direct")
        assert (item.a.total, item.a.passed) == (direct_a.total, direct_a.passed), path.name
        assert (item.b.total, item.b.passed) == (direct_b.total, direct_b.passed), path.name
        assert item.b.rule_set == B


def test_indicator_changes_add_up_exactly_to_each_total_change(report):
    for item in report.impacts:
        deltas = [a.delta for a in item.attributions]
        assert all(isinstance(d, Fraction) and d != 0 for d in deltas)
        assert sum(deltas, Fraction(0)) == item.b.total - item.a.total == item.change


def test_only_indicator_3_moves_and_its_lower_band_is_named(by_id):
    moved = {number[-2:] for number, item in by_id.items() if item.attributions}
    assert moved == SHARE_MOVED
    for number in SHARE_MOVED:
        (attribution,) = by_id[f"impact-{number}"].attributions
        assert (attribution.a, attribution.b, attribution.score_a, attribution.score_b) == (
            "3",
            "3",
            1,
            0,
        )
        (change,) = attribution.changes
        assert (change.topic, change.rule_a, change.rule_b) == ("bands", "n22-3", "n22-3")
        assert "8%–15%" in change.before.zh and "10%–15%" in change.after.zh


def test_a_share_on_either_boundary_scores_as_the_bands_say(by_id):
    share_10, share_8, below_8 = by_id["impact-10"], by_id["impact-11"], by_id["impact-12"]
    assert share_10.a.indicator("3").score == share_10.b.indicator("3").score == 1
    assert (share_8.a.indicator("3").score, share_8.b.indicator("3").score) == (1, 0)
    assert below_8.a.indicator("3").score == below_8.b.indicator("3").score == 0


def test_the_expected_submissions_flip_from_pass_to_fail_for_the_expected_reason(by_id):
    flips = {number[-2:]: item.flip.cause for number, item in by_id.items() if item.flip}
    assert flips == FLIPS
    assert all(
        item.flip.passed_a and not item.flip.passed_b for item in by_id.values() if item.flip
    )


def test_a_pass_rule_flip_names_the_level_short_of_80_percent(by_id):
    flip = by_id["impact-02"].flip
    assert flip.b_scores_pass_a_rule and not flip.a_scores_pass_b_rule
    (shortfall,) = flip.shortfalls
    assert (shortfall.label, shortfall.score, shortfall.points) == ("规范监管", 19, 25)
    assert (shortfall.rate, shortfall.required) == (Fraction(76, 100), Fraction(80, 100))
    two = by_id["impact-19"].flip.shortfalls
    assert [(s.label, s.rate) for s in two] == [
        ("规范监管", Fraction(19, 25)),
        ("探索创新", Fraction(3, 4)),
    ]


def test_a_points_flip_is_the_total_falling_below_85(by_id):
    item = by_id["impact-06"]
    assert (item.a.total, item.b.total) == (85, 84)
    flip = item.flip
    assert not flip.b_scores_pass_a_rule and flip.a_scores_pass_b_rule
    assert flip.shortfalls == ()
    assert flip.reasons == ("总分84分，低于合格线85分",)


def test_both_causes_either_change_alone_or_only_the_two_together(by_id):
    alone = by_id["impact-07"].flip  # share 9.2% and 规范监管 76%: each change alone fails it
    assert not alone.b_scores_pass_a_rule and not alone.a_scores_pass_b_rule
    together = by_id["impact-08"].flip  # 促进发展 16/20 loses indicator 3's point: 75% < 80%
    assert together.b_scores_pass_a_rule and together.a_scores_pass_b_rule
    assert [(s.label, s.score) for s in together.shortfalls] == [("促进发展", 15)]


def test_the_summary_counts_passes_under_each_and_flips_by_cause(report):
    summary = report.summary()
    assert (summary.scored, summary.rejected) == (24, 0)
    assert (summary.passed_a, summary.passed_b) == (18, 8)
    assert (summary.pass_to_fail, summary.fail_to_pass) == (10, 0)
    assert summary.causes == {"pass_rule": 6, "points": 1, "both": 3}


def test_the_reverse_direction_flips_the_same_submissions_the_other_way():
    summary = impact(B, A, [IMPACT], engine="direct").summary()
    assert (summary.passed_a, summary.passed_b) == (8, 18)
    assert (summary.pass_to_fail, summary.fail_to_pass) == (0, 10)
    assert summary.causes == {"pass_rule": 6, "points": 1, "both": 3}


def test_the_pass_rule_change_is_named(report):
    (change,) = report.pass_rule_changes
    assert (change.before.zh, change.after.zh) == ("≥75%", "≥80%")


def test_json_has_a_stable_shape_with_exact_numbers(report):
    data = json.loads(json.dumps(impact_json(report), ensure_ascii=False))
    assert set(data) == {
        "a",
        "b",
        "cross_system",
        "pass_rules",
        "pass_rule_changes",
        "summary",
        "submissions",
        "rejected",
        "lint_errors",
    }
    assert data["lint_errors"] == []
    assert (data["a"], data["b"], data["cross_system"]) == (A, B, False)
    assert data["pass_rules"]["b"] == {"total_at_least": 85, "first_level_rate_at_least": "80.00%"}
    assert data["summary"] == {
        "scored": 24,
        "rejected": 0,
        "passed_a": 18,
        "passed_b": 8,
        "pass_to_fail": 10,
        "fail_to_pass": 0,
        "flips_by_cause": {"pass_rule": 6, "points": 1, "both": 3},
    }
    entry = next(s for s in data["submissions"] if s["submission"] == "impact-06")
    assert {k: entry[k] for k in ("total_a", "total_b", "change", "passed_a", "passed_b")} == {
        "total_a": 85,
        "total_b": 84,
        "change": -1,
        "passed_a": True,
        "passed_b": False,
    }
    assert entry["flip"]["direction"] == "pass_to_fail" and entry["flip"]["cause"] == "points"
    (moved,) = entry["attributions"]
    assert {k: moved[k] for k in ("a", "b", "score_a", "score_b", "delta")} == {
        "a": "3",
        "b": "3",
        "score_a": 1,
        "score_b": 0,
        "delta": -1,
    }
    assert moved["changes"][0]["rule_a"] == "n22-3"
    assert "10%–15%" in moved["changes"][0]["text"]["zh"]
    assert entry["not_carried"] == []


def test_csv_has_one_row_per_submission_and_moved_indicator(report):
    rows = list(csv.reader(io.StringIO(impact_csv(report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert len(records) == 24  # every submission once: none moved more than one indicator
    six = next(r for r in records if r["submission"] == "impact-06")
    assert (six["total_a"], six["total_b"], six["change"], six["flip_cause"]) == (
        "85",
        "84",
        "-1",
        "points",
    )
    assert (six["indicator_a"], six["delta"]) == ("3", "-1") and "10%–15%" in six["changes"]
    two = next(r for r in records if r["submission"] == "impact-02")
    assert (two["passed_a"], two["passed_b"], two["indicator_a"], two["delta"]) == (
        "pass",
        "fail",
        "",
        "",
    )


def test_the_table_shows_each_submission_the_attributions_and_the_summary(report):
    table = impact_table(report)
    assert "合格标准变化：每个一级指标得分率：≥75% → ≥80%" in table
    assert "impact-06" in table and "85 → 84 (-1)" in table
    assert "指标 3 网络交易经营者数量占市场主体比重：1 → 0（-1）" in table
    assert "一级指标“规范监管”得分率 76.00%（19/25），低于 80%" in table
    assert "national-2022 下合格 18 份，national-2022-strict 下合格 8 份" in table
    assert "合格→不合格 10 份，不合格→合格 0 份" in table


# -- a file that cannot be scored -----------------------------------------------------------------
def test_an_invalid_file_is_reported_and_the_others_are_still_scored():
    invalid = EXAMPLES / "invalid" / "rate-above-one.yaml"
    result = impact(A, B, [FILES[0], invalid, FILES[1]], engine="direct")
    assert [i.a.submission_id for i in result.impacts] == ["impact-01", "impact-02"]
    (rejected,) = result.rejected
    assert rejected.file == str(invalid)
    assert any("a rate written without %" in p.message for p in rejected.problems)
    assert impact_json(result)["rejected"][0]["problems"][0]["file"] == str(invalid)


# -- across systems: the 2022 trial against the 2024 draft -------------------------------------------
@pytest.fixture(scope="module")
def cross():
    return impact(A, "national-2024-draft", [QINGLAN])


def test_across_systems_the_judgments_go_only_through_the_clause_matching():
    matching = match_systems(A, "national-2024-draft")
    submission = load_submission(QINGLAN, catalog_from_kb())
    carried = carry(submission, rules_of("national-2024-draft"), matching.clause_b_for_a)
    assert carried.submission.system == "national-2024-draft"
    listed = {n.item for n in carried.not_carried if n.kind == "judgment"}
    judged_b = {(j.clause, j.assessor): j for j in carried.submission.judgments}
    for judgment in submission.judgments:
        target = matching.clause_b_for_a(judgment.clause)
        carried_one = judged_b.get((target, judgment.assessor))
        if carried_one is None:
            assert judgment.clause in listed, judgment.clause
        else:
            assert carried_one.satisfied == judgment.satisfied
            assert carried_one.evidence == judgment.evidence
    assert len(carried.submission.judgments) + sum(
        1 for j in submission.judgments if j.clause in listed
    ) == len(submission.judgments)
    unmatched = {
        j.clause for j in submission.judgments if matching.clause_b_for_a(j.clause) is None
    }
    assert unmatched and unmatched <= listed


def test_across_systems_what_could_not_be_carried_is_listed(cross):
    (item,) = cross.impacts
    assert cross.cross_system and cross.rejected == []
    listed = {(n.kind, n.item) for n in item.not_carried}
    # the 2024 draft scores figures the 2022 submission does not hold
    assert ("metric", "ecommerce_volume") in listed
    assert ("metric", "physical_online_retail_above_quota") in listed
    assert ("metric", "trusted_consumption_sectors") in listed
    assert ("reference", "national_ecommerce_volume_growth") in listed
    assert any(kind == "judgment" for kind, _ in listed)
    unread = next(n for n in item.not_carried if n.kind == "unread" and "express_volume" in n.item)
    assert "express_volume" in unread.message_zh
    entry = impact_json(cross)["submissions"][0]
    assert {n["kind"] for n in entry["not_carried"]} == {
        "judgment",
        "metric",
        "reference",
        "unread",
    }
    assert "未转入评审意见的条款" in impact_table(cross)


def test_across_systems_the_scores_are_those_of_the_carried_submission(cross):
    (item,) = cross.impacts
    submission = load_submission(QINGLAN, catalog_from_kb())
    carried = carry(
        submission,
        rules_of("national-2024-draft"),
        match_systems(A, "national-2024-draft").clause_b_for_a,
    ).submission
    assert item.a.total == score_as(submission, A, "direct").total == 90
    assert item.b.total == score_as(carried, "national-2024-draft", "direct").total
    assert item.b.system == "national-2024-draft"
    assert sum((a.delta for a in item.attributions), Fraction(0)) == item.b.total - item.a.total
    assert any(a.a is None or a.b is None for a in item.attributions)  # removed ones count too
    assert item.flip is not None and item.flip.passed_a and not item.flip.passed_b


def test_a_carried_document_is_validated_like_any_submission(tmp_path):
    # the 2024 draft knows a northeast class, the 2022 trial does not: carrying it back fails
    source = EXAMPLES / "national-2024-draft"
    shutil.copytree(source, tmp_path / "draft")
    path = tmp_path / "draft" / "submission.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8").replace(
        f"region_class: {doc['submission']['region_class']}", "region_class: northeast", 1
    )
    path.write_text(text, encoding="utf-8")
    result = impact("national-2024-draft", A, [path], engine="direct")
    assert result.impacts == []
    (rejected,) = result.rejected
    assert rejected.file == str(path)
    assert any(
        p.path == "submission.region_class" and "carried to national-2022" in p.message
        for p in rejected.problems
    )


# -- the command -----------------------------------------------------------------------------------
def test_the_command_prints_a_table_and_exits_0():
    result = run("impact", A, B, str(IMPACT))
    assert result.exit_code == 0, result.output
    assert "impact-24" in result.stdout and "汇总" in result.stdout
    assert "[24/24]" in result.stderr  # progress on stderr


def test_the_command_json_is_the_api_shape(report):
    result = run("impact", A, B, *map(str, FILES), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(
        json.dumps(impact_json(report), ensure_ascii=False, default=str)
    )


def test_the_command_csv_is_the_api_csv(report):
    result = run("impact", A, B, str(IMPACT), "--csv")
    assert result.exit_code == 0
    assert result.stdout == impact_csv(report)


def test_the_command_exits_1_when_a_file_cannot_be_scored():
    result = run("impact", A, B, str(FILES[0]), str(IMPACT / "missing.yaml"))
    assert result.exit_code == 1
    assert "impact-01" in result.stdout and "无法处理" in result.stdout
    assert "missing.yaml" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        [A, "national-2030", str(IMPACT)],
        [A, B],
        [A, B, str(IMPACT), "--json", "--csv"],
    ],
    ids=["unknown system", "no submissions", "json and csv"],
)
def test_the_command_exits_2_for_bad_usage(args):
    result = run("impact", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
