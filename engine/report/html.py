"""A report model as one HTML page, through the package's one Jinja2 template.

The template autoescapes: titles, regions, notes and reasons come from submissions and are text.
"""

from __future__ import annotations

import functools

import jinja2

from demozone.report.model import Report

TEMPLATE = "report.html.j2"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("demozone.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: Report) -> str:
    """The report as a self-contained HTML page (A4 print styles included)."""
    return _environment().get_template(TEMPLATE).render(r=report, t=report.t)
