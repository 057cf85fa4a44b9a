"""The list sheets of a written workbook: 规模以上经营者, 证明材料 and 评审意见 (one row per judged
clause, three columns per assessor)."""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from demozone.submission.model import Submission
from demozone.submission.workbook import layout, style
from demozone.submission.workbook.numbers import decimal_text, exact_decimal, fits_a_cell
from demozone.submission.workbook.plan import ClauseRow

LIST_ROWS = 200  # rows of a list sheet left unlocked for a clerk
DEFAULT_ASSESSORS = 3


def write_operators(ws: Worksheet, submission: Submission | None, years) -> None:
    for column, word in enumerate(layout.OPERATOR_COLUMNS, start=1):
        style.header(ws, 1, column, word)
    operators = submission.operators if submission else ()
    for row, operator in enumerate(operators, start=2):
        ws.cell(row=row, column=1, value=operator.name)
        ws.cell(row=row, column=2, value=operator.year)
        sales = exact_decimal(operator.annual_sales)
        ws.cell(row=row, column=3, value=sales if fits_a_cell(sales) else decimal_text(sales))
    last = max(LIST_ROWS, len(operators) + 50)
    style.unlock(ws, range(2, last + 1), range(1, 4))
    style.choice_list(ws, [str(y) for y in years], [f"B2:B{last}"], "评估年度")
    style.number_rule(ws, "amount", [f"C2:C{last}"])
    style.widths(ws, {"A": 40, "B": 14, "C": 22})
    ws.freeze_panes = "A2"


def write_evidence(ws: Worksheet, submission: Submission | None) -> None:
    columns = layout.EVIDENCE_COLUMNS
    for column, word in enumerate(columns, start=1):
        style.header(ws, 1, column, word)
    items = list(submission.evidence.values()) if submission else []
    for row, item in enumerate(items, start=2):
        values = {
            "id": item.id,
            "title": item.title,
            "kind": layout.KIND_ZH.get(item.kind, item.kind),
            "file": item.file,
            "issued_by": item.issued_by,
            "date": item.date,
            "level": layout.LEVEL_ZH.get(item.level, item.level) if item.level else None,
            "type": item.type,
            "form": item.form,
            "sha256": item.sha256,
        }
        for column, word in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=column, value=values[word.field])
            cell.number_format = "@"
    last = max(LIST_ROWS, len(items) + 50)
    style.unlock(ws, range(2, last + 1), range(1, len(columns) + 1))
    for field, values in layout.CHOICES_ZH.items():
        letter = get_column_letter(_index(columns, field))
        style.choice_list(ws, values, [f"{letter}2:{letter}{last}"], "可选")
    style.widths(ws, {"A": 8, "B": 44, "C": 12, "D": 30, "E": 22, "F": 12, "G": 10, "H": 12})
    ws.freeze_panes = "B2"


def _index(columns, field: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.field == field)


def write_judgments(ws: Worksheet, clauses: list[ClauseRow], submission: Submission | None) -> None:
    judgments = submission.judgments if submission else ()
    assessors = list(dict.fromkeys(j.assessor for j in judgments))
    slots = assessors or [None] * DEFAULT_ASSESSORS
    width = len(layout.ASSESSOR_COLUMNS)
    first = len(layout.CLAUSE_COLUMNS) + 1
    for column, word in enumerate(layout.CLAUSE_COLUMNS, start=1):
        style.header(ws, 1, column, word)
    style.header(ws, 2, 1, layout.ASSESSOR_ROW_LABEL)
    for number, assessor in enumerate(slots):
        start = first + number * width
        for offset, word in enumerate(layout.ASSESSOR_COLUMNS):
            style.header(ws, 1, start + offset, word)
        ws.cell(row=2, column=start, value=assessor)
        # the assessor's name (optional) beside the id: reports print it instead of the id
        named = submission.assessors.get(assessor) if submission and assessor else None
        ws.cell(row=2, column=start + 1, value=named)
        style.unlock(ws, range(2, 3), range(start, start + 2))
    by_cell = {(j.clause, j.assessor): j for j in judgments}
    row = layout.JUDGMENT_FIRST_ROW
    for row, clause in enumerate(clauses, start=layout.JUDGMENT_FIRST_ROW):
        ws.cell(row=row, column=1, value=clause.id).number_format = "@"
        style.shown(ws, row, 2, clause.indicator)
        style.shown(ws, row, 3, clause.text)
        for number, assessor in enumerate(slots):
            judgment = by_cell.get((clause.id, assessor))
            if judgment is not None:
                _judgment_cells(ws, row, first + number * width, judgment)
    last = len(clauses) + layout.JUDGMENT_FIRST_ROW - 1
    end = first + len(slots) * width
    style.unlock(ws, range(layout.JUDGMENT_FIRST_ROW, last + 1), range(first, end))
    answers = [
        f"{get_column_letter(first + n * width)}{layout.JUDGMENT_FIRST_ROW}:"
        f"{get_column_letter(first + n * width)}{max(last, layout.JUDGMENT_FIRST_ROW)}"
        for n in range(len(slots))
    ]
    style.choice_list(ws, [layout.YES, layout.NO], answers, "是否满足")
    style.widths(ws, {"A": 10, "B": 24, "C": 60})
    ws.freeze_panes = ws.cell(row=layout.JUDGMENT_FIRST_ROW, column=first)


def _judgment_cells(ws: Worksheet, row: int, start: int, judgment) -> None:
    ws.cell(row=row, column=start, value=layout.YES if judgment.satisfied else layout.NO)
    evidence = ws.cell(row=row, column=start + 1, value=", ".join(judgment.evidence) or None)
    evidence.number_format = "@"
    ws.cell(row=row, column=start + 2, value=judgment.note or None)
