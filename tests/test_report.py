"""`demozone report`: the 评估报告 as Word, PDF and HTML, for both national systems.

The PDF is checked with poppler's tools (pdftotext, pdffonts, pdftoppm), installed by the set-up
(`make system-packages`). Without CI they may be missing and those tests are skipped; under
CI=true a missing tool is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from demozone.cli import main_group

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "national-2022": ROOT / "examples" / "national-2022" / "submission.yaml",
    "national-2024-draft": ROOT / "examples" / "national-2024-draft" / "submission.yaml",
}
COUNTS = {"national-2022": 41, "national-2024-draft": 25}  # indicators per system


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is missing: `make system-packages` installs poppler-utils and fonts-noto-cjk"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _report(ref: str | Path, output: Path, *args: str) -> dict:
    done = CliRunner().invoke(main_group, ["report", str(ref), "-o", str(output), "--json", *args])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    """Each example's report in each format, written once for the module."""
    folder = tmp_path_factory.mktemp("reports")
    files = {}
    for system, path in EXAMPLES.items():
        for fmt in ("docx", "pdf", "html"):
            output = folder / f"{system}.{fmt}"
            files[system, fmt] = (output, _report(path, output))
    return files


systems = pytest.mark.parametrize("system", list(EXAMPLES))


def _sheet(document) -> object:
    """The 评分表: the table whose header names 扣分原因."""
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if "扣分原因" in header:
            return table
    raise AssertionError("no 评分表 in the document")


@systems
def test_docx_opens_with_one_sheet_row_per_indicator_and_the_total(written, system):
    output, summary = written[system, "docx"]
    table = _sheet(Document(str(output)))
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    numbers = [row[0] for row in rows[1:-1]]
    assert numbers == [str(n) for n in range(1, COUNTS[system] + 1)]
    assert "合计" in rows[-1] and summary["total"] in rows[-1]
    assert summary["indicators"] == COUNTS[system]


def test_docx_sheet_uses_each_systems_own_level_names(written):
    header_2022 = [
        c.text for c in _sheet(Document(str(written["national-2022", "docx"][0]))).rows[0].cells
    ]
    header_2024 = [
        c.text
        for c in _sheet(Document(str(written["national-2024-draft", "docx"][0]))).rows[0].cells
    ]
    assert header_2022[1:4] == ["一级指标", "二级指标", "三级指标"]
    assert header_2024[1:3] == ["一级指标", "二级指标"] and "三级指标" not in header_2024


def _pdf_text(path: Path) -> str:
    done = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@systems
def test_pdf_text_holds_the_title_every_indicator_number_and_the_total(written, system):
    output, summary = written[system, "pdf"]
    text = _pdf_text(output)
    region = {"national-2022": "青岚县", "national-2024-draft": "云岭县"}[system]
    assert f"{region}网络市场监管与服务示范区创建评估报告" in text
    sheet = text[text.index("评分表") :]
    found = {m.group(1) for m in re.finditer(r"^\s{0,3}(\d{1,2})\s", sheet, re.MULTILINE)}
    assert {str(n) for n in range(1, COUNTS[system] + 1)} <= found
    assert re.search(rf"合计\s+100\s+{summary['total']}\b", text)
    assert "第 1 页" not in text and re.search(
        r"第 2 页，共 \d+ 页", text
    )  # no number on the cover


@systems
def test_pdffonts_shows_an_embedded_cjk_font(written, system):
    output, _ = written[system, "pdf"]
    done = subprocess.run(
        [_tool("pdffonts"), str(output)], capture_output=True, text=True, check=True
    )
    cjk = [line for line in done.stdout.splitlines() if "CJK" in line]
    assert cjk, done.stdout
    assert all(line.split()[-5] == "yes" for line in cjk), done.stdout  # the `emb` column


def _gray_pages(pdf: Path, folder: Path) -> list[bytes]:
    """Every page rendered as 8-bit grey pixels (pdftoppm -gray writes binary PGM)."""
    subprocess.run(
        [_tool("pdftoppm"), "-gray", "-r", "30", str(pdf), str(folder / "page")], check=True
    )
    pages = []
    for path in sorted(folder.glob("page-*.pgm")):
        data = path.read_bytes()
        magic, width, height, maxval, pixels = data.split(maxsplit=4)
        assert magic == b"P5" and maxval == b"255"
        pages.append(pixels[: int(width) * int(height)])
    return pages


