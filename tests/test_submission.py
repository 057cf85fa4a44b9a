"""The submission loader against the contract: examples, invalid examples, exact values, JSON."""

import hashlib
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from demozone.common.errors import InputError
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.model import EVIDENCE_KINDS, StaticCatalog, Submission, SystemEntry

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
INVALID = sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.suffix in (".yaml", ".json"))


def _clauses(counts: dict[int, int]) -> frozenset[str]:
    return frozenset(f"{n}.{c}" for n, count in counts.items() for c in range(1, count + 1))


# Clause counts per indicator, from the spec (scoring-interpretations.md).
NATIONAL_2022 = {n: 1 for n in range(1, 42)} | {
    **dict.fromkeys([11, 12, 13, 14, 15, 17, 20, 22, 23, 25, 28, 29, 30, 31, 36], 3),
    **dict.fromkeys([18, 19, 21, 24, 26, 27, 33, 37, 38, 39, 40, 41], 2),
}
DRAFT_2024 = {n: 1 for n in range(1, 26)} | {
    **dict.fromkeys([4, 5, 6, 8, 10, 11, 12, 13, 14, 20, 21, 22, 23], 3),
    **dict.fromkeys([3, 25], 2),
    7: 4,
}
HEJIN_2023 = {(n if n < 5 else n - 1): c for n, c in NATIONAL_2022.items() if n != 5}

FAKE = StaticCatalog(
    (
        SystemEntry(
            "national-2022",
            frozenset({"east", "central", "west"}),
            _clauses(NATIONAL_2022),
            # indicators 1-9 are scored from figures only (the spec's table)
            _clauses(NATIONAL_2022) - _clauses(dict.fromkeys(range(1, 10), 1)),
        ),
        SystemEntry(
            "national-2024-draft",
            frozenset({"east", "central", "west", "northeast"}),
            _clauses(DRAFT_2024),
        ),
        SystemEntry("hejin-2023", frozenset({"east", "central", "west"}), _clauses(HEJIN_2023)),
    )
)
HEADER = """submission:
  id: test-county
  region: 测试县
  region_class: central
  system: national-2022
  years: [2023, 2024]
"""


def _load(tmp_path: Path, text: str, name: str = "s.yaml") -> Submission:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_submission(path, FAKE)


def _problems(tmp_path: Path, text: str, name: str = "s.yaml") -> list:
    with pytest.raises(InputError) as caught:
        _load(tmp_path, text, name)
    return caught.value.problems


# -- the catalog ------------------------------------------------------------------------------
def test_the_fake_catalog_matches_the_knowledge_base():
    kb = catalog_from_kb()
    for entry in FAKE.entries:
        info = kb.system_info(entry.id)
        assert info is not None
        assert (info.region_classes, info.clause_ids) == (entry.region_classes, entry.clause_ids)


# -- valid examples ---------------------------------------------------------------------------
@pytest.mark.parametrize("catalog", [FAKE, catalog_from_kb()], ids=["fake", "kb"])
@pytest.mark.parametrize("example", ["national-2022", "national-2024-draft", "hejin-2023"])
def test_the_examples_load(example, catalog):
    path = EXAMPLES / example / "submission.yaml"
    submission = load_submission(path, catalog)
    assert submission.system == example
    assert submission.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert {e.kind for e in submission.evidence.values()} == set(EVIDENCE_KINDS)
    assert 8 <= len(submission.evidence) <= 12
    assert 2 <= len(submission.operators) <= 4
    for item in submission.evidence.values():
        file_bytes = (path.parent / item.file).read_bytes()
        assert item.sha256 == hashlib.sha256(file_bytes).hexdigest()


