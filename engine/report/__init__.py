"""Assessment reports (评估报告) as HTML, PDF and Word, from one report model.

model: an assessment's report as plain values; labels: its words in zh and en; html: the one
Jinja2 template rendered; pdf: that HTML through WeasyPrint; docx: the same model through
python-docx. Nothing below imports this package but the API and the CLI.
"""

from __future__ import annotations

from demozone.report.model import Report


def render(report: Report, fmt: str) -> bytes:
    """The report as the bytes of an `fmt` file: html, pdf or docx."""
    if fmt == "pdf":
        from demozone.report.pdf import render_pdf

        return render_pdf(report)
    if fmt == "docx":
        from demozone.report.docx import render_docx

        return render_docx(report)
    from demozone.report.html import render_html

    return render_html(report).encode("utf-8")
