"""Write a system's workbook: empty (the template a county fills) or holding a loaded submission
(`demozone convert`), every value exact and every header explained."""

from __future__ import annotations

import io
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from demozone.kb.metrics import metric_vocabulary
from demozone.submission.model import Submission
from demozone.submission.workbook import layout, style
from demozone.submission.workbook.guide import write_guide
from demozone.submission.workbook.numbers import (
    decimal_text,
    exact_decimal,
    fits_a_cell,
    percent_format,
    percent_text,
)
from demozone.submission.workbook.plan import ClauseRow, Plan, Row, metric_row, reference_row
from demozone.submission.workbook.sheets import write_evidence, write_judgments, write_operators

FIRST_YEAR_COLUMN = len(layout.METRIC_COLUMNS) + 1
SPARE_ROWS = 20  # blank rows left unlocked below the metric rows


def workbook_bytes(plan: Plan, submission: Submission | None, years: tuple[int, ...]) -> bytes:
    """The .xlsx file of `plan`'s workbook, filled with `submission` when one is given."""
    book = build_workbook(plan, submission, years)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_workbook(plan: Plan, submission: Submission | None, years: tuple[int, ...]) -> Workbook:
    years = tuple(submission.years) if submission else tuple(years)
    book = Workbook()
    write_guide(book.active, plan, years)
    _header_sheet(book.create_sheet(layout.HEADER), plan, submission, years)
    _metrics_sheet(book.create_sheet(layout.METRICS), plan, submission, years)
    write_operators(book.create_sheet(layout.OPERATORS), submission, years)
    write_evidence(book.create_sheet(layout.EVIDENCE), submission)
    clauses = _clause_rows(plan, submission)
    write_judgments(book.create_sheet(layout.JUDGMENTS), clauses, submission)
    for ws in book.worksheets[1:]:
        style.protect(ws)
    return book


# -- 基本信息 ----------------------------------------------------------------------------------
_HINTS = {
    "id": "小写字母、数字和连字符，如 wanrong-2024",
    "region": "县（市、区）名称",
    "region_class": "从下拉列表选择",
    "system": "从下拉列表选择",
    "years": "按升序填写，用逗号分隔，如 2023, 2024",
}


def _header_sheet(ws: Worksheet, plan: Plan, submission: Submission | None, years) -> None:
    for column, word in enumerate(layout.HEADER_COLUMNS, start=1):
        style.header(ws, 1, column, word)
    values = {
        "id": submission.id if submission else "",
        "region": submission.region if submission else "",
        "region_class": layout.REGION_CLASS_ZH.get(submission.region_class, "")
        if submission
        else "",
        "system": plan.system,
        "years": ", ".join(str(y) for y in years),
    }
    for row, field in enumerate(layout.HEADER_ROWS, start=2):
        style.header(ws, row, 1, field)
        ws.cell(row=row, column=2, value=values[field.field] or None)
        style.shown(ws, row, 3, _HINTS[field.field])
    style.unlock(ws, range(2, 2 + len(layout.HEADER_ROWS)), range(2, 3))
    classes = [layout.REGION_CLASS_ZH.get(c, c) for c in plan.region_classes]
    style.choice_list(ws, classes, ["B4"], "地区分类")
    style.choice_list(ws, list(plan.systems), ["B5"], "指标体系")
    for cell in ("B2", "B3", "B6"):
        ws[cell].number_format = "@"
    style.widths(ws, {"A": 16, "B": 36, "C": 40})


