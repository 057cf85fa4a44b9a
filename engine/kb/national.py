"""National reference statistics (kb/reference/national-statistics.csv), exact, with sources."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from demozone.common.numbers import to_fraction
from demozone.common.paths import KB_DIR

STATISTICS_FILE = KB_DIR / "reference" / "national-statistics.csv"


@dataclass(frozen=True)
class NationalFigure:
    """One published national figure: the level and/or growth of a metric in a year."""

    metric: str
    year: int
    level: Fraction | None
    unit: str
    growth: Fraction | None  # as a fraction: 11.0% -> 11/100
    source: str
    note: str


@functools.lru_cache(maxsize=4)
def national_figures(path: Path = STATISTICS_FILE) -> dict[tuple[str, int], NationalFigure]:
    """All national figures by (metric, year)."""
    figures = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            figure = NationalFigure(
                metric=row["metric"],
                year=int(row["year"]),
                level=to_fraction(row["value"]) if row["value"] else None,
                unit=row["unit"],
                growth=to_fraction(row["growth_pct"]) / 100 if row["growth_pct"] else None,
                source=row["source"],
                note=row["note"],
            )
            figures[(figure.metric, figure.year)] = figure
    return figures