def test_the_2022_example_is_complete_and_exact():
    submission = load_submission(EXAMPLES / "national-2022" / "submission.yaml", FAKE)
    assert (submission.region_class, submission.years) == ("central", (2023, 2024))
    metrics = submission.metrics
    assert metrics[("online_retail", 2022)].value == Fraction(186, 10)
    share = metrics[("online_operators", 2024)].value / metrics[("market_entities", 2024)].value
    assert share == Fraction(142, 1000)  # just below the 15% band of indicator 3
    assert metrics[("report_check_ontime_rate", 2024)].value == Fraction(973, 1000)
    qualitative = {j.clause for j in submission.judgments}
    assert {"10.1", "11.3", "12.1", "16.1", "26.2", "35.1", "41.2"} <= qualitative
    assessors = {j.assessor for j in submission.judgments if j.clause == "13.3"}
    assert assessors == {"expert-li", "expert-wang", "expert-zhao"}
    verdicts = [j.satisfied for j in submission.judgments if j.clause == "13.3"]
    assert sorted(verdicts) == [False, True, True]


def test_the_2024_draft_example_reads_its_references():
    submission = load_submission(EXAMPLES / "national-2024-draft" / "submission.yaml", FAKE)
    references = submission.references
    assert references[("national_ecommerce_volume_growth", 2024)].value == Fraction(39, 1000)
    assert references[("national_mediation_success_rate", None)].value == Fraction(701, 1000)
    assert ("national_odr_settlement_rate", None) in references
    assert submission.region_class in {"west", "northeast"}
    assert ("trusted_consumption_sectors", submission.years[-1]) in submission.metrics


def test_the_hejin_example_uses_hejin_numbering_and_no_express_metric():
    submission = load_submission(EXAMPLES / "hejin-2023" / "submission.yaml", FAKE)
    assert not any(metric == "express_volume" for metric, _ in submission.metrics)
    assert "40.2" in {j.clause for j in submission.judgments}


# -- invalid examples -------------------------------------------------------------------------
def test_there_are_invalid_examples_of_every_kind():
    assert len(INVALID) >= 30
    table = (EXAMPLES / "invalid" / "README.md").read_text("utf-8")
    for path in INVALID:
        assert f"| {path.name} |" in table


@pytest.mark.parametrize("catalog", [FAKE, catalog_from_kb()], ids=["fake", "kb"])
@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_an_invalid_example_fails_with_its_one_message(path, catalog):
    expected = path.with_name(path.stem + ".expected.txt").read_text("utf-8").strip()
    with pytest.raises(InputError) as caught:
        load_submission(path, catalog)
    problems = caught.value.problems
    assert len(problems) == 1, str(caught.value)
    assert expected in problems[0].message  # the CLI shows the English message on its own
    assert problems[0].message_zh and problems[0].file == str(path)
    assert "Traceback" not in str(caught.value)


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(InputError, match="submission file not found"):
        load_submission(tmp_path / "nowhere.yaml", FAKE)


def test_yaml_problems_carry_line_numbers(tmp_path):
    problems = _problems(tmp_path, HEADER + "metrics:\n  online_operators: 12.5\n")
    assert [(p.path, p.line) for p in problems] == [("metrics.online_operators", 8)]


# -- exact values -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("0.15", Fraction(3, 20)),
        ('"15%"', Fraction(3, 20)),
        ('"97.5%"', Fraction(39, 40)),
        ('"97.5 ％"', Fraction(39, 40)),
        ("0.975", Fraction(39, 40)),
        ("1", Fraction(1)),
        ("0.1", Fraction(1, 10)),
        ("1e-05", Fraction(1, 100000)),
        ("1.0e-05", Fraction(1, 100000)),
    ],
)
def test_rates_are_exact(tmp_path, written, value):
    submission = _load(tmp_path, HEADER + f"metrics:\n  identity_claim_rate: {written}\n")
    assert submission.metrics[("identity_claim_rate", 2024)].value == value


@pytest.mark.parametrize("written", ["97.5", "1.01", '"97.5"', '"-5%"', '"abc%"', ".inf", ".nan"])
def test_impossible_rates_are_errors(tmp_path, written):
    problems = _problems(tmp_path, HEADER + f"metrics:\n  identity_claim_rate: {written}\n")
    assert [p.path for p in problems] == ["metrics.identity_claim_rate"]


