"""Scoring end to end: the examples, invalid input, repeatability, and the engine cross-check."""

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.assessment.assess import assess
from demozone.cli import main_group
from demozone.kb.load import get_system
from demozone.provenance.receipt import hashes_only
from demozone.rules.load import rule_set_for
from demozone.rules.lookup import renumbering
from demozone.scoring.aggregate import score
from demozone.scoring.report import result_json
from demozone.store.location import open_store
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.synthetic import synthetic_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
INVALID = sorted((EXAMPLES / "invalid").glob("*.yaml"))


@pytest.mark.parametrize(
    ("example", "total", "passed"),
    [("national-2022", 90, True), ("national-2024-draft", 79, False), ("hejin-2023", 88, False)],
)
def test_the_examples_score_as_their_comments_say(example, total, passed):
    result = assess(EXAMPLES / example / "submission.yaml", write=False).result
    assert (result.total, result.passed) == (total, passed)


def test_hejin_fails_only_because_its_table_lacks_the_express_indicator():
    result = assess(EXAMPLES / "hejin-2023" / "submission.yaml", write=False).result
    assert result.max_total == 98 and len(result.indicators) == 40
    assert result.pass_reasons == ["一级指标“促进发展”得分率70.00%（14/20），低于75%"]
    assert result.indicator("5").base == "6"


@pytest.mark.parametrize("engine", ["rete", "direct"])
def test_a_missing_fact_scores_zero_and_is_named(engine, tmp_path):
    # indicator 7 (网络市场就业贡献度) is online_employment / total_employment; the example scores it
    # 2/2. Without online_employment it scores 0, and the result says which fact was missing.
    example = shutil.copytree(EXAMPLES / "national-2022", tmp_path / "national-2022")
    path = example / "submission.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.lstrip().startswith("online_employment:")]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")
    before = assess(EXAMPLES / "national-2022" / "submission.yaml", write=False, engine=engine)
    assert before.result.indicator("7").score == 2

    as_json = CliRunner().invoke(
        main_group, ["score", str(path), "--no-store", "--json", "--engine", engine]
    )
    assert as_json.exit_code == 0, as_json.output
    indicators = {row["number"]: row for row in json.loads(as_json.stdout)["indicators"]}
    seventh = indicators["7"]
    assert seventh["score"] == 0
    assert [rule["missing"] for rule in seventh["rules"]] == [["online_employment[2024]"]]
    assert seventh["reasons"] == ["未填报2024年网络市场就业人员数量，无法计分。"]
    others = {n for n, row in indicators.items() for rule in row["rules"] if rule["missing"]}
    assert others == {"7"}  # no other indicator needs the fact

    as_text = CliRunner().invoke(main_group, ["score", str(path), "--no-store", "--engine", engine])
    assert as_text.exit_code == 0, as_text.output
    (row,) = [line for line in as_text.stdout.splitlines() if line.split()[:1] == ["7"]]
    assert row.split()[2:] == ["0/2", "未填报2024年网络市场就业人员数量，无法计分。"]


def test_invalid_examples_are_at_least_twelve():
    assert len(INVALID) >= 12


@pytest.fixture(scope="module")
def scored_store(tmp_path_factory) -> Path:
    """A store that already holds one assessment."""
    store = tmp_path_factory.mktemp("store") / "data"
    first = CliRunner().invoke(
        main_group,
        ["score", str(EXAMPLES / "national-2022" / "submission.yaml"), "--store", str(store)],
    )
    assert first.exit_code == 0, first.output
    return store


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_an_invalid_submission_exits_2_with_its_message_and_leaves_the_store_unchanged(
    path, scored_store
):
    before = _count(scored_store)
    result = CliRunner().invoke(main_group, ["score", str(path), "--store", str(scored_store)])
    assert result.exit_code == 2
    assert path.with_suffix(".expected.txt").read_text("utf-8").strip() in result.output
    assert "Traceback" not in result.output
    assert _count(scored_store) == before


def _count(store: Path) -> int:
    opened = open_store(str(store))
    try:
        return opened.count()
    finally:
        opened.close()


def test_the_same_submission_scored_twice_gives_identical_results(tmp_path):
    path = EXAMPLES / "national-2022" / "submission.yaml"
    one = assess(path, store=str(tmp_path / "s"))
    two = assess(path, store=str(tmp_path / "s"), again=True)
    assert one.iri != two.iri  # history: --again records a new assessment each time
    assert assess(path, store=str(tmp_path / "s")).reused  # without it, the same inputs add none
    assert result_json(one.result) == result_json(two.result)
    assert hashes_only(one.receipt) == hashes_only(two.receipt)


def _cross_check(system: str, seeds: range, tmp_path: Path, classes) -> int:
    rule_set = rule_set_for(system, renumbering=renumbering)
    kb_system = get_system(system)
    catalog = catalog_from_kb()
    checked = 0
    for seed in seeds:
        path = tmp_path / f"{system}-{seed}.yaml"
        doc = synthetic_document(rule_set, seed, region_classes=classes)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        submission = load_submission(path, catalog)
        by_engine = score(rule_set, kb_system, submission, "rete")
        directly = score(rule_set, kb_system, submission, "direct")
        assert result_json(by_engine) | {"engine": ""} == result_json(directly) | {"engine": ""}, (
            seed
        )
        checked += 1
    return checked


def test_the_engine_agrees_with_direct_evaluation_on_1100_national_2022_submissions(tmp_path):
    # also scores more than 1,024 submissions through the engine in one process
    assert _cross_check("national-2022", range(1100), tmp_path, ("east", "central", "west")) == 1100


def test_the_engine_agrees_with_direct_evaluation_on_the_2024_draft(tmp_path):
    classes = ("east", "central", "west", "northeast")
    assert _cross_check("national-2024-draft", range(300), tmp_path, classes) == 300


@pytest.mark.parametrize("example", ["national-2022", "national-2024-draft", "hejin-2023"])
def test_the_engine_agrees_with_direct_evaluation_on_the_examples(example):
    path = EXAMPLES / example / "submission.yaml"
    rete = assess(path, write=False, engine="rete").result
    direct = assess(path, write=False, engine="direct").result
    assert result_json(rete) | {"engine": ""} == result_json(direct) | {"engine": ""}
