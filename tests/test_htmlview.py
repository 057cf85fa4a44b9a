"""The HTML view: one self-contained file, text escaped, and drawn by headless Chromium with no
network (a screenshot with nodes in it, and the DOM after the script ran)."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from importlib import resources
from pathlib import Path

import networkx as nx
import pytest

from demozone.explain import htmlview
from demozone.explain import provgraph as pg

DATA_BLOCK = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)
HOSTILE = '</script><script>alert("x")</script> & <!-- \u2028 \u2029 "引号" \\ 网络市场'


@pytest.fixture(scope="module")
def graph(scored_examples) -> nx.MultiDiGraph:
    resolved = scored_examples["national-2022"]
    return pg.provenance_graph(resolved.quads, resolved.kb_graph)


def _data(page: str) -> dict:
    blocks = DATA_BLOCK.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_the_page_is_self_contained(graph):
    page = htmlview.to_html(pg.restrict_to_indicator(graph, "3"), title="指标 3")
    assert "default-src 'none'" in page  # the page may load nothing
    lowered = page.lower()
    for pattern in (
        "<script src",
        "<link",
        "<img",
        "<iframe",
        "@import",
        "url(",
        "fetch(",
        "xmlhttprequest",
    ):
        assert pattern not in lowered, pattern
    # the only URLs outside the data block are the SVG namespace
    outside = DATA_BLOCK.sub("", page)
    assert set(re.findall(r"https?://[^\s\"'<>]+", outside)) == {"http://www.w3.org/2000/svg"}
    assert len(page) < 200_000


def test_the_page_inlines_its_style_sheet_and_script_from_package_data(graph):
    templates = resources.files("demozone.explain") / "templates"
    page = htmlview.to_html(pg.restrict_to_indicator(graph, "3"), title="指标 3")
    for name in ("provenance-view.css", "provenance-view.js"):
        text = (templates / name).read_text(encoding="utf-8")
        assert text.strip() and page.count(text) == 1, name
    for placeholder in ("__TITLE__", "__STYLE__", "__SCRIPT__", "__DATA__"):
        assert placeholder not in page, placeholder


def test_text_is_escaped_and_kept_verbatim():
    graph = nx.MultiDiGraph(assessment="a")
    graph.add_node("a", type="assessment", label=HOSTILE, text=HOSTILE, iri="a")
    graph.add_node("b", type="source", label="原文", text=HOSTILE, start=1, end=2, iri="b")
    graph.add_edge("a", "b", key="dz:anchor", label=HOSTILE)
    page = htmlview.to_html(graph, title=HOSTILE)
    assert page.count("</script>") == 2  # the data block's and the script's own
    assert "<script>alert" not in page
    raw = DATA_BLOCK.findall(page)[0]  # JavaScript line separators escaped in the data
    assert "\u2028" not in raw and "\u2029" not in raw and "<" not in raw and "&" not in raw
    assert "&lt;/script&gt;" in page.split("<body>")[0]  # the title, HTML-escaped
    data = _data(page)
    assert data["nodes"][0]["l"] == HOSTILE and data["nodes"][1]["a"]["text"] == HOSTILE
    assert data["edges"] == [[0, 1, HOSTILE]] and data["title"] == HOSTILE
    assert "textContent" in page and "innerHTML" not in page


def test_large_graphs_start_from_the_scores(graph):
    data = htmlview.view_data(graph)
    first = {data["nodes"][i]["t"] for i in data["initial"]}
    assert first == {"assessment", "submission", "score"}
    scores = [data["nodes"][i] for i in data["initial"] if data["nodes"][i]["t"] == "score"]
    assert len(scores) == 41 + 5  # indicators and first levels
    columns = [n["c"] for n in data["nodes"]]
    assert all(n["c"] == max(columns) for n in data["nodes"] if n["t"] == "source")
    assert all(n["c"] == 0 for n in scores)
    small = htmlview.view_data(pg.restrict_to_indicator(graph, "3"))
    assert small["initial"] == list(range(len(small["nodes"])))


# ---------------------------------------------------------------------------------------------
# In a browser


def _chromium_command(binary: str, profile: Path, *args: str) -> list[str]:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--proxy-server=127.0.0.1:9",  # and, unless unshare is refused, no network at all
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--window-size=1200,800",
        "--virtual-time-budget=5000",
        *args,
    ]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0:
        command = [unshare, "--net", *command]
    return command


def _run(command: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done


def read_png(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, channels, raw pixel rows without filter bytes) of an 8-bit RGB(A) PNG."""
    blob = path.read_bytes()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, [], None
    while pos < len(blob):
        (length,) = struct.unpack(">I", blob[pos : pos + 4])
        kind, body = blob[pos + 4 : pos + 8], blob[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _c, _f, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    data = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = data[y * (stride + 1)]
        line = bytearray(data[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b, c = previous[i], previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, b"".join(rows)


def _pixels(path: Path) -> tuple[int, dict[tuple[int, int, int], int]]:
    width, height, channels, raw = read_png(path)
    counts: dict[tuple[int, int, int], int] = {}
    for i in range(0, len(raw), channels):
        rgb = (raw[i], raw[i + 1], raw[i + 2])
        counts[rgb] = counts.get(rgb, 0) + 1
    return width * height, counts


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("indicator", ["3", None])
def test_chromium_draws_the_graph_offline(indicator, graph, chromium, tmp_path: Path):
    shown = pg.restrict_to_indicator(graph, indicator) if indicator else graph
    page = tmp_path / "graph.html"
    page.write_text(htmlview.to_html(shown, title="test"), encoding="utf-8")
    expected = len(htmlview.view_data(shown)["initial"])
    url = page.resolve().as_uri()

    dom = _run(_chromium_command(chromium, tmp_path / "p1", "--dump-dom", url)).stdout.decode()
    assert len(re.findall(r'<g class="node[ "]', dom)) == expected
    assert f'data-drawn-nodes="{expected}"' in dom
    assert dom.count("<path ") > 0 and "<rect " in dom

    png = tmp_path / "shot.png"
    _run(_chromium_command(chromium, tmp_path / "p2", f"--screenshot={png}", url))
    total, counts = _pixels(png)
    white = counts.get((255, 255, 255), 0)
    assert total - white > total // 50, "the screenshot is (nearly) blank"
    score_fill = counts.get(_rgb(htmlview.TYPE_STYLE["score"][0]), 0)
    assert score_fill > 500, "no score node was drawn"
    if indicator:
        source_fill = counts.get(_rgb(htmlview.TYPE_STYLE["source"][0]), 0)
        assert source_fill > 500, "no source passage was drawn"
