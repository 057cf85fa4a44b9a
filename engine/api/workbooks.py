"""Submissions as Excel/WPS workbooks: the empty template of a system, and one submission
converted between YAML, JSON and .xlsx. Every command that takes a submission file (score,
explain, impact, report) takes a workbook as it takes YAML: the loader reads both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from demozone.submission.workbook import convert as _convert

CONVERT_FORMATS = _convert.FORMATS  # output suffix -> format
Converted = _convert.Converted


def default_years(today: dt.date | None = None) -> tuple[int, ...]:
    """The two years before this one: the usual 近2年 of an application made now."""
    year = (today or dt.date.today()).year
    return (year - 2, year - 1)


def template(system: str, target: Path | str, years: tuple[int, ...] | None = None) -> dict:
    """Write the empty workbook of `system` (a system or variant id) for `years` (default: the
    two years before this one) to `target` (.xlsx); a summary of what it holds. Raises
    InputError for an unknown system or an unusable target."""
    return _convert.write_template(system, Path(target), tuple(years or default_years()))


def convert(source: Path | str, target: Path | str) -> Converted:
    """Convert one submission between YAML, JSON and .xlsx (by the target's suffix). The source
    is read strictly first: any problem raises InputError and nothing is written."""
    return _convert.convert(Path(source), Path(target))


__all__ = ["CONVERT_FORMATS", "Converted", "convert", "default_years", "template"]
