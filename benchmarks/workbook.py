"""Workbook speed: writing a system's template, writing N synthetic national-2022 submissions as
workbooks, and loading them back (two openpyxl reads each: saved values and formulas). Prints
milliseconds per workbook and per YAML load for comparison. A benchmark: it asserts nothing.

    .venv/bin/python benchmarks/workbook.py [N]      (default 20)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from demozone.api import convert, template
from demozone.rules.lookup import rules_of
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.synthetic import synthetic_document
from demozone.submission.workbook.document import yaml_text


def per_item(seconds: float, n: int) -> str:
    return f"{1000 * seconds / n:8.1f} ms"


def main(n: int) -> None:
    rules, catalog = rules_of("national-2022"), catalog_from_kb()
    with tempfile.TemporaryDirectory(prefix="demozone-wb-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        template("national-2022", folder / "template.xlsx", (2023, 2024))
        print(f"template national-2022        {per_item(time.perf_counter() - start, 1)}")
        sources = []
        for seed in range(n):
            source = folder / f"{seed}.yaml"
            source.write_text(yaml_text(synthetic_document(rules, seed)), "utf-8")
            sources.append(source)
        load_submission(sources[0], catalog)  # warm the caches
        start = time.perf_counter()
        for source in sources:
            load_submission(source, catalog)
        print(f"load YAML                     {per_item(time.perf_counter() - start, n)}")
        start = time.perf_counter()
        for source in sources:
            convert(source, source.with_suffix(".xlsx"))
        print(f"convert YAML -> .xlsx         {per_item(time.perf_counter() - start, n)}")
        start = time.perf_counter()
        for source in sources:
            load_submission(source.with_suffix(".xlsx"), catalog)
        print(f"load .xlsx                    {per_item(time.perf_counter() - start, n)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
