"""The plan where people read it: one row per change and responsible unit (who owes what) in the
plan's JSON and text, as a workbook (`plan -o plan.xlsx`) and as the section 意见建议 of the
report (`report --plan`) in HTML, PDF and Word. Hejin's decomposition dates none of its tasks:
every output says 来源未规定期限, never None or null in words."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from demozone.api import plan_submission, plan_table
from demozone.cli import main_group
from demozone.procedure.planrows import NO_DEADLINE, NO_TASK, NO_UNIT, plan_rows
from tests.test_procedure_plan import _hejin_failing
from tests.test_report import _tool

ROOT = Path(__file__).resolve().parent.parent
FAILS_NATIONAL = ROOT / "examples" / "impact" / "13-fails-total.yaml"
PASSES_NATIONAL = ROOT / "examples" / "national-2022" / "submission.yaml"
HEJIN_TASKS = {
    t["number"]: t
    for t in yaml.safe_load((ROOT / "kb" / "localities" / "hejin.yaml").read_text())["tasks"]
}


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("DEMOZONE_STORE", str(tmp_path / "store"))


@pytest.fixture(scope="module")
def hejin(tmp_path_factory) -> tuple[Path, dict]:
    path = _hejin_failing(tmp_path_factory.mktemp("hejin"))
    return path, plan_submission(str(path))


def test_hejin_rows_name_each_unit_of_the_task_with_the_undated_deadline_said_plainly(hejin):
    _, shaped = hejin
    rows = shaped["rows"]
    assert rows and rows == plan_rows(shaped)
    changes = {c["key"]: c for c in shaped["changes"]}
    for row in rows:
        change = changes[row["change"]]
        assert row["text"] == change["text"] and row["cost"] == change["cost"]
        assert row["indicator"] in change["indicators"]
        if row["task"] == NO_TASK:
            assert row["deadline"] is None and row["deadline_text"] == "—"
            continue
        number = int(row["task"].removeprefix("任务").split()[0])
        task = HEJIN_TASKS[number]
        assert row["unit"] in task["units"]["names"]
        assert int(row["indicator"]) in task["indicators"]
        assert row["task_text"] == task["text"]
        assert row["deadline"] is None and row["deadline_text"] == NO_DEADLINE
    for key in changes:  # every change reaches at least one unit's list
        assert any(row["change"] == key for row in rows)


def test_plan_text_says_the_source_sets_no_deadline_and_never_none(hejin):
    _, shaped = hejin
    text = plan_table(shaped)
    assert f"期限：{NO_DEADLINE}" in text
    assert "None" not in text and "null" not in text and "未列明）" not in text
    for group in shaped["by_unit"]:
        for item in group["items"]:
            if item["task"] is not None:
                assert item["task"]["deadline"] is None
                assert item["task"]["deadline_text"] == NO_DEADLINE


def test_national_rows_list_each_change_once_by_indicator_with_no_unit_named():
    shaped = plan_submission(str(FAILS_NATIONAL))
    assert [r["change"] for r in shaped["rows"]] == [c["key"] for c in shaped["changes"]]
    for row in shaped["rows"]:
        assert row["unit"] == NO_UNIT and row["unit_named"] is False
        assert row["task"] == NO_TASK


def test_plan_workbook_holds_one_row_per_change_and_unit_and_a_summary(hejin, tmp_path):
    path, shaped = hejin
    out = tmp_path / "plan.xlsx"
    done = CliRunner().invoke(main_group, ["plan", str(path), "-o", str(out), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["workbook"] == str(out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["整改计划", "概况"]
    header, *body = list(book["整改计划"].iter_rows(values_only=True))
    assert header == ("责任单位", "指标", "条款/数据项", "整改内容", "成本", "对应任务", "期限")
    expected = [
        (
            r["unit"],
            r["indicator"],
            r["target"],
            r["text"],
            r["cost"],
            r["task"],
            r["deadline_text"],
        )
        for r in shaped["rows"]
    ]
    assert body == expected
    assert {row[6] for row in body} <= {NO_DEADLINE, "—"} and NO_DEADLINE in {r[6] for r in body}
    assert book["整改计划"].auto_filter.ref  # each bureau filters out its own list
    summary = dict(book["概况"].iter_rows(min_row=2, values_only=True))
    assert summary["总成本 Cost"] == shaped["cost"]
    assert summary["整改后总分 Total after"] == shaped["after"]["total"]
    assert summary["分解方案 Decomposition"] == "hejin"


def test_plan_workbook_that_is_not_xlsx_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "plan.csv"
    done = CliRunner().invoke(main_group, ["plan", str(FAILS_NATIONAL), "-o", str(out)])
    assert done.exit_code == 2 and ".xlsx" in done.output and "Traceback" not in done.output
    assert not out.exists()


def _report(ref: Path, out: Path, *args: str) -> dict:
    done = CliRunner().invoke(main_group, ["report", str(ref), "-o", str(out), "--json", *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def _pdf_raw_text(path: Path) -> str:
    """The PDF's text in the order it was laid down, so a cell wrapped over lines reads whole."""
    import subprocess

    done = subprocess.run(
        [_tool("pdftotext"), "-raw", str(path), "-"], capture_output=True, text=True, check=True
    )
    return "".join(done.stdout.split())


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_report_with_plan_has_the_recommendations_section_with_units_and_deadlines(
    hejin, tmp_path, fmt
):
    path, shaped = hejin
    out = tmp_path / f"report.{fmt}"
    summary = _report(path, out, "--plan")
    assert summary["plan_rows"] == len(shaped["rows"])
    if fmt == "html":
        text = out.read_text(encoding="utf-8")
    elif fmt == "docx":
        text = _docx_text(out)
    else:
        text = _pdf_raw_text(out)
    assert "六、意见建议" in text and "河津市任务分解方案" in text
    assert NO_DEADLINE in text
    units = {r["unit"] for r in shaped["rows"]}
    assert all(unit in text for unit in units)
    assert f"总分由{shaped['before']['total']}分提高到{shaped['after']['total']}分" in text


