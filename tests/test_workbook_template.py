"""`demozone template SYSTEM -o FILE.xlsx`: a workbook per system that openpyxl and LibreOffice
open, with every metric the rules read, every judged clause verbatim, drop-down lists, number
validation, English comments on locked Chinese headers."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from demozone.api import template
from demozone.cli import main_group
from demozone.kb import load as kb
from demozone.rules.load import available_rule_sets, judged_clauses, needed_metrics
from demozone.rules.lookup import rules_of
from demozone.submission.workbook import layout

from .workbook_helpers import resave

SYSTEMS = sorted(available_rule_sets())
YEARS = (2023, 2024)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    made = {}
    for system in SYSTEMS:
        made[system] = folder / f"{system}.xlsx"
        template(system, made[system], YEARS)
    return made


def test_there_is_a_template_for_every_system_and_variant():
    assert {"national-2022", "national-2024-draft", "national-2022-strict"} <= set(SYSTEMS)


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_template_opens_in_openpyxl_with_the_sheets_of_the_format(templates, system):
    book = openpyxl.load_workbook(templates[system])
    assert book.sheetnames == list(layout.SHEETS)
    header = book[layout.HEADER]
    assert [header.cell(r, 1).value for r in range(2, 7)] == [c.zh for c in layout.HEADER_ROWS]
    assert header["B5"].value == rules_of(system).kb_system
    assert header["B6"].value == "2023, 2024"


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_metric_sheet_lists_every_metric_the_rules_read_by_year(templates, system):
    sheet = openpyxl.load_workbook(templates[system])[layout.METRICS]
    headers = [sheet.cell(1, c).value for c in range(1, sheet.max_column + 1)]
    assert headers == [
        *(c.zh for c in layout.METRIC_COLUMNS),
        "2022年",
        "2023年",
        "2024年",
        "不分年度",
    ]
    ids = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    needed = {m for rule in rules_of(system).rules() for m in needed_metrics(rule)}
    assert needed <= set(ids)
    row = ids.index("online_operators") + 2 if "online_operators" in ids else None
    if row:
        assert sheet.cell(row, 2).value == "网络交易经营者(主体)数量"
        assert sheet.cell(row, 3).value == "户"
        assert "3" in sheet.cell(row, 4).value.split("、")


@pytest.mark.parametrize("system", SYSTEMS)
def test_the_judgment_sheet_has_every_judged_clause_with_its_verbatim_text(templates, system):
    sheet = openpyxl.load_workbook(templates[system])[layout.JUDGMENTS]
    rows = {
        sheet.cell(r, 1).value: sheet.cell(r, 3).value
        for r in range(layout.JUDGMENT_FIRST_ROW, sheet.max_row + 1)
    }
    rule_set = rules_of(system)
    assert set(rows) == set(judged_clauses(rule_set))
    kb_system = kb.get_system(rule_set.kb_system)
    texts = {c.id: c.text for i in kb_system.indicators for c in i.clauses}
    assert all(rows[clause] == texts[clause] for clause in rows)
    assert sheet.cell(1, 4).value == "是否满足" and sheet.cell(2, 1).value == "评审专家"


def test_headers_are_locked_chinese_with_english_comments_and_input_cells_are_open(templates):
    book = openpyxl.load_workbook(templates["national-2022"])
    for name in layout.READ_SHEETS:
        sheet = book[name]
        assert sheet.protection.sheet, name
        first = sheet.cell(1, 1)
        assert first.protection.locked and first.comment and first.comment.text.isascii()
    assert not book[layout.HEADER]["B2"].protection.locked
    assert not book[layout.METRICS]["F2"].protection.locked
    assert book[layout.METRICS]["B2"].protection.locked  # the name is for reading
    assert not book[layout.EVIDENCE]["A2"].protection.locked


def test_choices_are_drop_down_lists_and_numbers_are_validated(templates):
    book = openpyxl.load_workbook(templates["national-2024-draft"])
    lists = {
        str(dv.sqref): dv.formula1 for dv in book[layout.HEADER].data_validations.dataValidation
    }
    assert lists["B4"] == '"东部,中部,西部,东北"'
    assert "national-2024-draft" in lists["B5"]
    checks = book[layout.METRICS].data_validations.dataValidation
    kinds = {(dv.type, dv.operator, dv.formula1, dv.formula2) for dv in checks}
    assert ("decimal", "between", "0", "1") in kinds  # rates: 0% to 100%
    assert ("whole", "greaterThanOrEqual", "0", None) in kinds  # counts
    judged = book[layout.JUDGMENTS].data_validations.dataValidation
    assert any(dv.formula1 == '"是,否"' for dv in judged)
    evidence = book[layout.EVIDENCE].data_validations.dataValidation
    assert any(dv.formula1 == '"文件,媒体报道,制度成果,表彰认可"' for dv in evidence)


def test_every_template_opens_in_libreoffice(templates, libreoffice, tmp_path):
    saved = resave(libreoffice, list(templates.values()), tmp_path / "lo")
    for path in saved:
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == list(layout.SHEETS)
        assert book[layout.JUDGMENTS].cell(1, 1).value == "条款编号"


def test_the_template_command_writes_the_workbook_and_says_what_it_holds(tmp_path):
    target = tmp_path / "t.xlsx"
    result = CliRunner().invoke(
        main_group,
        ["template", "national-2022", "-o", str(target), "--years", "2023,2024", "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["system"] == "national-2022" and summary["years"] == [2023, 2024]
    assert summary["judged_clauses"] == len(judged_clauses(rules_of("national-2022")))
    assert openpyxl.load_workbook(target).sheetnames == list(layout.SHEETS)


@pytest.mark.parametrize(
    "args",
    [
        ["template", "no-such-system", "-o", "x.xlsx"],
        ["template", "national-2022", "-o", "x.yaml"],
        ["template", "national-2022", "-o", "x.xlsx", "--years", "2024,2023"],
    ],
)
def test_the_template_command_refuses_bad_input_with_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main_group, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_the_template_command_has_help():
    result = CliRunner().invoke(main_group, ["template", "--help"])
    assert result.exit_code == 0 and "评审意见" in result.output
