"""How a written workbook looks and what a clerk may change: header cells bold, shaded, locked
and commented in English; input cells unlocked; drop-down lists and number validation."""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from demozone.submission.workbook.layout import Column

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_READONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
_UNLOCKED = Protection(locked=False)
AUTHOR = "demozone"

# number validation by kind: (type, operator, formula1, formula2, Chinese message)
_NUMBER_RULES = {
    "amount": ("decimal", "greaterThanOrEqual", "0", None, "请填写不小于0的数值"),
    "count": ("whole", "greaterThanOrEqual", "0", None, "请填写不小于0的整数"),
    "rate": ("decimal", "between", "0", "1", "请填写0%到100%之间的百分比"),
    "growth": ("decimal", "between", "-100", "100", "请填写增速百分比，如3.9%或-0.2%"),
}


def header(ws: Worksheet, row: int, column: int, word: Column | str, comment: str = "") -> None:
    """A header cell: bold, shaded, locked, with the English in its comment."""
    cell = ws.cell(row=row, column=column, value=word if isinstance(word, str) else word.zh)
    cell.font = Font(bold=True)
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    english = comment or (word.en if isinstance(word, Column) else "")
    if english:
        cell.comment = Comment(english, AUTHOR, width=320, height=90)


def shown(ws: Worksheet, row: int, column: int, value) -> None:
    """A cell for reading only (names, units, clause texts): shaded and locked."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.fill = _READONLY_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def unlock(ws: Worksheet, rows: range, columns: range) -> None:
    for row in rows:
        for column in columns:
            ws.cell(row=row, column=column).protection = _UNLOCKED


def protect(ws: Worksheet) -> None:
    """Lock the sheet's locked cells (the headers); rows may still be added and formatted."""
    guard = ws.protection
    guard.sheet = True
    guard.formatCells = guard.formatColumns = guard.formatRows = False
    guard.insertRows = guard.deleteRows = guard.sort = guard.autoFilter = False
    guard.selectLockedCells = guard.selectUnlockedCells = False


def choice_list(ws: Worksheet, values, ranges: list[str], prompt: str) -> None:
    """A drop-down list over `ranges`."""
    if not ranges:
        return
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="请从下拉列表中选择",
        error=f"{prompt}：{'、'.join(values)}",
    )
    ws.add_data_validation(validation)
    for cells in ranges:
        validation.add(cells)


def number_rule(ws: Worksheet, kind: str, ranges: list[str]) -> None:
    """Number validation for a metric kind over `ranges`."""
    if not ranges:
        return
    kind_type, operator, low, high, message = _NUMBER_RULES.get(kind, _NUMBER_RULES["amount"])
    validation = DataValidation(
        type=kind_type,
        operator=operator,
        formula1=low,
        formula2=high,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数值不符合要求",
        error=message,
    )
    ws.add_data_validation(validation)
    for cells in ranges:
        validation.add(cells)


def widths(ws: Worksheet, widths_by_column: dict[str, float]) -> None:
    for letter, width in widths_by_column.items():
        ws.column_dimensions[letter].width = width
