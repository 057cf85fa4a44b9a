"""The provenance graph as one self-contained HTML file: an interactive SVG view that works offline.

Nothing is fetched: the script, the styles and the graph (as JSON in a data block) are inline, and
a Content-Security-Policy forbids every load. Layered layout by node type, scores on the left and
the quoted passages of the source documents on the right; pan by dragging, zoom with the wheel;
clicking a node shows its text and values in the side panel and reveals what it came from, and
"walk to the sources" reveals everything below it. Large graphs start from the scores alone.

Every text from the graph reaches the page through the JSON block (with `<`, `>`, `&`, U+2028 and
U+2029 escaped, so no `</script>` can end it) and is put into the DOM with `textContent`, never
as markup. Chinese text is kept verbatim (UTF-8).

The page itself is package data beside this module (templates/provenance-view.html, .css, .js),
read once and inlined at render time, so the file written is still one page that loads nothing.
"""

from __future__ import annotations

import functools
import html
import json
from importlib import resources

import networkx as nx

# type -> (colour, Chinese name, English name)
TYPE_STYLE = {
    "assessment": ("#d9d9d9", "评估", "assessment"),
    "submission": ("#eeeeee", "申报材料", "submission"),
    "score": ("#8ecae6", "得分", "score"),
    "firing": ("#ffb703", "规则触发", "rule firing"),
    "case": ("#ffe8a3", "计分情形", "case"),
    "fact": ("#b7e4c7", "事实", "fact"),
    "evidence": ("#74c69d", "证明材料", "evidence"),
    "assessor": ("#c8b6ff", "评估人员", "assessor"),
    "rule": ("#fcd5a5", "计分规则", "rule"),
    "indicator": ("#f4a3a8", "指标", "indicator"),
    "clause": ("#f7c6c9", "条款", "clause"),
    "source": ("#fff3b0", "原文出处", "source passage"),
}
# column of each type, left to right: scores first, source passages last
LAYERS = {
    "assessment": 0,
    "submission": 0,
    "firing": 2,
    "case": 2,
    "fact": 3,
    "evidence": 4,
    "assessor": 4,
    "rule": 4,
    "indicator": 5,
    "clause": 5,
    "source": 6,
}
SHOW_ALL_UP_TO = 160  # a graph this small starts fully shown; a larger one from its scores
_HIDDEN = {"type", "label", "iri"}


def layer(attrs: dict) -> int:
    if attrs["type"] == "score":
        return 0 if attrs.get("kind") in ("level", "indicator") else 1
    return LAYERS.get(attrs["type"], 6)


def _order(attrs: dict) -> float:
    try:
        return float(attrs.get("order", 0) or 0)
    except ValueError:
        return 0.0


def view_data(graph: nx.MultiDiGraph, title: str = "") -> dict:
    """What the page draws: nodes (type, label, column, order, attributes), edges, first view."""
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    items = []
    for n in nodes:
        attrs = graph.nodes[n]
        shown = {k: v for k, v in sorted(attrs.items()) if k not in _HIDDEN and v != ""}
        items.append(
            {
                "id": n,
                "t": attrs["type"],
                "l": attrs.get("label", n),
                "c": layer(attrs),
                "o": _order(attrs),
                "a": shown,
            }
        )
    edges = [
        [index[s], index[t], d.get("label", k)] for s, t, k, d in graph.edges(keys=True, data=True)
    ]
    if len(nodes) <= SHOW_ALL_UP_TO:
        initial = list(range(len(nodes)))
    else:
        initial = [i for i, item in enumerate(items) if item["c"] == 0]
    return {
        "title": title,
        "assessment": graph.graph.get("assessment", ""),
        "nodes": items,
        "edges": edges,
        "initial": initial,
        "types": {t: list(style) for t, style in TYPE_STYLE.items()},
    }


def script_json(obj) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&`, no JavaScript line separators."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def to_html(graph: nx.MultiDiGraph, *, title: str = "") -> str:
    """One self-contained HTML page showing the graph."""
    title = title or "demozone provenance"
    head, tail = page_template()
    return (
        head.replace("__TITLE__", html.escape(title), 1)
        + script_json(view_data(graph, title))
        + tail
    )


@functools.cache
def page_template() -> tuple[str, str]:
    """The page before and after its graph data: the HTML template with its style sheet and its
    script inlined (each file in place of its `__STYLE__` or `__SCRIPT__` line), cut at
    `__DATA__`. The head still holds `__TITLE__`."""
    folder = resources.files("demozone.explain") / "templates"

    def read(name: str) -> str:
        return (folder / f"provenance-view.{name}").read_text(encoding="utf-8")

    page = read("html")
    for placeholder, text in (("__STYLE__\n", read("css")), ("__SCRIPT__\n", read("js"))):
        if page.count(placeholder) != 1:
            raise RuntimeError(f"the page template needs one {placeholder.strip()} line")
        page = page.replace(placeholder, text)
    head, tail = page.split("__DATA__")
    return head, tail
