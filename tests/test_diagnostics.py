"""The shared pieces every command builds on: one Finding with its Location, typed fact ids, the
one rate test, the number formatters, the decimal literal text and the one key check."""

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from demozone.assessment.assess import assess
from demozone.common.diagnostics import SEVERITIES, CheckReport, Finding, Location, Severity
from demozone.common.errors import InputError, Problem
from demozone.common.numbers import decimal_text, fmt_percent, fmt_points, fmt_rate
from demozone.common.vocab import SH, shacl_severity
from demozone.common.yamlio import check_keys, key_faults
from demozone.kb.metrics import is_rate, metric_vocabulary
from demozone.rules.model import Quantity
from demozone.scoring.facts import KINDS, FactId

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


# -- findings ---------------------------------------------------------------------------------


def test_a_finding_points_at_file_line_and_field_path():
    problem = Problem("a.yaml", "metrics.online_retail.2023", "bad", "坏", "a number", line=3)
    assert (
        problem.render("en")
        == "a.yaml:3: metrics.online_retail.2023: bad (应为/expected: a number)"
    )
    assert (
        problem.render("zh") == "a.yaml:3: metrics.online_retail.2023: 坏 (应为/expected: a number)"
    )
    assert (problem.file, problem.line, problem.path) == ("a.yaml", 3, "metrics.online_retail.2023")


def test_a_location_shows_only_what_is_known_and_a_sheet_cell_after_the_file():
    assert str(Location("a.yaml")) == "a.yaml"
    assert str(Location("a.yaml", None, "units")) == "a.yaml: units"
    assert str(Location("a.yaml", 7)) == "a.yaml:7"
    assert str(Location("申报.xlsx", None, "metrics.x.2023", "指标!B7")) == (
        "申报.xlsx[指标!B7]: metrics.x.2023"
    )


def test_a_problem_is_an_error_finding_of_code_input_and_keeps_its_json_shape():
    problem = Problem("a.yaml", "", "file not found", "文件不存在")
    assert isinstance(problem, Finding)
    assert (problem.severity, problem.code) == (Severity.ERROR, "input")
    assert list(problem.to_dict()) == ["file", "line", "path", "message", "message_zh", "expected"]
    assert str(InputError([problem])) == "a.yaml: file not found"


def test_a_severity_serialises_as_its_name_and_errors_come_first():
    assert json.dumps({"severity": Severity.WARNING}) == '{"severity": "warning"}'
    assert Severity.INFO == "info" and f"[{Severity.ERROR}]" == "[error]"
    assert [s.rank for s in SEVERITIES] == [0, 1, 2]
    assert SEVERITIES == ("error", "warning", "info")


def test_a_shacl_result_severity_maps_to_ours_and_anything_else_is_an_error():
    assert shacl_severity(SH.Violation) is Severity.ERROR
    assert shacl_severity(SH.Warning) is Severity.WARNING
    assert shacl_severity(SH.Info) is Severity.INFO
    assert shacl_severity(None) is Severity.ERROR


def test_a_report_is_ok_exactly_when_no_finding_is_an_error():
    class Report(CheckReport):
        def __init__(self, *severities):
            self.findings = [Finding(Severity(s), "x", Location(), "m") for s in severities]

    assert Report().ok and Report("warning", "info").ok
    assert not Report("info", "error").ok
    assert Report("error", "warning", "warning").count("warning") == 2


# -- fact ids ---------------------------------------------------------------------------------


def test_fact_ids_are_todays_strings():
    assert FactId.metric("online_retail", 2023) == "metric:online_retail:2023"
    assert FactId.national("online_retail", 2023, "growth") == "national:online_retail:2023:growth"
    assert (
        FactId.reference("national_online_retail_growth")
        == "reference:national_online_retail_growth"
    )
    assert FactId.reference("x", 2023) == "reference:x:2023"
    assert FactId.operator(2) == "operator:2"
    assert FactId.case("R1", FactId.evidence("E1")) == "case:R1:evidence:E1"
    assert FactId.case("R1") == "case:R1"
    assert json.dumps(FactId.evidence("E1")) == '"evidence:E1"'


