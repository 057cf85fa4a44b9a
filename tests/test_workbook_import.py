"""Workbooks in: every example submission, filled into its system's template by a script (and
written by `convert`), scores exactly as its YAML does, also after LibreOffice re-saves it; score,
explain, impact and report take .xlsx; a clerk's full-width digits, merged cells, blank rows,
trailing spaces and saved formulas are read as meant, and what was normalised is said."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from demozone.api import assess, convert, result_json, template
from demozone.cli import main_group
from demozone.common.yamlio import load_yaml
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.workbook import layout

from .conftest import ROOT
from .workbook_helpers import fill_template, meaning, resave

EXAMPLES = {
    "national-2022": ROOT / "examples" / "national-2022" / "submission.yaml",
    "national-2024-draft": ROOT / "examples" / "national-2024-draft" / "submission.yaml",
    "hejin-2023": ROOT / "examples" / "hejin-2023" / "submission.yaml",
    **{f"impact-{p.stem}": p for p in sorted((ROOT / "examples" / "impact").glob("*.yaml"))},
}


def scored(path: Path) -> dict:
    return result_json(assess(path, write=False).result, None)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """name -> {"yaml", "filled", "converted"}: each example beside a copy of its evidence,
    filled into its template by a script and written by `convert`."""
    root = tmp_path_factory.mktemp("examples")
    made = {}
    for name, source in EXAMPLES.items():
        folder = root / name
        folder.mkdir()
        if (source.parent / "evidence").is_dir():
            shutil.copytree(source.parent / "evidence", folder / "evidence")
        doc = load_yaml(source)
        empty = folder / "template.xlsx"
        template(doc["submission"]["system"], empty, tuple(doc["submission"]["years"]))
        fill_template(empty, doc, folder / "filled.xlsx")
        convert(source, folder / "converted.xlsx")
        made[name] = {
            "yaml": source,
            "filled": folder / "filled.xlsx",
            "converted": folder / "converted.xlsx",
        }
    return made


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_an_example_filled_into_its_template_scores_as_its_yaml(workbooks, name):
    files = workbooks[name]
    expected = scored(files["yaml"])
    assert scored(files["filled"]) == expected
    assert scored(files["converted"]) == expected


def test_the_same_after_libreoffice_re_saves_every_workbook(workbooks, libreoffice, tmp_path):
    names = sorted(workbooks)
    for kind in ("filled", "converted"):
        folder = tmp_path / kind
        folder.mkdir()
        copies = []
        for name in names:  # beside the evidence, under a name of its own
            copy = workbooks[name][kind].parent / f"{kind}-{name}.xlsx"
            shutil.copy(workbooks[name][kind], copy)
            copies.append(copy)
        saved = resave(libreoffice, copies, folder)
        for name, resaved, copy in zip(names, saved, copies, strict=True):
            shutil.copy(resaved, copy.parent / f"lo-{copy.name}")
            assert scored(copy.parent / f"lo-{copy.name}") == scored(workbooks[name]["yaml"]), name


def test_a_formula_is_read_from_the_value_libreoffice_saved(workbooks, libreoffice, tmp_path):
    source = workbooks["national-2022"]["converted"]
    book = openpyxl.load_workbook(source)
    sheet = book[layout.METRICS]
    row = _row(sheet, "market_entities")
    sheet.cell(row, 7).value = "=10000*2"  # 2024 column: 20000, as in the YAML
    with_formula = source.parent / "formula.xlsx"
    book.save(with_formula)
    (saved,) = resave(libreoffice, [with_formula], tmp_path / "lo")
    shutil.copy(saved, source.parent / "formula-saved.xlsx")
    submission = load_submission(source.parent / "formula-saved.xlsx", catalog_from_kb())
    assert meaning(submission) == meaning(
        load_submission(EXAMPLES["national-2022"], catalog_from_kb())
    )


def _row(sheet, metric: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == metric)


def test_a_clerks_habits_are_read_as_meant_and_the_normalisation_is_said(workbooks, tmp_path):
    source = workbooks["national-2022"]["converted"]
    book = openpyxl.load_workbook(source)
    metrics = book[layout.METRICS]
    rate = _row(metrics, "report_check_ontime_rate")
    metrics.cell(rate, 7).value = "９７.３％"  # full-width digits and percent sign
    metrics.cell(_row(metrics, "online_operators"), 7).value = "２８４０ "
    metrics.insert_rows(5, 2)  # blank rows
    evidence = book[layout.EVIDENCE]
    evidence["E3"] = "县发改局   "  # trailing spaces
    evidence["F2"] = dt.date(2023, 3, 15)  # a date typed as a date
    evidence.insert_rows(4)
    judgments = book[layout.JUDGMENTS]
    judgments.cell(2, 4).value = judgments.cell(2, 4).value + "  "
    target = source.parent / "clerk.xlsx"
    book.save(target)
    expected = load_submission(EXAMPLES["national-2022"], catalog_from_kb())
    loaded = load_submission(target, catalog_from_kb())
    assert meaning(loaded) == meaning(expected)
    noted = {n.location.cell for n in loaded.notes}
    assert f"{layout.METRICS}!G{rate + 2}" in noted
    assert any("９７.３％" in n.message_zh and "97.3%" in n.message_zh for n in loaded.notes)
    command = [str(Path(sys.executable).parent / "demozone"), "score", str(target), "--no-store"]
    result = subprocess.run([*command, "--json"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "全角字符" in result.stderr and f"{layout.METRICS}!G{rate + 2}" in result.stderr
    assert json.loads(result.stdout) == scored(EXAMPLES["national-2022"])


def test_a_merged_cell_spanning_rows_gives_its_value_to_each_row(workbooks):
    source = workbooks["national-2022"]["converted"]
    book = openpyxl.load_workbook(source)
    evidence = book[layout.EVIDENCE]
    for row in range(6, 9):  # E5 to E7 issued by the same body, written once and merged
        evidence.cell(row, 5).value = None
    evidence["E6"] = "县市场监管局"
    evidence.merge_cells("E6:E8")
    target = source.parent / "merged.xlsx"
    book.save(target)
    loaded = load_submission(target, catalog_from_kb())
    assert [loaded.evidence[e].issued_by for e in ("E5", "E6", "E7")] == ["县市场监管局"] * 3
    assert any(n.location.cell == f"{layout.EVIDENCE}!E7" for n in loaded.notes)


def test_explain_impact_and_report_take_a_workbook(workbooks, tmp_path):
    workbook = workbooks["national-2022"]["converted"]
    runner = CliRunner()
    explained = runner.invoke(main_group, ["explain", str(workbook), "-i", "3", "--json"])
    assert explained.exit_code == 0, explained.output
    from_yaml = runner.invoke(
        main_group, ["explain", str(EXAMPLES["national-2022"]), "-i", "3", "--json"]
    )
    assert _without_ids(explained.stdout) == _without_ids(from_yaml.stdout)
    folder = tmp_path / "impact"
    folder.mkdir()
    for name in ("impact-01-strong", "impact-02-regulate-76"):
        shutil.copy(workbooks[name]["converted"], folder / f"{name}.xlsx")
    impact = runner.invoke(
        main_group, ["impact", "national-2022", "national-2022-strict", str(folder), "--json"]
    )
    assert impact.exit_code in (0, 1), impact.output
    data = json.loads(impact.stdout)
    assert not data.get("rejected") and len(data["submissions"]) == 2
    report = runner.invoke(
        main_group,
        ["report", str(workbook), "--format", "html", "-o", str(tmp_path / "r.html")],
    )
    assert report.exit_code == 0, report.output
    assert "青岚县" in (tmp_path / "r.html").read_text("utf-8")


def _without_ids(text: str) -> str:
    data = json.loads(text)
    return json.dumps(_strip(data), ensure_ascii=False, sort_keys=True)


def _strip(value):
    if isinstance(value, dict):
        return {
            k: _strip(v)
            for k, v in value.items()
            if k not in ("assessment", "iri", "file", "where")
        }
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def test_a_workbook_saved_under_another_suffix_is_still_read_as_a_workbook(workbooks, tmp_path):
    folder = workbooks["national-2022"]["converted"].parent
    misnamed = folder / "submission-from-excel.yaml"
    shutil.copy(workbooks["national-2022"]["converted"], misnamed)
    assert scored(misnamed) == scored(EXAMPLES["national-2022"])


def test_an_old_xls_file_is_refused_with_what_to_do(tmp_path):
    old = tmp_path / "submission.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 old binary workbook")
    result = CliRunner().invoke(main_group, ["score", str(old), "--no-store"])
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr and "Traceback" not in result.output
