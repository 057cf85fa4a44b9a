"""`impact --csv` writes no cell a spreadsheet reads as a formula (issue 19, item 5): the OWASP
rule, checked by opening the CSV in LibreOffice Calc headless."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common.cells import safe_cell

from .conftest import ROOT, installed

EXAMPLE = ROOT / "examples" / "national-2022"
HOSTILE = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://x","y")', "＝1+1"]


@pytest.fixture(scope="module")
def soffice() -> str:
    from .prerequisites import LIBREOFFICE_CALC

    return installed(LIBREOFFICE_CALC)


def formulas(soffice: str, csv_file: Path, work: Path) -> list[str]:
    """The formulas LibreOffice Calc finds when it opens the CSV (as a flat ODS document)."""
    out = work / "out"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
         "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1",
         "--convert-to", "fods", "--outdir", str(out), str(csv_file)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (out / (csv_file.stem + ".fods")).read_text("utf-8")
    return re.findall(r'table:formula="([^"]*)"', text)


def test_safe_cell_follows_the_owasp_rule():
    for text in [*HOSTILE, "\t=1+1", "\r=1+1"]:
        assert safe_cell(text).startswith("'"), text
    for text in ["-1.5", "+2", "0", "青岚县", "a=b", ""]:
        assert safe_cell(text) == text


def test_impact_csv_opens_in_libreoffice_without_a_formula(soffice, tmp_path):
    files = []
    for k, region in enumerate(HOSTILE):
        folder = tmp_path / f"s{k}"
        shutil.copytree(EXAMPLE, folder)
        doc = yaml.safe_load((folder / "submission.yaml").read_text("utf-8"))
        doc["submission"]["region"], doc["submission"]["id"] = region, f"formula-{k}"
        (folder / "submission.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
        files.append(str(folder / "submission.yaml"))
    result = CliRunner().invoke(
        main_group, ["impact", "national-2022", "national-2022-strict", *files, "--csv"]
    )
    assert result.exit_code in (0, 1), result.output
    written = tmp_path / "impact.csv"
    written.write_text(result.stdout, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(row["region"] for row in rows) == sorted("'" + r for r in HOSTILE)
    assert formulas(soffice, written, tmp_path) == []
    # and the check can see a formula: the same cells written raw are read as formulas
    raw = tmp_path / "raw.csv"
    raw.write_text("region\n" + "\n".join(HOSTILE[:4]) + "\n", encoding="utf-8")
    assert "of:=1+1" in formulas(soffice, raw, tmp_path)