def test_report_without_plan_has_no_recommendations_section(hejin, tmp_path):
    path, _ = hejin
    out = tmp_path / "report.html"
    assert _report(path, out)["plan_rows"] is None
    assert "意见建议" not in out.read_text(encoding="utf-8")


def test_report_plan_of_a_passing_submission_says_nothing_needs_to_change(tmp_path):
    out = tmp_path / "report.docx"
    assert _report(PASSES_NATIONAL, out, "--plan")["plan_rows"] == 0
    assert "评估结果已达到示范区创建评估要求，无需整改。" in _docx_text(out)


def test_english_report_plan_translates_the_section_and_keeps_the_change_text(tmp_path):
    out = tmp_path / "report.html"
    _report(FAILS_NATIONAL, out, "--plan", "--lang", "en")
    text = out.read_text(encoding="utf-8")
    assert "6. Recommendations (remediation plan)" in text and "What to change" in text
    assert "条款 29.3 通过新增工作经评审认定满足" in text  # the change's words stay Chinese


def _passes(path: Path) -> bool:
    done = CliRunner().invoke(main_group, ["score", str(path), "--json"])
    assert done.exit_code in (0, 1), done.output
    return json.loads(done.stdout)["passed"]


def test_apply_to_a_workbook_scores_as_passing_and_carries_the_plan_sheet(tmp_path):
    out = tmp_path / "applied.xlsx"
    shaped = plan_submission(str(FAILS_NATIONAL), apply_out=str(out))
    assert shaped["applied_to"] == str(out) and _passes(out)
    book = openpyxl.load_workbook(out)
    assert "整改计划" in book.sheetnames and "指标数据" in book.sheetnames
    body = list(book["整改计划"].iter_rows(min_row=2, values_only=True))
    assert [row[3] for row in body] == [r["text"] for r in shaped["rows"]]


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_a_workbook_submission_plans_and_its_plan_applies_in_every_format(tmp_path, suffix):
    source = tmp_path / "failing.xlsx"
    convert = CliRunner().invoke(main_group, ["convert", str(FAILS_NATIONAL), "-o", str(source)])
    assert convert.exit_code == 0, convert.output
    assert not _passes(source)
    out = tmp_path / f"applied{suffix}"
    done = CliRunner().invoke(main_group, ["plan", str(source), "--apply", str(out), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["after"]["passed"] and _passes(out)


def test_apply_to_a_file_of_another_kind_is_refused_and_nothing_is_written(tmp_path):
    out = tmp_path / "applied.txt"
    done = CliRunner().invoke(main_group, ["plan", str(FAILS_NATIONAL), "--apply", str(out)])
    assert done.exit_code == 2 and ".xlsx" in done.output and "Traceback" not in done.output
    assert not out.exists()


def test_report_plan_of_a_stored_assessment_is_the_plan_of_its_submission(tmp_path):
    scored = CliRunner().invoke(main_group, ["score", str(FAILS_NATIONAL), "--json"])
    iri = json.loads(scored.stdout)["assessment"]
    out = tmp_path / "report.html"
    summary = _report(iri, out, "--plan")
    shaped = plan_submission(str(FAILS_NATIONAL))
    assert summary["assessment"] == iri and summary["plan_rows"] == len(shaped["rows"])
    text = out.read_text(encoding="utf-8")
    assert all(row["text"] in text for row in shaped["rows"])


def test_report_costs_without_plan_is_a_user_mistake(tmp_path):
    out = tmp_path / "report.html"
    done = CliRunner().invoke(
        main_group, ["report", str(FAILS_NATIONAL), "-o", str(out), "--costs", "x.yaml"]
    )
    assert done.exit_code == 2 and "--plan" in done.output and "Traceback" not in done.output
    assert not out.exists()
