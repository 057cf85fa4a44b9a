"""What the workbook tests share: the meaning of a loaded submission (what scoring reads, not
where it was read from), a LibreOffice headless re-save, and a clerk's script that fills a
template cell by cell from a YAML document."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl

from demozone.submission.workbook import layout


def meaning(submission) -> tuple:
    """Everything a submission says, without file names, field paths, lines or item order."""
    return (
        submission.id,
        submission.region,
        submission.region_class,
        submission.system,
        submission.years,
        {k: v.value for k, v in submission.metrics.items()},
        {k: v.value for k, v in submission.references.items()},
        sorted((o.name, o.year, o.annual_sales) for o in submission.operators),
        {
            k: replace(v, path="", file=Path(v.file).name if v.file else None)
            for k, v in submission.evidence.items()
        },
        sorted(
            (j.clause, j.assessor, j.satisfied, j.evidence, j.note) for j in submission.judgments
        ),
    )


def resave(soffice: str, files: list[Path], outdir: Path) -> list[Path]:
    """Each workbook opened and saved again as .xlsx by LibreOffice headless (one process)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir.parent / f"{outdir.name}-lo-profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    saved = [outdir / f.name for f in files]
    missing = [p for p in saved if not p.exists()]
    assert not missing, f"LibreOffice did not save {missing}: {done.stdout}\n{done.stderr}"
    return saved


def _text(value) -> object:
    """A YAML value as a clerk types it: numbers as numbers, the rest as text."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def fill_template(template: Path, doc: dict, target: Path) -> None:
    """Fill an empty template from a submission document, cell by cell, as a clerk would:
    percentages typed as text ("97.5%"), choices in Chinese, evidence ids joined by commas."""
    book = openpyxl.load_workbook(template)
    _fill_header(book[layout.HEADER], doc["submission"])
    _fill_metrics(book[layout.METRICS], doc.get("metrics", {}), doc.get("reference", {}))
    sheet = book[layout.OPERATORS]
    for row, item in enumerate(doc.get("operators", []), start=2):
        sheet.cell(row, 1, item["name"])
        sheet.cell(row, 2, item["year"])
        sheet.cell(row, 3, _text(item["annual_sales"]))
    sheet = book[layout.EVIDENCE]
    fields = [c.field for c in layout.EVIDENCE_COLUMNS]
    for row, item in enumerate(doc.get("evidence", []), start=2):
        for key, value in item.items():
            if key == "kind":
                value = layout.KIND_ZH[value]
            elif key == "level":
                value = layout.LEVEL_ZH[value]
            sheet.cell(row, fields.index(key) + 1, str(value))
    _fill_judgments(book[layout.JUDGMENTS], doc.get("judgments", []))
    book.save(target)


def _fill_header(sheet, header: dict) -> None:
    sheet["B2"] = header["id"]
    sheet["B3"] = header["region"]
    sheet["B4"] = layout.REGION_CLASS_ZH[header["region_class"]]
    sheet["B5"] = header["system"]
    sheet["B6"] = ", ".join(str(y) for y in header["years"])


def _fill_metrics(sheet, metrics: dict, references: dict) -> None:
    columns = {sheet.cell(1, c).value: c for c in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    free = sheet.max_row + 1
    for key, value in [*metrics.items(), *references.items()]:
        if key not in rows:
            rows[key], free = free, free + 1
            sheet.cell(rows[key], 1, key)
        if isinstance(value, dict):
            for year, item in value.items():
                sheet.cell(rows[key], columns[f"{year}年"], _text(item))
        else:
            sheet.cell(rows[key], columns["不分年度"], _text(value))


def _fill_judgments(sheet, judgments: list) -> None:
    rows = {str(sheet.cell(r, 1).value): r for r in range(3, sheet.max_row + 1)}
    assessors: dict[str, int] = {}
    for judgment in judgments:
        if judgment["assessor"] not in assessors:
            column = 4 + 3 * len(assessors)
            assessors[judgment["assessor"]] = column
            sheet.cell(2, column, judgment["assessor"])
            for offset, word in enumerate(layout.ASSESSOR_COLUMNS):
                sheet.cell(1, column + offset, word.zh)
        column = assessors[judgment["assessor"]]
        row = rows[str(judgment["clause"])]
        sheet.cell(row, column, layout.YES if judgment["satisfied"] else layout.NO)
        if judgment.get("evidence"):
            sheet.cell(row, column + 1, ", ".join(judgment["evidence"]))
        if judgment.get("note"):
            sheet.cell(row, column + 2, judgment["note"])