@systems
def test_pdftoppm_renders_every_page_and_none_is_blank(written, system, tmp_path):
    output, _ = written[system, "pdf"]
    pages = _gray_pages(output, tmp_path)
    assert len(pages) >= 5
    for number, pixels in enumerate(pages, 1):
        inked = sum(1 for value in pixels if value < 160)
        assert inked > 200, f"page {number} looks blank ({inked} dark pixels)"


@systems
def test_html_quotes_the_pass_rule_with_its_anchor_and_marks_split_panels(written, system):
    output, _ = written[system, "html"]
    html = output.read_text(encoding="utf-8")
    quote = {
        "national-2022": "每个一级指标得分率≧75%",
        "national-2024-draft": "每个一级指标得分率≧80%",
    }
    assert quote[system] in html
    assert re.search(r"（\d{3}_[0-9a-f]{16}\.txt）第\d+–\d+字，第\d+–\d+字节", html)
    assert "专家评审意见汇总" in html and "专家意见不一致（1:1）" in html


def test_a_split_panel_of_three_reads_2_to_1(written):
    html = written["national-2022", "html"][0].read_text(encoding="utf-8")
    assert "专家意见不一致（2:1）" in html


@systems
def test_evidence_list_and_receipt_carry_every_hash(written, system):
    html = written[system, "html"][0].read_text(encoding="utf-8")
    hashes = re.findall(r'sha256: "([0-9a-f]{64})"', EXAMPLES[system].read_text(encoding="utf-8"))
    assert hashes and all(h in html for h in hashes)
    assert "可复现性凭据" in html and "rules/" in html


def _hostile_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    shutil.copytree(EXAMPLES["national-2022"].parent, folder)
    path = folder / "submission.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("region: 青岚县", 'region: "<script>alert(1)</script>县"', 1)
    text = re.sub(r"(\n\s+title: )([^\n]+)", r'\1"<script>x()</script>\2"', text, count=1)
    path.write_text(text, encoding="utf-8")
    return path


def test_html_escapes_hostile_text_in_the_region_and_an_evidence_title(tmp_path):
    path = _hostile_copy(tmp_path)
    assert "<script>" in path.read_text(encoding="utf-8")
    output = tmp_path / "r.html"
    _report(path, output)
    html = output.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;县" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_english_report_translates_labels_and_keeps_the_source_text(tmp_path):
    output = tmp_path / "en.html"
    _report(EXAMPLES["national-2024-draft"], output, "--lang", "en")
    html = output.read_text(encoding="utf-8")
    assert "Score sheet" in html and "Reproducibility receipt" in html
    assert "评分表" not in html and "扣分原因" not in html
    assert "本评估指标体系合格标准为" in html  # the source sentence stays as written


def test_report_of_a_stored_assessment_matches_the_file_it_was_made_from(tmp_path):
    store = tmp_path / "store"
    first = _report(EXAMPLES["national-2022"], tmp_path / "a.html", "--store", str(store))
    again = _report(first["assessment"], tmp_path / "b.html", "--store", str(store))
    assert again["assessment"] == first["assessment"]
    assert (again["total"], again["passed"]) == (first["total"], first["passed"])
    stored = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert first["assessment"] in stored and "未写入评估记录存储" not in stored


def test_a_file_scored_for_the_report_says_its_iri_is_not_recorded(written):
    html = written["national-2022", "html"][0].read_text(encoding="utf-8")
    assert "未写入评估记录存储" in html


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-file.yaml", "-o", "{tmp}/r.pdf"], "找不到该申报材料文件"),
        ([str(EXAMPLES["national-2022"]), "-o", "{tmp}/r.txt"], "give --format"),
        ([str(EXAMPLES["national-2022"]), "-o", "{tmp}/missing/r.pdf"], "无法写入输出文件"),
        (
            [str(EXAMPLES["national-2022"]), "-o", "{tmp}/r.pdf", "--submission", "x.yaml"],
            "--submission",
        ),
    ],
)
def test_user_mistakes_exit_2_without_a_traceback(tmp_path, args, says):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    done = CliRunner().invoke(main_group, ["report", *args])
    assert done.exit_code == 2, done.output
    assert says in done.output
    assert "Traceback" not in done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