def test_a_rate_above_one_is_never_read_as_a_percentage(tmp_path):
    problems = _problems(tmp_path, HEADER + "metrics:\n  mediation_success_rate: 97.5\n")
    assert 'write "97.5%" if a percentage is meant' in problems[0].message
    assert "Decimal" not in problems[0].message + problems[0].message_zh


def test_amounts_keep_every_digit(tmp_path):
    text = HEADER + "metrics:\n  online_retail: {2023: 0.1, 2024: 123456789.123456789}\n"
    metrics = _load(tmp_path, text).metrics
    assert metrics[("online_retail", 2023)].value == Fraction(1, 10)
    assert metrics[("online_retail", 2024)].value == Fraction("123456789.123456789")


def test_a_bare_value_is_the_last_assessed_year(tmp_path):
    text = HEADER + "metrics:\n  market_entities: 21000\n  online_retail: {2022: 8.1, 2023: 9.6}\n"
    metrics = _load(tmp_path, text).metrics
    assert set(metrics) == {
        ("market_entities", 2024),
        ("online_retail", 2022),
        ("online_retail", 2023),
    }
    assert metrics[("market_entities", 2024)].path == "metrics.market_entities"
    assert metrics[("online_retail", 2022)].path == "metrics.online_retail.2022"


def test_references_bare_and_by_year(tmp_path):
    text = HEADER + (
        "reference:\n"
        '  national_mediation_success_rate: "70.1%"\n'
        '  national_online_retail_growth: {2023: "8.4%", 2024: "-0.2%"}\n'
        "  national_express_volume_growth: -0.015\n"
    )
    references = _load(tmp_path, text).references
    assert references[("national_mediation_success_rate", None)].value == Fraction(701, 1000)
    assert references[("national_online_retail_growth", 2023)].value == Fraction(84, 1000)
    assert references[("national_online_retail_growth", 2024)].value == Fraction(-2, 1000)
    assert references[("national_express_volume_growth", None)].value == Fraction(-15, 1000)


def test_counts_are_whole_numbers(tmp_path):
    assert _load(tmp_path, HEADER + "metrics:\n  platform_users: 14\n").metrics[
        ("platform_users", 2024)
    ].value == Fraction(14)
    problems = _problems(tmp_path, HEADER + "metrics:\n  platform_users: 14.0001\n")
    assert "whole number" in problems[0].message


# -- all problems at once ---------------------------------------------------------------------
def test_three_mistakes_are_three_problems(tmp_path):
    text = HEADER + (
        "metrics:\n"
        "  online_retial: 9.6\n"
        "  report_check_ontime_rate: 97.3\n"
        "evidence:\n"
        "  - {id: E1, title: 材料, kind: photo}\n"
    )
    problems = _problems(tmp_path, text)
    assert [p.path for p in problems] == [
        "metrics.online_retial",
        "metrics.report_check_ontime_rate",
        "evidence[0].kind",
    ]
    assert all(p.message and p.message_zh and p.line for p in problems)


def test_a_duplicate_key_does_not_hide_other_problems(tmp_path):
    text = HEADER + "metrics:\n  market_entities: 1\n  market_entities: 2\n  platform_users: -1\n"
    problems = _problems(tmp_path, text)
    assert [p.message.split(",")[0] for p in problems] == [
        "duplicate key 'market_entities'",
        "expected a whole number >= 0",
    ]


def test_a_bad_evidence_item_is_not_reported_again_by_the_judgments_citing_it(tmp_path):
    text = HEADER + (
        "evidence:\n  - {id: E1, title: 材料, kind: photo}\n"
        "judgments:\n  - {clause: '12.2', satisfied: true, evidence: [E1], assessor: expert-li}\n"
    )
    assert [p.path for p in _problems(tmp_path, text)] == ["evidence[0].kind"]


