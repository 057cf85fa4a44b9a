"""A report as a Word document (python-docx), from the same report model as the HTML.

The same sections in the same order: the title page, 基本情况, 评估依据, 评估方式, 评分结果,
存在问题及扣分原因, then the appendices (评分表, 专家评审意见汇总, evidence, receipt). A4, page
numbers in the footer (a PAGE field Word fills in), Chinese text in a CJK font.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from demozone.report.model import Report
from demozone.report.plansheet import DOCX_WIDTHS

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"


def render_docx(report: Report) -> bytes:
    """The report as the bytes of a .docx file."""
    document = Document()
    _page_setup(document, report)
    _styles(document)
    _cover(document, report)
    _body(document, report)
    _sheet(document, report)
    _opinions(document, report)
    _evidence(document, report)
    _receipt(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- layout -----------------------------------------------------------------------------------
def _page_setup(document, report: Report) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    section.different_first_page_header_footer = True  # no number on the title page
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = report.t["page"].partition("{page}")
    footer.add_run(before)
    _field(footer.add_run(), "PAGE")
    footer.add_run(after)


def _field(run, code: str) -> None:
    """A Word field (PAGE): Word computes it when the document is shown or printed."""
    for kind, text in (("begin", None), (None, code), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _styles(document) -> None:
    for name, font, size in (
        ("Normal", SERIF, 10.5),
        ("Title", SANS, 22),
        ("Heading 1", SANS, 14),
        ("Heading 2", SANS, 12),
    ):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if name != "Normal":
            style.font.bold = True
            style.font.color.rgb = None


def _heading(document, text: str, level: int = 1) -> None:
    document.add_heading(text, level=level)


def _paragraph(document, text: str, *, indent: bool = True, size: float | None = None):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(21)
    return paragraph


def _quote(document, text: str, where: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Mm(10)
    paragraph.add_run(text)
    paragraph.add_run("\n" + where).font.size = Pt(8)


def _table(document, header: list[str], rows: list[list[str]], widths: list[float]):
    """A bordered table with a repeated header row; widths in millimetres."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cells(table.rows[0], header, widths, bold=True)
    _repeat_header(table.rows[0])
    for values in rows:
        _cells(table.add_row(), values, widths)
    return table


def _cells(row, values: list[str], widths: list[float], *, bold: bool = False) -> None:
    for cell, value, width in zip(row.cells, values, widths, strict=True):
        cell.width = Mm(width)
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(value)
        run.font.size = Pt(8.5)
        run.bold = bold


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# -- sections ---------------------------------------------------------------------------------
def _cover(document, r: Report) -> None:
    t = r.t
    for _ in range(4):
        document.add_paragraph()
    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(r.title)
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(t["subtitle"]).font.size = Pt(16)
    for _ in range(4):
        document.add_paragraph()
    facts = [
        (t["creation_object"], r.region),
        (t["system"], r.system_title + r.system_status_note),
        (t["years"], t["list_sep"].join(f"{y}{t['year_suffix']}" for y in r.years)),
        (t["date"], r.date),
        (t["submission"], r.submission_id),
        (t["assessment"], r.assessment_iri + ("" if r.recorded else "\n" + t["not_recorded"])),
    ]
    table = document.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for name, value in facts:
        _cells(table.add_row(), [name, value], [35, 120])
    if t["governs"]:
        document.add_paragraph()
        _paragraph(document, t["governs"], indent=False, size=9)
    document.add_section(WD_SECTION.NEW_PAGE)


def _body(document, r: Report) -> None:
    t = r.t
    region_class = t["region_classes"].get(r.region_class, r.region_class)
    _heading(document, f"{t['sec'][0]}{t['basic']}")
    years = t["list_sep"].join(str(y) for y in r.years)
    _paragraph(
        document, t["basic_text"].format(region=r.region, region_class=region_class, years=years)
    )
    assessors = t["list_sep"].join(r.assessors) or t["none"]
    _paragraph(
        document,
        f"{t['assessors']}{t['colon']}{assessors}{t['period']} {t['materials']}{t['colon']}"
        f"{len(r.evidence)} {t['count_unit']}{t['open']}{t['appendix']} 3{t['close']}{t['period']}",
    )
    _heading(document, f"{t['sec'][1]}{t['basis']}")
    _paragraph(
        document,
        t["basis_text"].format(title=_book(t, r.system_title), status=r.system_status_note),
    )
    _table(
        document,
        [t["source_id"], t["title"], t["issuer"], t["doc_number"]],
        [[s.id, _book(t, s.title), s.issuer, s.document_number or "—"] for s in r.sources],
        [22, 95, 35, 22],
    )
    _heading(document, f"{t['sec'][2]}{t['methods']}")
    if r.methods_source:
        source = r.methods_source
        _quote(
            document,
            source.quote,
            _book(t, source.title) + " " + source.where(r.lang),
        )
    used = t["semi"].join(
        f"{name}{t['colon']}{t['used'] if flag else t['not_used']}" for name, flag in r.methods
    )
    _paragraph(document, used + t["period"])
    _results(document, r)
    _problems(document, r)


