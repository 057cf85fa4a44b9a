"""Workbooks that are wrong: each crafted fault fails with a message in Chinese and English that
names its sheet and cell (指标数据!F7); several faults are listed at once; nothing is written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from demozone.api import InputError, convert
from demozone.cli import main_group
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.workbook import layout

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "national-2022" / "submission.yaml"
M, E, J = layout.METRICS, layout.EVIDENCE, layout.JUDGMENTS
H, OPS = layout.HEADER, layout.OPERATORS


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The national-2022 example as a workbook, beside a copy of its evidence."""
    folder = tmp_path_factory.mktemp("bad")
    shutil.copytree(EXAMPLE.parent / "evidence", folder / "evidence")
    convert(EXAMPLE, folder / "base.xlsx")
    return folder / "base.xlsx"


def metric_row(book, metric: str) -> int:
    sheet = book[M]
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == metric)


def judged_row(book, answer: str = layout.YES) -> int:
    """A clause row where the first assessor answered `answer`."""
    sheet = book[J]
    return next(
        r
        for r in range(layout.JUDGMENT_FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, 4).value == answer
    )


def _set(sheet: str, cell: str, value):
    def mutate(book):
        book[sheet][cell] = value
        return f"{sheet}!{cell}"

    return mutate


def _metric(metric: str, column: str, value):
    def mutate(book):
        row = metric_row(book, metric)
        book[M][f"{column}{row}"] = value
        return f"{M}!{column}{row}"

    return mutate


def _judgment(column: str, value, answer: str = layout.YES):
    def mutate(book):
        row = judged_row(book, answer)
        book[J][f"{column}{row}"] = value
        return f"{J}!{column}{row}"

    return mutate


def _missing_sheet(book):
    del book[E]
    return f"{E}!A1"


def _merged_header(book):
    book[M].merge_cells("E1:F1")
    return f"{M}!E1"


def _merged_values(book):
    row = metric_row(book, "online_retail")
    book[M].merge_cells(f"F{row}:G{row}")
    return f"{M}!F{row}"


def _duplicate_metric(book):
    row = book[M].max_row + 1
    book[M][f"A{row}"] = "online_retail"
    book[M][f"F{row}"] = 20
    return f"{M}!A{row}"


def _duplicate_clause(book):
    row = judged_row(book)
    new = book[J].max_row + 1
    book[J][f"A{new}"] = book[J][f"A{row}"].value
    book[J][f"D{new}"] = layout.NO
    return f"{J}!A{new}"


FAULTS = {
    "text in a number cell": _metric("online_retail", "F", "约21.3亿"),
    "a formula without a saved value": _metric("market_entities", "G", "=10000*2"),
    "an unknown clause": _judgment("A", "99.9"),
    "a judgment written 对": _judgment("D", "对"),
    "a missing sheet": _missing_sheet,
    "a merged header": _merged_header,
    "a percent over 100%": _metric("report_check_ontime_rate", "G", "120%"),
    "a rate over 1 typed without %": _metric("case_win_rate", "G", 1.2),
    "a duplicated evidence id": _set(E, "A3", "E1"),
    "an unknown metric id": _metric("online_retail", "A", "online_retial"),
    "a metric given twice": _duplicate_metric,
    "values by year and without a year": _metric("online_retail", "H", 30),
    "a merge across two values": _merged_values,
    "an unknown region class": _set(H, "B4", "华东"),
    "an unknown system": _set(H, "B5", "national-2099"),
    "years that are not years": _set(H, "B6", "2023年和2024年"),
    "an operator outside the assessed years": _set(OPS, "B2", 2021),
    "an unknown evidence kind": _set(E, "C2", "照片"),
    "a satisfied judgment citing nothing": _judgment("E", None),
    "a judgment citing undeclared evidence": _judgment("E", "E99"),
    "judgments without an assessor": _set(J, "D2", None),
    "a clause given twice": _duplicate_clause,
}


def _broken(base: Path, name: str, *faults) -> tuple[Path, list[str]]:
    book = openpyxl.load_workbook(base)
    cells = [fault(book) for fault in faults]
    target = base.parent / f"{name}.xlsx"
    book.save(target)
    return target, cells


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_crafted_bad_workbook_fails_naming_sheet_and_cell(base, fault):
    path, (cell,) = _broken(base, fault.replace(" ", "-"), FAULTS[fault])
    with pytest.raises(InputError) as raised:
        load_submission(path, catalog_from_kb())
    problems = raised.value.problems
    at_cell = [p for p in problems if p.location.cell == cell]
    assert at_cell, f"no problem at {cell}: {[p.render() for p in problems]}"
    assert all(p.message and p.message_zh for p in problems)
    assert all(p.location.cell and "!" in p.location.cell for p in problems)
    assert cell in at_cell[0].render("zh")


def test_the_messages_say_what_is_wrong_in_chinese_and_english(base):
    path, _ = _broken(
        base, "words", FAULTS["a judgment written 对"], FAULTS["a formula without a saved value"]
    )
    with pytest.raises(InputError) as raised:
        load_submission(path, catalog_from_kb())
    texts = " ".join(f"{p.message_zh} {p.message}" for p in raised.value.problems)
    assert "“是”或“否”" in texts and "对" in texts and "yes" in texts
    assert "公式 =10000*2 没有保存的计算结果" in texts and "no saved value" in texts


def test_every_fault_of_a_workbook_is_listed_at_once_and_nothing_is_written(base, tmp_path):
    names = ["text in a number cell", "a judgment written 对", "a duplicated evidence id"]
    names += ["an unknown region class", "a merged header", "a percent over 100%"]
    path, cells = _broken(base, "many", *(FAULTS[n] for n in names))
    store = tmp_path / "store"
    result = CliRunner().invoke(main_group, ["score", str(path), "--store", str(store), "--json"])
    assert result.exit_code == 2, result.output
    problems = json.loads(result.stdout)["error"]["problems"]
    assert set(cells) <= {p.get("cell") for p in problems}
    assert all(cell in result.stderr for cell in cells)
    assert not store.exists()
    target = tmp_path / "out.yaml"
    converted = CliRunner().invoke(main_group, ["convert", str(path), "-o", str(target)])
    assert converted.exit_code == 2 and not target.exists()


def test_a_file_that_is_not_a_workbook_is_refused_without_a_traceback(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main_group, ["score", str(path), "--no-store"])
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr and "Traceback" not in result.output


def test_a_rate_above_100_percent_is_refused_in_yaml_as_in_a_workbook(tmp_path):
    text = EXAMPLE.read_text("utf-8").replace('case_win_rate: "100%"', 'case_win_rate: "100.5%"')
    path = tmp_path / "over.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as raised:
        load_submission(path, catalog_from_kb())
    (problem,) = [p for p in raised.value.problems if p.path.startswith("metrics")]
    assert (
        problem.path == "metrics.case_win_rate" and "100%" in problem.message_zh + problem.message
    )
