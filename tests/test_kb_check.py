"""`kb check`: sound data passes, known source defects are reported, broken data fails."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.kb.check import check_kb

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kb"


@pytest.fixture(scope="module")
def real_report() -> dict:
    result = CliRunner().invoke(main_group, ["kb", "check", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def findings(report: dict, **where) -> list[dict]:
    return [f for f in report["findings"] if all(f[k] == v for k, v in where.items())]


def test_the_knowledge_base_has_no_errors_and_counts_what_it_checked(real_report):
    assert real_report["ok"] is True
    assert real_report["errors"] == 0
    counts = real_report["counts"]
    assert counts["systems"] == 5 and counts["indicators"] == 188
    assert counts["anchors"] > 2000 and counts["triples"] > 10000


def test_hejin_promote_declares_20_but_its_indicators_sum_to_18_and_the_system_to_98(real_report):
    [level] = findings(real_report, scope="hejin-2023", subject="level promote", check="arithmetic")
    assert level["severity"] == "warning"
    assert "declares 20" in level["message"] and "sum to 18" in level["message"]
    [total] = findings(
        real_report, scope="hejin-2023", subject="total", check="arithmetic", severity="warning"
    )
    assert "sum to 98" in total["message"]


def test_draft_3_clause_points_exceed_the_indicator(real_report):
    [found] = findings(real_report, scope="national-2024-draft", subject="indicator 3")
    assert found["severity"] == "warning"
    assert "3 + 3 = 6" in found["message"] and "5" in found["message"]
    assert found["indicator"] == "3" and found["file"] == "kb/systems/national-2024-draft.yaml"


def test_draft_24_leaves_one_of_four_points_unreachable(real_report):
    [found] = findings(real_report, scope="national-2024-draft", subject="indicator 24")
    assert found["severity"] == "warning"
    assert re.search(r"at most 3 of the indicator's 4 points: 1 unreachable", found["message"])


def test_hejin_units_named_after_tianjin_are_reported(real_report):
    found = findings(real_report, scope="hejin-2023", check="units")
    assert [f["subject"] for f in found] == ["unit hejin-u15"]
    assert "天津市" in found[0]["message"] and "河津市" in found[0]["message"]


def test_the_yantai_web_spam_recorded_in_the_kb_is_reported(real_report):
    [found] = findings(real_report, scope="yantai", check="recorded")
    assert found["severity"] == "warning" and found["source"] == "yantai"
    assert "web_spam" in found["message"] and "总局" in found["message"]


def test_every_finding_names_its_place_and_problem(real_report):
    for finding in real_report["findings"]:
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["subject"] and finding["message"]


def test_a_broken_copy_fails_naming_the_indicator_and_the_problem(kb_copy):
    national = kb_copy / "systems" / "national-2022.yaml"
    text = national.read_text(encoding="utf-8")
    block = text.index("\n- number: 3\n")
    points = text.index("  points: 2\n", block)
    national.write_text(text[:points] + text[points + len("  points: 2\n") :], encoding="utf-8")
    draft = kb_copy / "systems" / "national-2024-draft.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "start: 3111, end: 3125" in text
    draft.write_text(text.replace("start: 3111, end: 3125", "start: 3112, end: 3125"), "utf-8")

    result = CliRunner().invoke(main_group, ["kb", "check", "--kb", str(kb_copy)])
    assert result.exit_code == 1, result.output  # the report below comes from the same run
    assert "[national-2022] indicator 3: needs exactly one points value" in result.stdout
    assert re.search(
        r"\[national-2024-draft\] indicator 1: anchor \(title\) samr-2024\[3112:3125\]: quote .* differs",
        result.stdout,
    )
    report = check_kb(kb_copy)
    errors = report.by_severity("error")
    assert {(f.scope, f.subject) for f in errors} >= {
        ("national-2022", "indicator 3"),
        ("national-2024-draft", "indicator 1"),
    }
    [anchor] = [f for f in errors if f.code == "anchor"]
    assert anchor.file == "kb/systems/national-2024-draft.yaml" and anchor.line == 88


def break_fixture(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_the_fixture_has_only_its_foreign_unit_warning():
    report = check_kb(FIXTURE)
    assert report.ok
    assert [(f.code, f.scope, f.subject) for f in report.findings] == [
        ("units", "mini-local", "unit mini-u02")
    ]


# (what, file, old, new, (severity, check, scope, subject, words in the message))
BROKEN = [
    (
        "indicator points disagree with the anchored text",
        "systems/mini.yaml",
        "    points: 12\n",
        "    points: 11\n",
        ("error", "points_text", "mini", "indicator 1", ["11", "（12分）"]),
    ),
    (
        "clause points fall short of the indicator",
        "systems/mini.yaml",
        "        points: 12\n",
        "        points: 10\n",
        (
            "warning",
            "arithmetic",
            "mini",
            "indicator 1",
            ["10 of the indicator's 12", "2 unreachable"],
        ),
    ),
    (
        "level points do not add up",
        "systems/mini.yaml",
        "total_points: 20",
        "total_points: 21",
        ("warning", "arithmetic", "mini", "total", ["declares 21", "sum to 20"]),
    ),
    (
        "a method the ontology does not know",
        "systems/mini.yaml",
        "methods: [数据比对]",
        "methods: [数据对比]",
        ("error", "vocabulary", "mini", "indicator 1", ["数据对比"]),
    ),
    (
        "an indicator without criterion",
        "systems/mini.yaml",
        "    criterion: 近2年，超过1年得6分，共12分。\n",
        "",
        ("error", "shacl", "mini", "indicator 1", ["criterion"]),
    ),
    (
        "an anchor beyond the end of its source",
        "systems/mini.yaml",
        "start: 207, end: 213",
        "start: 207, end: 999",
        ("error", "anchor", "mini-local", "indicator 1", ["out of range"]),
    ),
    (
        "an unknown key",
        "systems/mini.yaml",
        "    nature: 定量",
        "    natur: 定量",
        ("error", "load", "", "indicators[1].natur", ["allowed"]),
    ),
]


@pytest.mark.parametrize(
    ("what", "file", "old", "new", "expected"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_each_kind_of_problem_is_found_and_named(tmp_path, what, file, old, new, expected):
    if "beyond the end" in what:
        file = "systems/mini-local.yaml"
    root = break_fixture(tmp_path, file, old, new)
    report = check_kb(root)
    severity, check, scope, subject, words = expected
    found = [f for f in report.findings if (f.code, f.scope, f.subject) == (check, scope, subject)]
    assert found, [f.render("en") for f in report.findings]
    assert found[0].severity == severity
    for word in words:
        assert word in found[0].message, found[0].message
    assert report.ok is (severity != "error")
