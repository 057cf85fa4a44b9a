"""`demozone lint`: the planted defects of tests/fixtures/broken-rules/ (one per file, the
expected findings in its expected.yaml), the known defects of the source texts on the shipped
rule sets, and the verb's output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.api import lint
from demozone.cli import main_group

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "broken-rules"
EXPECTED = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))


def run(*args: str):
    return CliRunner().invoke(main_group, ["lint", *args])


def _found(finding, fixture: str) -> dict:
    """A finding in the shape of expected.yaml: the line only where the fixture itself is meant."""
    location = finding.location
    here = location.file == fixture
    shape = {"code": finding.code, "severity": finding.severity, "path": location.path}
    shape.update({"line": location.line} if here else {"file": location.file})
    return shape


def test_every_broken_rule_file_has_its_expected_findings():
    files = {p.relative_to(BROKEN).as_posix() for p in BROKEN.rglob("*.yaml")}
    assert files - {"expected.yaml"} == set(EXPECTED)
    assert sum(1 for findings in EXPECTED.values() if findings) >= 25


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_lint_reports_the_planted_defect_where_it_was_written(case):
    fixture = f"tests/fixtures/broken-rules/{case}"
    (report,) = lint([str(BROKEN / case)])
    found = sorted((_found(f, fixture) for f in report.findings), key=json.dumps)
    expected = sorted(EXPECTED[case], key=json.dumps)
    assert found == expected, "\n".join(f.render() for f in report.findings)
    assert report.ok == (not any(f["severity"] == "error" for f in expected))


def test_each_planted_defect_says_which_defect_it_is():
    for case in EXPECTED:
        first = (BROKEN / case).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(("# Defect: ", "# Not broken: ")), case


def test_every_shipped_rule_set_lints_without_errors_and_warns_only_of_source_defects():
    reports = lint()
    assert {r.rule_set for r in reports} >= {
        "national-2022",
        "national-2022-strict",
        "national-2024-draft",
        "hejin-2023",
        "wanrong-2022",
        "liangdang-2022",
    }
    for report in reports:
        assert report.ok, [f.render() for f in report.findings]
        warnings = [f for f in report.findings if f.severity == "warning"]
        assert all(f.source_defect for f in warnings), [f.render() for f in warnings]


def test_hejin_is_reported_at_18_of_20_points_for_promote_as_its_recorded_source_defect():
    (report,) = lint(["hejin-2023"])
    by_path = {f.location.path: f for f in report.findings}
    promote = by_path["first_level.promote"]
    assert (promote.severity, promote.code) == ("warning", "level-sum")
    assert promote.location.file == "kb/systems/hejin-2023.yaml"
    assert "declares 20 points" in promote.message and "add up to 18" in promote.message
    assert promote.source_defect.startswith("kb/systems/hejin-2023.yaml:")
    assert "missing_indicator" in promote.source_defect
    total = by_path["total_points"]
    assert (total.severity, total.code) == ("warning", "total-sum")
    assert "declares 100 points" in total.message and "add up to 98" in total.message


def test_the_2024_draft_reports_indicator_3_over_and_indicator_24_under_its_points():
    (report,) = lint(["national-2024-draft"])
    by_path = {f.location.path: f for f in report.findings if f.severity == "warning"}
    three, twenty_four = by_path["indicators.3.points"], by_path["indicators.24.points"]
    assert three.code == "parts-exceed-indicator" and "3 + 3 = 6" in three.message
    assert twenty_four.code == "unreachable-points" and "at most 3 of its 4" in twenty_four.message
    for finding in (three, twenty_four):
        assert finding.location.file == "rules/national-2024-draft.yaml"
        assert finding.location.line is not None
        assert finding.source_defect.startswith("kb/systems/national-2024-draft.yaml:")


def test_a_rule_file_kept_elsewhere_extends_a_shipped_rule_set(tmp_path):
    variant = tmp_path / "local.yaml"
    variant.write_text(
        "system: local\nextends: national-2022\nkb_system: national-2022\n", encoding="utf-8"
    )
    (report,) = lint([str(variant)])
    assert report.ok and report.files == ("rules/national-2022.yaml", str(variant))


def test_cli_lints_every_shipped_rule_set_with_exit_0_and_shows_the_source_defects():
    result = run()
    assert result.exit_code == 0, result.output
    assert "[level-sum] kb/systems/hejin-2023.yaml" in result.stdout
    assert "来源文件缺陷/source defect" in result.stdout
    assert "[parts-exceed-indicator] rules/national-2024-draft.yaml" in result.stdout


def test_cli_json_gives_severity_code_location_and_message_and_exit_1_on_an_error():
    result = run(str(BROKEN / "band-overlap.yaml"), "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    (finding,) = document["reports"][0]["findings"]
    assert finding["severity"] == "error" and finding["code"] == "band-overlap"
    assert finding["location"] == {
        "file": "tests/fixtures/broken-rules/band-overlap.yaml",
        "line": 9,
        "path": "override.n22-3.bands[1]",
    }
    assert finding["message"] and finding["message_zh"]


@pytest.mark.parametrize(
    "target, text",
    [
        ("no-such-system", "no rule file for system 'no-such-system'"),
        ("missing/rules.yaml", "file not found"),
        ("rules", "not a rule file"),
    ],
)
def test_cli_exits_2_without_a_traceback_for_what_is_no_rule_set(target, text):
    result = run(target)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert text in result.stderr


def test_cli_exits_2_naming_file_and_line_for_a_rule_file_the_loader_rejects(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "system: bad\nextends: national-2022\nkb_system: national-2022\n"
        "indicators:\n  '3':\n    points: 2\n    rules:\n      - {id: x, clause: '3.1', kind: bands}\n",
        encoding="utf-8",
    )
    result = run(str(bad), "--json")
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    (problem,) = json.loads(result.stdout)["error"]["problems"]
    assert problem["file"] == str(bad) and problem["line"] == 8