def _results(document, r: Report) -> None:
    t = r.t
    _heading(document, f"{t['sec'][3]}{t['results']}")
    _paragraph(document, t["results_text"].format(region=r.region, total=r.total, max=r.max_total))
    rows = [
        [t["total"], f"{r.total} / {r.max_total}"],
        [t["pass_line"], t["pass_rule_text"].format(total=r.pass_total, rate=r.pass_rate)],
        [t["verdict"], t["passed"] if r.passed else t["failed"]],
    ]
    if r.pass_reasons:
        rows.append([t["fail_reasons"], "\n".join(r.pass_reasons)])
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for values in rows:
        _cells(table.add_row(), values, [35, 139])
    if r.pass_rule:
        rule = r.pass_rule
        _paragraph(document, f"{t['pass_source']}{t['colon']}", indent=False)
        _quote(
            document,
            rule.quote,
            _book(t, rule.title) + " " + rule.where(r.lang),
        )
    levels = [
        [
            lv.number,
            lv.label,
            lv.points,
            lv.score,
            lv.rate,
            t["rate_ok"] if lv.meets_rate else t["rate_low"],
        ]
        for lv in r.levels
    ]
    levels.append(["", t["sum"], r.max_total, r.total, "", ""])
    _table(
        document,
        [
            t["number"],
            t["first_level"],
            t["points"],
            t["score"],
            t["rate"],
            t["rate_line"].format(rate=r.pass_rate),
        ],
        levels,
        [14, 60, 22, 22, 28, 28],
    )


def _problems(document, r: Report) -> None:
    t = r.t
    _heading(document, f"{t['sec'][4]}{t['problems']}")
    rows = [row for row in r.sheet if row.reasons]
    for row in rows:
        head = t["problem_line"].format(
            number=row.number, label=row.label, score=row.score, points=row.points
        )
        clauses = t["list_sep"].join(clause for clause, _ in row.clauses)
        text = head + "".join(reason + t["stop"] for reason in row.reasons)
        _paragraph(document, f"{text}{t['open']}{t['clause']} {clauses}{t['close']}")
    if not rows:
        _paragraph(document, t["none"])
    if r.plan is not None:  # the optional 意见建议 (report.plansheet)
        _heading(document, r.plan.heading)
        for text in r.plan.paragraphs:
            _paragraph(document, text)
        if r.plan.rows:
            _table(document, list(r.plan.columns), [list(x) for x in r.plan.rows], DOCX_WIDTHS)
    document.add_paragraph()
    _paragraph(document, t["sign"], indent=False)
    document.add_paragraph()
    _paragraph(document, t["sign_date"], indent=False)


def _sheet(document, r: Report) -> None:
    t = r.t
    _page_break(document)
    _heading(document, f"{t['appendix']} 1　{t['sheet']}")
    header = [
        t["number"],
        *r.level_names,
        t["points"],
        t["score"],
        t["reasons"],
        t["grounds"],
        t["evidence_ids"],
    ]
    levels = [[row.first_level, row.second_level or "", row.label] for row in r.sheet]
    if not r.has_second_level:
        levels = [[first, label] for first, _, label in levels]
    rows = [
        [
            row.number,
            *names,
            row.points,
            row.score,
            "\n".join(row.reasons),
            _grounds(row, t, r.lang),
            t["list_sep"].join(row.evidence),
        ]
        for row, names in zip(r.sheet, levels, strict=True)
    ]
    rows.append(["", t["sum"], *[""] * (len(r.level_names) - 1), r.max_total, r.total, "", "", ""])
    widths = (
        [9, 16, 18, 28, 10, 10, 40, 30, 13]
        if r.has_second_level
        else [9, 18, 40, 10, 10, 42, 32, 13]
    )
    _table(document, header, rows, widths)


def _book(t: dict, title: str) -> str:
    return f"{t['lq']}{title}{t['rq']}"


def _grounds(row, t: dict, lang: str) -> str:
    lines = []
    for clause, spans in row.clauses:
        where = t["semi"].join(c.where(lang) for c in spans)
        lines.append(f"{clause}{t['colon']}{where}")
    return "\n".join(lines)


def _opinions(document, r: Report) -> None:
    t = r.t
    _page_break(document)
    _heading(document, f"{t['appendix']} 2　{t['opinions']}")
    if not r.opinions:
        _paragraph(document, t["no_judgments"])
        return
    rows = []
    for c in r.opinions:
        said = "\n".join(
            f"{o.assessor}{t['colon']}{t['satisfied'] if o.satisfied else t['not_satisfied']}"
            + (f"{t['open']}{t['list_sep'].join(o.evidence)}{t['close']}" if o.evidence else "")
            + (f"{t['semi']}{o.note}" if o.note else "")
            for o in c.opinions
        )
        agreement = (
            t["agreed"] if c.agreed else t["disagreed"].format(yes=c.satisfied, no=c.not_satisfied)
        )
        rows.append([c.clause, c.indicator, said, agreement, c.clause_score])
    _table(
        document,
        [t["clause"], t["indicator"], t["judgments"], t["agreement"], t["clause_result"]],
        rows,
        [16, 14, 84, 40, 20],
    )


def _evidence(document, r: Report) -> None:
    t = r.t
    _page_break(document)
    _heading(document, f"{t['appendix']} 3　{t['evidence']}")
    rows = [
        [
            e.id,
            e.title + (f"\n{e.issued_by} {e.date}".rstrip() if e.issued_by else ""),
            t["kinds"].get(e.kind, e.kind),
            f"{e.file}\n{e.sha256}",
        ]
        for e in r.evidence
    ]
    _table(
        document, [t["id"], t["title"], t["kind"], f"{t['file']} / sha256"], rows, [12, 62, 22, 78]
    )


def _receipt(document, r: Report) -> None:
    t = r.t
    _heading(document, f"{t['appendix']} 4　{t['receipt']}")
    _paragraph(document, t["receipt_intro"])
    names = t["receipt_names"]
    rows = [[names.get(name, name), value] for name, value in r.receipt]
    rows.append([names["engine"], r.engine])
    _table(document, [t["entry"], t["value"]], rows, [50, 124])
