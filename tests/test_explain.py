"""explain: every indicator's derivation names its rule, clause, values and source citation;
why-not states the distance to the next band or threshold."""

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.assessment.assess import assess
from demozone.cli import main_group
from demozone.explain.derivation import explain
from demozone.kb.load import load_kb
from demozone.provenance.graph import AssessmentGraph
from demozone.store.location import open_store

from .conftest import copy_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("example", ["national-2022", "national-2024-draft", "hejin-2023"])
def test_explain_json_names_rule_clause_values_and_citation_for_every_indicator(example):
    result = CliRunner().invoke(
        main_group, ["explain", str(EXAMPLES / example / "submission.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    trees = json.loads(result.output[result.output.index("{") :])["indicators"]
    sources = load_kb().sources
    assert len(trees) in (40, 41, 25)
    for tree in trees:
        assert tree["rules"] and all(r["id"] and r["file"] and r["line"] for r in tree["rules"])
        assert tree["clauses"] and all(c["text"] for c in tree["clauses"])
        assert tree["citations"], tree["number"]
        for cite in tree["citations"]:
            text = next(s.text for s in sources.values() if s.file == cite["source_file"])
            assert text[cite["char_start"] : cite["char_end"]] == cite["quote"]
        for rule in tree["rules"]:
            for case in rule["cases"]:
                assert case["facts"] or case["missing"] or rule["kind"] == "items"
                assert case["arithmetic"] or case["missing"] or rule["kind"] == "items"


def test_explain_calls_out_assessors_who_disagree():
    one = _explain(EXAMPLES / "national-2022" / "submission.yaml", "13")
    case = next(r for r in one["rules"] if r["id"] == "n22-13-3")["cases"][0]
    assert case["disagreement"] == {
        "satisfied": ["expert-li", "expert-zhao"],
        "not_satisfied": ["expert-wang"],
    }


def test_explain_shows_the_national_comparator_and_its_published_source():
    one = _explain(EXAMPLES / "national-2022" / "submission.yaml", "1")
    facts = [f for r in one["rules"] for c in r["cases"] for f in c["facts"]]
    national = [f for f in facts if f["origin"] == "kb"]
    assert national and all("NBS" in f["where"] for f in national)


def _explain(path: Path, number: str, tmp: Path | None = None) -> dict:
    assessment = assess(path, write=False)
    return explain(assessment.result, assessment.submission, number)[0]


def _fragment(tmp_path: Path, system: str, metrics: dict, years=(2023, 2024), **more) -> Path:
    doc = {
        "submission": {
            "id": "why-not",
            "region": "测试县",
            "region_class": "central",
            "system": system,
            "years": list(years),
        },
        "metrics": metrics,
        **more,
    }
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("system", "number", "metrics", "expected"),
    [
        (
            "national-2022",
            "3",
            {"online_operators": 2840, "market_entities": 20000},
            "比重为14.20%，距15%档（2分）还差0.80个百分点；市场(经营)主体数量不变时网络交易经营者(主体)数量需达到3000户（新增160户）",
        ),
        (
            "national-2022",
            "3",
            {"online_operators": 1599, "market_entities": 20000},
            "比重为8.00%，距8%档（1分）还差0.01个百分点；市场(经营)主体数量不变时网络交易经营者(主体)数量需达到1600户（新增1户）",
        ),
        (
            "national-2022",
            "7",
            {"online_employment": 499, "total_employment": 10000},
            "比重为4.99%，距5%档（2分）还差0.01个百分点；地方就业人员总数量不变时网络市场就业人员数量需达到500人（新增1人）",
        ),
        (
            "national-2022",
            "9",
            {"operators_surviving_2y": 2999, "online_operators": 10000},
            "距30%档（1分）还差0.01个百分点",
        ),
        (
            "national-2024-draft",
            "3",
            {"online_operators": 1999, "market_entities": 20000},
            "比重为10.00%，距10%档（2分）还差0.01个百分点；市场(经营)主体数量不变时网络交易经营者(主体)数量需达到2000户（新增1户）",
        ),
        (
            "national-2022",
            "17",
            {"report_check_ontime_rate": "95%"},
            "为95.00%，未超过95%，需为95.01%",
        ),
        (
            "national-2022",
            "38",
            {"training_coverage_rate": "100%", "training_hours_per_person": 49},
            "每人每年培训学时为49学时，未达到50学时，需为50学时",
        ),
    ],
)
def test_why_not_says_how_far_a_value_is_from_the_next_band(
    tmp_path, system, number, metrics, expected
):
    tree = _explain(_fragment(tmp_path, system, metrics), number)
    reasons = [entry["reason"] for entry in tree["why_not"]]
    assert any(expected in reason for reason in reasons), reasons


def test_why_not_names_the_missing_fact(tmp_path):
    tree = _explain(_fragment(tmp_path, "national-2022", {"online_operators": 10}), "3")
    (entry,) = tree["why_not"]
    assert "未填报2024年市场(经营)主体数量" in entry["reason"], entry
    assert (entry["needs"], entry["gain"]) == (None, 0)


# -- explain ASSESSMENT: a stored assessment, explained from its checked submission file ------


def _stored_with(location: str, path: Path, *, score_of_3=None, receipt=None):
    """Record an assessment of `path` as if it had been made with indicator 3 at another score
    or with other receipt entries (rules or knowledge base of the time); its id."""
    scored = assess(path, write=False)
    if score_of_3 is not None:
        scored.result.indicator("3").score = score_of_3
    entries = {**scored.receipt, **(receipt or {})}
    quads = AssessmentGraph(scored.id, scored.result, scored.submission, entries).build()
    with open_store(location) as store:
        store.write_assessment(quads)
    return scored.id


def _explain_cli(*args: str):
    return CliRunner().invoke(main_group, ["explain", *args])


def test_explain_of_a_stored_assessment_equals_explain_of_its_file(tmp_path, kb_store_template):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    path = EXAMPLES / "national-2022" / "submission.yaml"
    stored = assess(path, store=location)
    by_file = _explain_cli(str(path), "--json")
    by_id = _explain_cli(stored.id, "--store", location, "--submission", str(path), "--json")
    assert by_id.exit_code == 0, by_id.output
    from_file, from_store = json.loads(by_file.stdout), json.loads(by_id.stdout)
    assert from_store["assessment"] == stored.iri and from_file["assessment"] is None
    assert from_store["indicators"] == from_file["indicators"]
    assert len(from_store["indicators"]) == 41
    # the store recorded where the file was read: unchanged, it needs no --submission
    by_id_alone = _explain_cli(stored.id, "--store", location, "--json")
    assert by_id_alone.exit_code == 0, by_id_alone.output
    assert json.loads(by_id_alone.stdout)["indicators"] == from_file["indicators"]
    text_by_iri = _explain_cli(
        stored.iri, "--store", location, "--submission", str(path), "-i", "13"
    )
    assert text_by_iri.stdout == _explain_cli(str(path), "-i", "13").stdout
    assert "expert-zhao" in text_by_iri.stdout


def test_explain_of_a_stored_assessment_whose_submission_changed_is_refused(
    tmp_path, kb_store_template
):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    shutil.copytree(EXAMPLES / "national-2022", tmp_path / "qinglan")
    path = tmp_path / "qinglan" / "submission.yaml"
    stored = assess(path, store=location)
    recorded = stored.receipt["submission"]
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "online_operators: 2840", "online_operators: 3000"
        ),
        encoding="utf-8",
    )
    changed = _explain_cli(stored.id, "--store", location, "--submission", str(path))
    assert changed.exit_code == 2
    assert "not the submission" in changed.output and recorded[:12] in changed.output
    unnamed = _explain_cli(stored.id, "--store", location)  # the recorded file, now changed
    assert unnamed.exit_code == 2
    assert "changed since" in unnamed.output and recorded[:12] in unnamed.output
    assert "--submission" in unnamed.output
    path.unlink()
    missing = _explain_cli(stored.id, "--store", location)
    assert missing.exit_code == 2
    assert "is gone" in missing.output and "--submission" in missing.output
    assert recorded[:12] in missing.output
    for result in (changed, unnamed, missing):
        assert "Traceback" not in result.output and not result.stdout


def test_explain_refuses_a_stored_assessment_its_file_no_longer_reproduces(
    tmp_path, kb_store_template
):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    path = EXAMPLES / "national-2022" / "submission.yaml"
    other_rules = {"rules/national-2022.yaml": "0" * 64}
    assessment = _stored_with(location, path, score_of_3=Fraction(2), receipt=other_rules)
    result = _explain_cli(assessment, "--store", location, "--submission", str(path))
    assert result.exit_code == 2
    assert "indicator 3 stored 2, now 1" in result.output
    assert "changed since: rules/national-2022.yaml" in result.output


def test_explain_notes_inputs_that_changed_without_changing_a_score(tmp_path, kb_store_template):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    path = EXAMPLES / "national-2022" / "submission.yaml"
    assessment = _stored_with(location, path, receipt={"kb": "0" * 64})
    result = _explain_cli(assessment, "--store", location, "--submission", str(path), "-i", "3")
    assert result.exit_code == 0, result.output
    assert "inputs changed since the assessment (kb)" in result.output
    assert "还差0.80个百分点" in result.stdout
