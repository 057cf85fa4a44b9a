"""Cells of a CSV file that a spreadsheet opens: text that would be read as a formula is made
inert (the OWASP rule for CSV injection).

A cell that starts with = + - @, a tab or a carriage return (or their full-width forms, which
some spreadsheets also take) is prefixed with a single quote, so LibreOffice and Excel show the
text instead of computing it; a plain number (-1.5, +2) stays a number. Every CSV demozone writes
passes its cells through `safe_cell`.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d+)?|\.\d+)\Z")


def safe_cell(value: object) -> str:
    """The text of a CSV cell that no spreadsheet reads as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text
