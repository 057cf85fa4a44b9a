"""A report as PDF: its HTML laid out by WeasyPrint on A4 pages with page numbers.

The fonts are the system's Noto CJK (Debian's fonts-noto-cjk, installed by `make`): WeasyPrint
embeds the glyphs it uses, so the PDF reads the same on a machine without them.
"""

from __future__ import annotations

from demozone.report.html import render_html
from demozone.report.model import Report


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    import weasyprint  # loads Pango; only the PDF needs it

    return weasyprint.HTML(string=render_html(report)).write_pdf()
