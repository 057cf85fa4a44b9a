"""Cells as a clerk means them. A formula is read from the value its program saved (none saved:
an error naming the cell); full-width digits and signs in numbers and ids are read as half-width
and said so; text is trimmed; a merged cell spanning rows gives its value to every row, one
spanning several fields or a header is an error; dates become YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from demozone.common.diagnostics import Finding, Location, Severity
from demozone.common.errors import Problem
from demozone.submission.workbook.numbers import cell_number

# full-width ASCII (！ to ～) and the ideographic space, as half-width
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@dataclass
class Findings:
    """The problems and notes of one workbook, each naming its sheet and cell."""

    file: str
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

    def problem(self, cell: str, en: str, zh: str, expected: str = "", path: str = "") -> None:
        self.problems.append(Problem(self.file, path, en, zh, expected, cell=cell))

    def note(self, cell: str, en: str, zh: str) -> None:
        location = Location(self.file, None, "", cell)
        self.notes.append(Finding(Severity.INFO, "normalised", location, en, zh))


def ref(sheet: str, row: int, column: int) -> str:
    """A cell as a clerk finds it: 指标数据!C7."""
    return f"{sheet}!{get_column_letter(column)}{row}"


def half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


class SheetCells:
    """One sheet's cells by (row, column), read from the saved values, with the formulas beside
    them to tell a formula with no saved value from an empty cell."""

    def __init__(self, name: str, values: Worksheet, formulas: Worksheet, findings: Findings):
        self.name, self.findings = name, findings
        self._values, self._formulas = values, formulas
        self.max_row, self.max_column = values.max_row, values.max_column
        self._anchor: dict[tuple[int, int], tuple[int, int]] = {}
        self._wide: list = []
        for merged in values.merged_cells.ranges:
            top, left = merged.min_row, merged.min_col
            if merged.max_col > merged.min_col:
                self._wide.append(merged)
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    self._anchor[(row, column)] = (top, left)

    def ref(self, row: int, column: int) -> str:
        return ref(self.name, row, column)

    def check_merges(self, header_rows: int, read_columns: set[int]) -> None:
        """A merged header cell, or a merge across two fields that are read, is an error."""
        reported = set()
        for merged in self.merged_ranges():
            cell = self.ref(merged.min_row, merged.min_col)
            if merged.min_row <= header_rows and cell not in reported:
                reported.add(cell)
                self.findings.problem(
                    cell,
                    f"header cells {merged.coord} are merged; unmerge them so each column "
                    "has its own header",
                    f"表头单元格 {merged.coord} 被合并；请取消合并，使每一栏都有自己的表头",
                    "one header cell per column",
                )
            elif merged in self._wide and cell not in reported:
                spanned = set(range(merged.min_col, merged.max_col + 1)) & read_columns
                if len(spanned) > 1:
                    reported.add(cell)
                    self.findings.problem(
                        cell,
                        f"merged cells {merged.coord} span several fields; give each its own value",
                        f"合并单元格 {merged.coord} 跨越多个填写栏；请取消合并并分别填写",
                        "one value per cell",
                    )

    def merged_ranges(self):
        return list(self._values.merged_cells.ranges)

    def value(self, row: int, column: int, code: bool = False):
        """The value a clerk means: None for blank; trimmed text (half-width when `code`: a
        number, id, year or choice); an int or exact Decimal; True/False; a date as text."""
        source = self._anchor.get((row, column), (row, column))
        raw = self._values.cell(row=source[0], column=source[1]).value
        if raw is None:
            self._no_cached_value(row, column, source)
            return None
        if source != (row, column) and source[0] != row:
            self.findings.note(
                self.ref(row, column),
                f"merged cell: read as {self.ref(*source)}'s value",
                f"合并单元格：按 {self.ref(*source)} 的内容读取",
            )
        return self._meant(raw, row, column, code)

    def _no_cached_value(self, row: int, column: int, source: tuple[int, int]) -> None:
        formula = self._formulas.cell(row=source[0], column=source[1]).value
        if isinstance(formula, str) and formula.startswith("="):
            self.findings.problem(
                self.ref(*source),
                f"the formula {formula} has no saved value: open and save the file in Excel, "
                "WPS or LibreOffice, or type the value",
                f"公式 {formula} 没有保存的计算结果：请用 Excel、WPS 或 LibreOffice 打开并保存，"
                "或直接填写数值",
                "a value, or a formula saved with its result",
            )

    def _meant(self, raw, row: int, column: int, code: bool):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int | float):
            return cell_number(raw)
        if isinstance(raw, dt.datetime | dt.date):
            day = raw.date() if isinstance(raw, dt.datetime) else raw
            return day.isoformat()
        text = str(raw).strip()
        if not text:
            return None
        if code:
            normal = half_width(text).strip()
            if normal != text:
                self.findings.note(
                    self.ref(row, column),
                    f"full-width characters {text!r} read as {normal!r}",
                    f"全角字符 {text!r} 已按半角 {normal!r} 读取",
                )
            return normal
        return text

    def text(self, row: int, column: int, code: bool = False) -> str | None:
        """The value as text (a number as it shows), or None when blank."""
        value = self.value(row, column, code)
        return None if value is None else str(value)

    def row_blank(self, row: int, columns) -> bool:
        """True when none of `columns` holds a value, a formula or part of a merged cell."""
        return not any(self._filled(row, column) for column in columns)

    def _filled(self, row: int, column: int) -> bool:
        source = self._anchor.get((row, column), (row, column))
        for sheet in (self._values, self._formulas):
            raw = sheet.cell(row=source[0], column=source[1]).value
            if raw is not None and str(raw).strip():
                return True
        return False
