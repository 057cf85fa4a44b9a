"""The web workspace's vendored JavaScript: what VENDORED.md records is what is shipped."""

import hashlib
import re

import pytest

from .conftest import ROOT

VENDOR = ROOT / "engine" / "web" / "static" / "vendor"
COLUMNS = ("file", "package", "version", "licence", "licence file", "sha256")

# A weak check, by pattern, of a script loading something from the internet: an address is
# fine inside a licence comment, not as a script's src, an import, a fetch or a style's url().
LOADS_FROM_THE_INTERNET = re.compile(
    r"""(?:src\s*=\s*\\?["']?|import\s*\(\s*["']|import\s+["']|importScripts\s*\(\s*["']"""
    r"""|fetch\s*\(\s*["']|url\(\s*["']?|@import\s+["']?)https?://""",
    re.IGNORECASE,
)


def vendored_rows() -> list[dict[str, str]]:
    """The rows of VENDORED.md's first table (the one whose header is COLUMNS)."""
    rows, in_table = [], False
    for line in (VENDOR / "VENDORED.md").read_text("utf-8").splitlines():
        cells = tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        if cells == COLUMNS:
            in_table = True
        elif in_table and line.startswith("|") and not set(line) <= set("|- "):
            rows.append(dict(zip(COLUMNS, cells, strict=True)))
        elif in_table and not line.startswith("|"):
            break
    return rows


ROWS = vendored_rows()


def test_vendored_md_lists_htmx_and_cytoscape():
    assert {row["package"] for row in ROWS} >= {"htmx.org", "cytoscape"}


def test_every_script_in_the_vendor_folder_is_listed():
    scripts = {path.name for path in VENDOR.iterdir() if path.suffix in (".js", ".mjs", ".css")}
    assert scripts == {row["file"] for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_vendored_file_matches_the_sha256_recorded(row):
    data = (VENDOR / row["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["sha256"]


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_vendored_file_has_its_licence_beside_it(row):
    licence = VENDOR / row["licence file"]
    assert licence.parent == VENDOR and licence.name.startswith(row["file"])
    text = licence.read_text("utf-8")
    expected = {"MIT": "Permission is hereby granted", "0BSD": "Zero-Clause BSD"}
    assert expected[row["licence"]] in text


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_vendored_file_loads_nothing_from_the_internet(row):
    text = (VENDOR / row["file"]).read_text("utf-8")
    assert LOADS_FROM_THE_INTERNET.findall(text) == []


@pytest.mark.parametrize(
    "script",
    [
        'e.innerHTML="<script src=\\"https://cdn.example/x.js\\">"',
        'import("https://cdn.example/x.mjs")',
        "fetch('http://example.com/data')",
        "background:url(https://example.com/a.png)",
    ],
)
def test_the_internet_check_sees_a_remote_load(script):
    assert LOADS_FROM_THE_INTERNET.search(script)


def test_the_internet_check_lets_a_licence_comment_name_an_address():
    assert not LOADS_FROM_THE_INTERNET.search("/* see http://opensource.org/licenses/MIT */")
