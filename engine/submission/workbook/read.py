"""A workbook read into the submission document a YAML file gives, with the cell of every field
(so the strict reader's problems name sheet and cell), the workbook's own problems and the notes
on what was normalised. Nothing is scored here: `submission.load` runs the one reader."""

from __future__ import annotations

import difflib
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

from demozone.common.diagnostics import Finding
from demozone.kb.metrics import metric_vocabulary
from demozone.submission.figures import reference_ids
from demozone.submission.workbook import layout
from demozone.submission.workbook.cells import Findings, SheetCells, ref
from demozone.submission.workbook.read_lists import (
    find_columns,
    read_evidence,
    read_judgments,
    read_operators,
)

# a sheet may also be named by its section of the submission format
_SECTION_OF = {
    layout.HEADER: "submission",
    layout.METRICS: "metrics",
    layout.OPERATORS: "operators",
    layout.EVIDENCE: "evidence",
    layout.JUDGMENTS: "judgments",
}


@dataclass
class WorkbookDocument:
    doc: dict
    cells: dict[str, str]  # field path (metrics.online_retail.2023) -> 指标数据!E7
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)  # sheets not found (already a problem)

    def follows_from_missing(self, path: str) -> bool:
        """A problem the missing evidence sheet already explains: a judgment's citations."""
        return layout.EVIDENCE in self.missing and path.endswith(".evidence")

    def cell_of(self, path: str) -> str:
        """The cell of a field path, or of the closest enclosing field, or its sheet's A1."""
        probe = path
        while probe:
            if probe in self.cells:
                return self.cells[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        section = path.split(".")[0].split("[")[0]
        sheet = next((s for s, name in _SECTION_OF.items() if name == section), layout.METRICS)
        return f"{sheet}!A1"


def read_workbook(raw: bytes, file: str) -> WorkbookDocument:
    """The document of a workbook's bytes; problems that are the workbook's own (a missing sheet,
    a merged header, a formula without a value, text where a choice is) are in `problems`."""
    findings = Findings(file)
    result = WorkbookDocument({}, {})
    books = _open(raw, findings)
    if books is None:
        result.problems = findings.problems
        return result
    values, formulas = books
    sheets = {}
    for name in layout.READ_SHEETS:
        found = _sheet_name(values.sheetnames, name)
        if found is None:
            result.missing.add(name)
            findings.problem(
                f"{name}!A1",
                f"the workbook has no sheet {name!r} ({_SECTION_OF[name]})",
                f"工作簿缺少工作表“{name}”",
                ", ".join(layout.READ_SHEETS),
            )
            continue
        sheets[name] = SheetCells(name, values[found], formulas[found], findings)
    doc, cells = result.doc, result.cells
    if layout.HEADER in sheets:
        doc["submission"] = _read_header(sheets[layout.HEADER], cells, findings)
    if layout.METRICS in sheets:
        doc["metrics"], doc["reference"] = _read_metrics(sheets[layout.METRICS], cells, findings)
    if layout.OPERATORS in sheets:
        doc["operators"] = read_operators(sheets[layout.OPERATORS], cells)
    if layout.EVIDENCE in sheets:
        doc["evidence"] = read_evidence(sheets[layout.EVIDENCE], cells)
    if layout.JUDGMENTS in sheets:
        names: dict = {}
        doc["judgments"] = read_judgments(sheets[layout.JUDGMENTS], cells, names)
        if names:
            doc["assessors"] = names
    result.problems, result.notes = findings.problems, findings.notes
    return result


def _open(raw: bytes, findings: Findings):
    """The workbook with saved values and with formulas, or None after a problem."""
    try:
        values = load_workbook(io.BytesIO(raw), data_only=True)
        formulas = load_workbook(io.BytesIO(raw), data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        findings.problem(
            "",
            f"not a readable .xlsx workbook ({type(err).__name__}); save it as an Excel "
            "workbook (.xlsx) in Excel, WPS or LibreOffice",
            "不是可读取的 .xlsx 工作簿；请在 Excel、WPS 或 LibreOffice 中另存为 Excel 工作簿（.xlsx）",
            ".xlsx (Office Open XML)",
        )
        return None
    return values, formulas


def _sheet_name(names: list[str], wanted: str) -> str | None:
    """The sheet named `wanted` (or its section name), ignoring surrounding spaces."""
    for name in names:
        if name.strip() in (wanted, _SECTION_OF[wanted]):
            return name
    return None


# -- 基本信息 ----------------------------------------------------------------------------------
def _read_header(sheet: SheetCells, cells: dict, findings: Findings) -> dict:
    sheet.check_merges(0, {1, 2})
    header: dict = {}
    rows: dict[str, int] = {}
    for row in range(2, sheet.max_row + 1):
        label = sheet.text(row, 1)
        column = next((c for c in layout.HEADER_ROWS if label and layout.matches(c, label)), None)
        if column is None:
            if label is not None and sheet.text(row, 2) is not None:
                findings.problem(
                    sheet.ref(row, 1),
                    f"unknown field {label!r}",
                    f"未知的项目“{label}”",
                    "、".join(c.zh for c in layout.HEADER_ROWS),
                )
            continue
        if column.field in rows:
            findings.problem(
                sheet.ref(row, 1),
                f"{label} is given twice (also in row {rows[column.field]})",
                f"项目“{label}”重复（第{rows[column.field]}行已填写）",
                "one row per field",
            )
            continue
        rows[column.field] = row
        header[column.field] = _header_value(sheet, row, column.field)
        cells[f"submission.{column.field}"] = sheet.ref(row, 2)
    for number, column in enumerate(layout.HEADER_ROWS, start=2):
        if column.field not in rows:
            header[column.field] = None
            cells[f"submission.{column.field}"] = sheet.ref(number, 1)
    cells["submission"] = sheet.ref(1, 1)
    return header


def _header_value(sheet: SheetCells, row: int, field_name: str):
    if field_name == "years":
        value = sheet.value(row, 2, code=True)
        if value is None or isinstance(value, int):
            return None if value is None else [value]
        parts = layout.split_list(str(value))
        return [layout.year_of(p) or p for p in parts]
    if field_name == "region_class":
        text = sheet.text(row, 2, code=True)
        return None if text is None else layout.code_of(text, layout.REGION_CLASS_ZH)
    return sheet.text(row, 2, code=field_name in ("id", "system"))


# -- 指标数据 ----------------------------------------------------------------------------------
def _read_metrics(sheet: SheetCells, cells: dict, findings: Findings) -> tuple[dict, dict]:
    columns = find_columns(sheet, 1, layout.METRIC_COLUMNS[:1], (layout.NO_YEAR,))
    years = {}
    for column in range(1, sheet.max_column + 1):
        year = layout.year_of(sheet.value(1, column, code=True))
        if year is not None:
            years[column] = year
    read = {*years, *[c for c in columns.values() if c]}
    sheet.check_merges(1, read)
    id_column, bare_column = columns.get("id"), columns.get(layout.NO_YEAR.zh)
    if id_column is None:
        return {}, {}
    metrics: dict = {}
    references: dict = {}
    seen: dict[str, str] = {}
    value_columns = [*years, *([bare_column] if bare_column else [])]
    for row in range(2, sheet.max_row + 1):
        if sheet.row_blank(row, [id_column, *value_columns]):
            continue
        metric = _row_id(sheet, row, id_column, value_columns, seen, findings)
        if metric is None:
            continue
        section, target = (
            ("reference", references)
            if metric.startswith("national_")
            else (
                "metrics",
                metrics,
            )
        )
        series = {}
        for column, year in years.items():
            value = sheet.value(row, column, code=True)
            if value is not None:
                series[year] = value
                cells[f"{section}.{metric}.{year}"] = sheet.ref(row, column)
        bare = sheet.value(row, bare_column, code=True) if bare_column else None
        cells[f"{section}.{metric}"] = sheet.ref(
            row, bare_column if bare is not None else id_column
        )
        if bare is not None and series:
            findings.problem(
                sheet.ref(row, bare_column),
                f"{metric}: give values by year or one value in {layout.NO_YEAR.zh}, not both",
                f"{metric}：已按年度填写数值，“{layout.NO_YEAR.zh}”一栏应留空",
                "values by year, or one value without a year",
            )
            continue
        if bare is not None or series:
            target[metric] = bare if bare is not None else series
    return metrics, references


def _row_id(sheet: SheetCells, row, id_column, value_columns, seen, findings) -> str | None:
    """The metric or comparator id of a row (a Chinese name accepted), or None after a problem."""
    text = sheet.text(row, id_column, code=True)
    cell = sheet.ref(row, id_column)
    if text is None:
        if not sheet.row_blank(row, value_columns):
            findings.problem(
                cell,
                "a value without a metric id",
                "填写了数值但缺少数据项编号",
                "a metric id such as online_retail",
            )
        return None
    known = _known_ids()
    metric = known.get(text)
    if metric is None:
        close = difflib.get_close_matches(text, list(known), n=1)
        findings.problem(
            cell,
            f"unknown metric {text!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
            f"未知的数据项“{text}”" + (f"，是否应为“{close[0]}”？" if close else ""),
            "an id of the metric table of the submission format",
        )
        return None
    if metric in seen:
        findings.problem(
            cell,
            f"metric {metric} is given twice (also at {seen[metric]})",
            f"数据项 {metric} 重复填写（{seen[metric]} 已有）",
            "one row per metric",
        )
        return None
    seen[metric] = cell
    return metric


def _known_ids() -> dict[str, str]:
    """Every metric and comparator id (to itself) and every metric's Chinese name (to its id)."""
    known = {m: m for m in metric_vocabulary()} | {r: r for r in reference_ids()}
    for metric in metric_vocabulary().values():
        known.setdefault(metric.label, metric.id)
    return known


__all__ = ["WorkbookDocument", "read_workbook", "ref"]