def test_a_missing_header_still_checks_the_rest(tmp_path):
    problems = _problems(tmp_path, "metrics:\n  online_retial: 1\n")
    assert [p.path for p in problems] == ["submission", "metrics.online_retial"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "- a\n- b\n",
        "? [a]\n: 1\n",
        "submission: [1]\n",
        HEADER.replace("central", "[central]"),
        HEADER.replace("[2023, 2024]", "[2023, '2024', x]"),
        HEADER + "reference: [1]\n",
        HEADER + "evidence:\n  - {id: [E1], title: t, kind: document}\n",
        HEADER + "evidence:\n  - {id: E1, title: t, kind: document, file: /etc/hostname}\n",
        HEADER + "evidence:\n  - {id: E1, title: t, kind: document, file: .}\n",
        HEADER + "judgments:\n  - {clause: [1], satisfied: maybe, evidence: E1, assessor: a}\n",
        HEADER + "operators:\n  - {name: n, year: true, annual_sales: x}\n",
        HEADER + "judgments:\n  - {clause: '10.1', satisfied: false, assessor: [a]}\n",
        HEADER + "metrics:\n  online_retail: {2024: 1, '2024': 2}\n",
        HEADER + "metrics:\n  online_retail: 1:30.5\n",
        HEADER + "metrics:\n  online_retail:\n",
    ],
)
def test_malformed_documents_are_problems_never_tracebacks(tmp_path, text):
    assert _problems(tmp_path, text)


def test_dates_stay_as_written_and_merge_keys_give_way(tmp_path):
    text = HEADER + (
        "evidence:\n  - {id: E1, title: t, kind: document, date: 2024-3-1}\n"
        "  - {id: E2, title: t, kind: document, date: 2024-13-01}\n"
    )
    evidence = _load(tmp_path, text).evidence
    assert (evidence["E1"].date, evidence["E2"].date) == ("2024-3-1", "2024-13-01")
    merged = _load(
        tmp_path,
        "submission:\n  <<: {id: other, region: 甲县}\n  id: test-county\n"
        "  region_class: central\n  system: national-2022\n  years: [2024]\n",
    )
    assert (merged.id, merged.region) == ("test-county", "甲县")


def test_evidence_files_are_hashed_on_load(tmp_path):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "e1.txt").write_bytes(b"joint meeting\n")
    text = HEADER + "evidence:\n  - {id: E1, title: t, kind: document, file: evidence/e1.txt}\n"
    item = _load(tmp_path, text).evidence["E1"]
    assert item.sha256 == hashlib.sha256(b"joint meeting\n").hexdigest()


# -- JSON -------------------------------------------------------------------------------------
def _as_json(value):
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return str(value) if not isinstance(value, bool | int | float | str | None) else value


def test_json_reads_the_same_as_yaml(tmp_path):
    source = EXAMPLES / "national-2022" / "submission.yaml"
    doc = _as_json(yaml.safe_load(source.read_text("utf-8")))
    shutil.copytree(source.parent / "evidence", tmp_path / "evidence")  # a link out is refused
    path = tmp_path / "submission.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    from_json = load_submission(path, FAKE)
    from_yaml = load_submission(source, FAKE)
    assert from_json.metrics.keys() == from_yaml.metrics.keys()
    for key, metric in from_yaml.metrics.items():
        assert from_json.metrics[key].value == metric.value
    assert from_json.references.keys() == from_yaml.references.keys()
    assert from_json.judgments == from_yaml.judgments
    assert from_json.operators == from_yaml.operators


def test_json_floats_are_exact_and_rates_above_one_rejected(tmp_path):
    head = json.loads(json.dumps(yaml.safe_load(HEADER)))
    doc = head | {"metrics": {"online_retail": {"2024": 0.1}, "identity_claim_rate": 1e-05}}
    submission = _load(tmp_path, json.dumps(doc), "s.json")
    assert submission.metrics[("online_retail", 2024)].value == Fraction(1, 10)
    assert submission.metrics[("identity_claim_rate", 2024)].value == Fraction(1, 100000)
    doc["metrics"]["identity_claim_rate"] = 97.5
    problems = _problems(tmp_path, json.dumps(doc), "s.json")
    assert "a rate written without %" in problems[0].message


def test_json_that_does_not_parse_names_the_line(tmp_path):
    problems = _problems(tmp_path, '{\n  "submission": {,\n}', "s.json")
    assert problems[0].line == 2 and "not valid JSON" in problems[0].message
