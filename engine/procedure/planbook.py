"""A plan as an Excel/WPS workbook (`demozone plan ... -o plan.xlsx`): the sheet 整改计划, one row
per change and responsible unit (planrows), filterable so each bureau picks out its list, and
the sheet 概况 with what the plan does to the scores; and the sheet 整改计划 added to a submission
workbook the plan was applied to."""

from __future__ import annotations

import io
import os
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from demozone.common.errors import InputError, Problem
from demozone.procedure.planrows import COLUMNS
from demozone.submission.workbook.style import header

PLAN_SHEET = "整改计划"
SUMMARY_SHEET = "概况"
_WIDTHS = {"unit": 24, "indicator": 8, "target": 18, "text": 48, "cost": 9, "task": 28}


def plan_workbook_bytes(shaped: dict) -> bytes:
    """The .xlsx bytes of a plan in the shape of `plangroups.plan_json`."""
    book = Workbook()
    sheet = book.active
    sheet.title = PLAN_SHEET
    _fill(sheet, shaped)
    _summary(book.create_sheet(SUMMARY_SHEET), shaped)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_plan_workbook(path: Path, shaped: dict) -> None:
    """Write the plan's workbook whole or not at all; InputError when it cannot be written."""
    path = Path(path)
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_bytes(plan_workbook_bytes(shaped))
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise InputError(
            [Problem(str(path), "-o", f"cannot write: {err}", "无法写入整改计划工作簿")]
        ) from None


def add_plan_sheet(workbook: Path, shaped: dict) -> None:
    """Add the sheet 整改计划 to a submission workbook (`plan --apply OUT.xlsx`): the reader
    reads its own sheets by name, so the workbook loads and scores as before."""
    book = load_workbook(workbook)
    if PLAN_SHEET in book.sheetnames:
        del book[PLAN_SHEET]
    _fill(book.create_sheet(PLAN_SHEET), shaped)
    out = io.BytesIO()
    book.save(out)
    Path(workbook).write_bytes(out.getvalue())


def _fill(sheet, shaped: dict) -> None:
    for column, (_key, zh, en) in enumerate(COLUMNS, start=1):
        header(sheet, 1, column, zh, en)
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS.get(_key, 16)
    for number, row in enumerate(shaped.get("rows", []), start=2):
        for column, (key, _zh, _en) in enumerate(COLUMNS, start=1):
            value = row["deadline_text"] if key == "deadline" else row[key]
            cell = sheet.cell(row=number, column=column, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    last = max(1, len(shaped.get("rows", [])) + 1)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"


def _summary(sheet, shaped: dict) -> None:
    before, after = shaped["before"], shaped.get("after")
    if shaped["passes_already"]:
        verdict = "已达标，无需整改"
    elif not shaped["feasible"]:
        verdict = "无可行方案"
    else:
        verdict = "整改后达标" + ("" if shaped["exact"] else "（分组过大，未证明最优）")
    entries = [
        ("申报材料 Submission", shaped["submission"]),
        ("指标体系 System", shaped["system"]),
        ("结论 Verdict", verdict),
        ("总成本 Cost", shaped["cost"]),
        ("整改项数 Changes", len(shaped["changes"])),
        ("责任单位数 Units", len({r["unit"] for r in shaped["rows"] if r["unit_named"]}) or "—"),
        ("整改前总分 Total before", before["total"]),
        ("整改后总分 Total after", after["total"] if after else "—"),
        ("成本文件 Costs file", shaped["costs_file"]),
    ]
    if "locality" in shaped:
        entries.append(("分解方案 Decomposition", shaped["locality"]))
    header(sheet, 1, 1, "项目", "Entry")
    header(sheet, 1, 2, "内容", "Value")
    for number, (name, value) in enumerate(entries, start=2):
        sheet.cell(row=number, column=1, value=name)
        sheet.cell(row=number, column=2, value=value)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60
