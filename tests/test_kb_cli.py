"""The knowledge-base verbs, run in-process: output, --json, --help and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli import main_group

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kb"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main_group, list(args), input=input)


@pytest.mark.parametrize(
    "verb", [["systems"], ["show"], ["query"], ["kb"], ["kb", "check"]], ids=" ".join
)
def test_every_verb_has_help(verb):
    result = run(*verb, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and "--help" in result.stdout


def test_systems_lists_every_system_with_points_pass_rule_and_lineage():
    result = run("systems")
    assert result.exit_code == 0
    lines = result.stdout.split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in lines[1:]] == [
        "national-2022",
        "national-2024-draft",
        "hejin-2023",
        "liangdang-2022",
        "wanrong-2022",
    ]
    assert "98/100" in next(line for line in lines if line.startswith("hejin-2023"))
    assert "分解自 national-2022" in result.stdout and "修订自 national-2022" in result.stdout
    english = run("systems", "--lang", "en").stdout
    assert "extends national-2022" in english and "revises national-2022" in english


def test_systems_json():
    rows = json.loads(run("systems", "--json").stdout)["systems"]
    draft = next(r for r in rows if r["id"] == "national-2024-draft")
    assert draft["indicators"] == 25 and draft["first_level"] == 4 and draft["second_level"] == 0
    assert draft["pass_rule"] == {"total_at_least": "85", "first_level_rate_at_least": "80%"}
    assert draft["revision_of"] == "national-2022"
    assert draft["sources"][0]["id"] == "samr-2024"


def test_show_an_indicator_with_clauses_and_anchored_source_text():
    result = run("show", "national-2022", "11")
    assert result.exit_code == 0, result.output
    assert "11." in result.stdout and "(3分)" in result.stdout
    assert "条款11.2" in result.stdout
    assert "clause 11.2" in run("show", "national-2022", "11", "--lang", "en").stdout
    assert "wanrong（000_caf23c3167bd217c.txt）第" in result.stdout
    assert "liangdang（002_7cc7ca1fffc88393.txt）第" in result.stdout


def test_show_json_gives_anchors_with_the_source_slice_and_its_range():
    shown = json.loads(run("show", "hejin-2023", "5", "--json").stdout)
    assert shown["base"] == {"system": "national-2022", "number": "6"}
    assert shown["points"] == "2" and shown["clauses"][0]["id"] == "5.1"
    title = next(a for a in shown["anchors"] if a["role"] == "title")
    assert title["source_text"] == title["quote"] == shown["label"]
    assert title["verified"] and title["char_end"] - title["char_start"] == len(title["quote"])
    assert [u["id"] for u in shown["units"]][:1] == ["hejin-u01"]


def test_show_a_system_lists_its_levels_and_indicators():
    result = run("show", "national-2024-draft")
    assert result.exit_code == 0
    assert "促进发展 (20分)" in result.stdout and "25. " in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["show", "national-2030"], ["national-2030", "national-2022"]),
        (["show", "national-2022", "42"], ["42", "1..41"]),
        (["query", "SELEKT ?x WHERE { ?x ?p ?o }"], ["SPARQL"]),
        (["systems", "--kb", "/nonexistent/kb"], ["does not exist"]),
    ],
    ids=["unknown system", "unknown indicator", "bad query", "missing kb directory"],
)
def test_user_mistakes_exit_2_with_a_clear_message(args, words):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr


def test_a_mistake_with_json_still_prints_a_json_error():
    result = run("show", "nowhere", "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["kind"] == "input"


def test_query_select_prints_a_table_and_json_bindings():
    query = "SELECT ?n WHERE { ?i a dz:Indicator ; skos:notation ?n ; skos:inScheme ?s . ?s dcterms:identifier 'national-2024-draft' } ORDER BY ?n"
    result = run("query", query)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "n" and len(result.stdout.splitlines()) == 26
    bindings = json.loads(run("query", query, "--json").stdout)["results"]["bindings"]
    assert len(bindings) == 25 and bindings[0]["n"]["type"] == "literal"


def test_query_ask_construct_and_stdin():
    assert run("query", "ASK { ?s a dz:PassRule }").stdout.strip() == "true"
    assert json.loads(run("query", "ASK { ?s a dz:Nothing }", "--json").stdout)["boolean"] is False
    construct = run(
        "query",
        "CONSTRUCT { ?r dz:totalAtLeast ?t } WHERE { ?r dz:totalAtLeast ?t }",
    )
    assert construct.exit_code == 0 and "dz:totalAtLeast" in construct.stdout
    piped = run("query", "-", input="SELECT (COUNT(*) AS ?n) WHERE { ?s a dz:IndicatorSystem }")
    assert piped.stdout.splitlines()[1].strip() == "5"


def test_kb_check_passes_on_the_fixture_and_fails_on_broken_data(tmp_path):
    ok = run("kb", "check", "--kb", str(FIXTURE))
    assert ok.exit_code == 0 and "result: OK" in ok.stdout
    broken = tmp_path / "kb"
    broken.mkdir()
    for item in FIXTURE.iterdir():
        target = broken / item.name
        if item.is_dir():
            target.symlink_to(item, target_is_directory=True)
        else:
            target.write_bytes(item.read_bytes())
    (broken / "metrics.yaml").write_text("metrics:\n  online_retail: {label: x}\n", "utf-8")
    failed = run("kb", "check", "--kb", str(broken), "--json")
    assert failed.exit_code == 1
    report = json.loads(failed.stdout)
    assert report["ok"] is False and report["findings"][0]["check"] == "load"
