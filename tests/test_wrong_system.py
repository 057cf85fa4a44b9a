"""A submission written for another system, scored with --system: one summary line says so,
counts the clauses that system lacks and gives the `impact` command that carries it over; the
details are shortened in text and complete in --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli import main_group

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SUBMISSION_2022 = str(EXAMPLES / "national-2022" / "submission.yaml")
IMPACT = f"demozone impact national-2022 national-2024-draft {SUBMISSION_2022}"


@pytest.mark.parametrize("verb", ["score", "explain"])
def test_a_2022_submission_under_the_2024_draft_gets_one_summary_line(verb):
    result = CliRunner().invoke(
        main_group, [verb, SUBMISSION_2022, "--system", "national-2024-draft"]
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误/error:")]
    summary = errors[0]
    assert "该申报材料按 national-2022 编写，不是 national-2024-draft" in summary
    assert "32 个条款在 national-2024-draft 中不存在" in summary
    assert IMPACT in summary
    # the details it explains: a few, then how many more
    assert len(errors) == 4, result.stderr
    assert "另有 70 处错误未列出" in result.stderr
    assert "Traceback" not in result.output


def test_the_json_error_carries_the_summary_first_and_every_problem():
    result = CliRunner().invoke(
        main_group, ["score", SUBMISSION_2022, "--system", "national-2024-draft", "--json"]
    )
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    (summary,) = error["summary"]
    assert IMPACT in summary["message"] and "32 个条款" in summary["message_zh"]
    assert error["problems"][0] == summary and len(error["problems"]) == 1 + 73


def test_a_submission_with_a_mistake_for_its_own_system_gets_no_summary():
    result = CliRunner().invoke(
        main_group, ["score", str(EXAMPLES / "invalid" / "unknown-clause.yaml")]
    )
    assert result.exit_code == 2
    assert "不是" not in result.stderr and "demozone impact" not in result.stderr