# -- 指标数据 ----------------------------------------------------------------------------------
def _metrics_sheet(ws: Worksheet, plan: Plan, submission: Submission | None, years) -> None:
    columns = _year_columns(submission, years)
    for column, word in enumerate(layout.METRIC_COLUMNS, start=1):
        style.header(ws, 1, column, word)
    for offset, year in enumerate(columns):
        style.header(ws, 1, FIRST_YEAR_COLUMN + offset, f"{year}年", layout.YEAR_COMMENT)
    no_year = FIRST_YEAR_COLUMN + len(columns)
    style.header(ws, 1, no_year, layout.NO_YEAR)
    rows = _metric_rows(plan, submission)
    by_kind: dict[str, list[str]] = {}
    for row_number, (row, values) in enumerate(rows, start=2):
        ws.cell(row=row_number, column=1, value=row.id)
        style.shown(ws, row_number, 2, row.label)
        style.shown(ws, row_number, 3, row.unit)
        style.shown(ws, row_number, 4, "、".join(row.indicators) or "（本体系评分未使用）")
        for year, value in values.items():
            column = no_year if year is None else FIRST_YEAR_COLUMN + columns.index(year)
            put_number(ws, row_number, column, value, row.kind)
        first, last = get_column_letter(FIRST_YEAR_COLUMN), get_column_letter(no_year)
        by_kind.setdefault(row.kind, []).append(f"{first}{row_number}:{last}{row_number}")
    for kind, ranges in by_kind.items():
        style.number_rule(ws, kind, ranges)
    end = len(rows) + 2
    style.unlock(ws, range(2, end), range(FIRST_YEAR_COLUMN, no_year + 1))
    style.unlock(ws, range(end, end + SPARE_ROWS), range(1, no_year + 1))
    ws.freeze_panes = ws.cell(row=2, column=FIRST_YEAR_COLUMN)
    letters = {get_column_letter(c): 12 for c in range(FIRST_YEAR_COLUMN, no_year + 1)}
    style.widths(ws, {"A": 34, "B": 30, "C": 8, "D": 14, **letters})


def _year_columns(submission: Submission | None, years) -> list[int]:
    """The year before the first assessed year, the assessed years, and any year a value has."""
    wanted = set(years) | ({years[0] - 1} if years else set())
    if submission:
        wanted |= {year for _, year in submission.metrics}
        wanted |= {year for _, year in submission.references if year is not None}
    return sorted(wanted)


def _metric_rows(plan: Plan, submission: Submission | None) -> list[tuple[Row, dict]]:
    """The plan's metric and comparator rows, then any other the submission fills."""
    values: dict[str, dict] = {}
    if submission:
        for (metric, year), item in submission.metrics.items():
            values.setdefault(metric, {})[year] = item.value
        for (ref, year), item in submission.references.items():
            values.setdefault(ref, {})[year] = item.value
    planned = [*plan.metrics, *plan.references]
    known = {row.id for row in planned}
    vocabulary = metric_vocabulary()
    extra = [
        metric_row(i) if i in vocabulary else reference_row(i) for i in values if i not in known
    ]
    extra.sort(key=lambda row: (row.id.startswith("national_"), row.id))
    return [(row, values.get(row.id, {})) for row in [*planned, *extra]]


def put_number(ws: Worksheet, row: int, column: int, value: Fraction, kind: str) -> None:
    """An exact number in a cell: a percentage for rates and growth, the decimal otherwise; as
    text when a spreadsheet could not hold it exactly."""
    cell = ws.cell(row=row, column=column)
    decimal = exact_decimal(value)
    if not fits_a_cell(decimal):
        cell.value = percent_text(value) if kind in ("rate", "growth") else decimal_text(decimal)
        return
    if kind in ("rate", "growth"):
        cell.value = decimal
        cell.number_format = percent_format(decimal)
    elif kind == "count" and value.denominator == 1:
        cell.value = int(value)
    else:
        cell.value = decimal


# -- 评审意见 rows -----------------------------------------------------------------------------
def _clause_rows(plan: Plan, submission: Submission | None) -> list[ClauseRow]:
    """The plan's judged clauses, then any other clause the submission judges."""
    rows = list(plan.clauses)
    known = {row.id for row in rows}
    for judgment in submission.judgments if submission else ():
        if judgment.clause not in known:
            rows.append(ClauseRow(judgment.clause, "", ""))
            known.add(judgment.clause)
    return rows