def test_a_judgment_is_named_for_its_index_clause_and_assessor():
    judgment = FactId.judgment(4, "12.2", "expert-li")
    assert judgment == "judgment:4:12.2:expert-li"
    assert judgment.judged() == ("4", "12.2", "expert-li")
    # an assessor's id may hold colons; the clause never does
    assert FactId.judgment(0, "1.1", "org:li").judged() == ("0", "1.1", "org:li")
    with pytest.raises(ValueError, match="no colon"):
        FactId.judgment(0, "1:1", "expert-li")
    # as older stores name it: the index alone
    assert FactId.parse("judgment:4").judged() == ("4", None, None)


@pytest.mark.parametrize("example", ["national-2022", "national-2024-draft", "hejin-2023"])
def test_every_fact_id_of_an_example_submission_round_trips(example):
    result = assess(EXAMPLES / example / "submission.yaml", write=False).result
    cases = [c for ind in result.indicators for o in ind.rules for c in o.cases]
    ids = [c.fact_id for c in cases] + [f.fact_id for c in cases for f in c.inputs]
    assert {FactId.parse(str(i)).kind for i in ids} >= {"case", "metric", "judgment"}
    for fact_id in ids:
        parsed = FactId.parse(str(fact_id))
        assert parsed == fact_id and parsed.kind in KINDS
        assert FactId.of(parsed.kind, *parsed.parts) == fact_id


def test_a_text_that_is_no_fact_id_is_refused():
    with pytest.raises(ValueError):
        FactId.parse("fact:3")


# -- the rate test and the number formatters --------------------------------------------------


def test_the_one_rate_test_agrees_with_the_metric_vocabulary():
    vocabulary = metric_vocabulary()
    assert any(m.kind == "rate" for m in vocabulary.values())
    for metric_id, metric in vocabulary.items():
        assert is_rate(metric_id) == (metric.kind == "rate"), metric_id
        assert Quantity("metric", (metric_id,)).is_rate == (metric.kind == "rate"), metric_id
    assert not is_rate("no_such_metric")
    a, b = list(vocabulary)[:2]
    assert Quantity("ratio", (a, b)).is_rate
    assert not Quantity("growth", (a,)).is_rate


def test_numbers_are_written_as_people_write_them():
    assert fmt_points(Fraction(3, 2)) == fmt_points(Decimal("1.50")) == "1.5"
    assert fmt_points(2) == "2"
    assert fmt_rate(Fraction(15, 100)) == fmt_rate(Decimal("0.15")) == "15%"
    assert fmt_rate(Fraction(1, 8)) == "12.5%"
    assert fmt_percent(Fraction(1, 8)) == "12.50%"


def test_a_decimal_literal_keeps_a_decimal_as_written_and_a_fraction_to_six_places():
    assert decimal_text(Decimal("2.50")) == "2.50"
    assert decimal_text(7) == "7"
    assert decimal_text(Fraction(141, 1000)) == "0.141"
    assert decimal_text(Fraction(1, 3)) == "0.333333"
    assert decimal_text(Fraction(10)) == "10"


# -- the key check ----------------------------------------------------------------------------


def test_the_key_check_names_unknown_keys_in_order_and_missing_or_blank_required_ones():
    mapping = {"b": 1, "zz": 2, "a": " ", "yy": 3}
    unknown, missing = key_faults(mapping, {"a", "b", "c"}, ["c", "a"])
    assert (unknown, missing) == (["zz", "yy"], ["c"])
    blank = lambda value: not str(value).strip()  # noqa: E731
    assert key_faults(mapping, {"a", "b", "c"}, ["c", "a"], blank)[1] == ["c", "a"]
    problems = check_keys(mapping, {"a", "b", "c"}, "f.yaml", "top", {"c"})
    assert [p.path for p in problems] == ["top.zz", "top.yy", "top.c"]
