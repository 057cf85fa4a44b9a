"""An assessment's provenance as a networkx graph: from every score to the rules, firings, cases,
facts, evidence and assessors it came from, and on through the knowledge base to the quoted
passages of the source documents.

`provenance_graph(quads, kb_graph)` reads the quads of one assessment (as the store holds them)
and the knowledge base graph and returns a `networkx.MultiDiGraph`:

- nodes are IRIs; every node has `type` (one of TYPES), `label` (short, for drawing), and where
  there is one `text` (a criterion, a clause, a quoted passage, reasons) and `value` (exact, as
  recorded), plus the node's other literal properties by their local names;
- edges point the way provenance is read (score -> what it came from) and carry `label`, the
  prefixed name of the PROV or dz property (`prov:wasDerivedFrom`, `dz:anchor`, ...);
- a source node is one passage of a source document: `text` is the quoted text, and the
  citation's fields (kb.citation) say where it is: `source_id`, `source_file` (under
  kb/sources/), `char_start`/`char_end` in code points and `byte_start`/`byte_end` in bytes of
  the file (end exclusive); its IRI is the document's IRI with an RFC 5147
  `#char=start,end` fragment, so one passage cited by an indicator and a clause is one node.

Qualified associations, receipts, operands and the demozone agent become attributes of the node
they qualify (a firing gets a `prov:hadPlan` edge to its rule).

This module is the way in (build, cut to one indicator, count, write out); the graph is built by
provgraph_build.py from the assessment's triples, provgraph_kb.py adds the knowledge base and its
passages, provgraph_labels.py the labels, and htmlview.py draws it as one HTML page.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Graph

from demozone.common.errors import InputError, Problem
from demozone.explain.provgraph_build import AssessmentTriples, GraphBuilder
from demozone.provenance.rdfterms import rdflib_triples

TYPES = (
    "assessment",
    "submission",
    "score",
    "firing",
    "rule",
    "case",
    "fact",
    "evidence",
    "assessor",
    "indicator",
    "clause",
    "source",
)


def provenance_graph(quads, kb_graph: Graph, *, rules: dict | None = None) -> nx.MultiDiGraph:
    """The provenance graph of one assessment (its quads, or an rdflib graph of its triples).

    `kb_graph` is the knowledge base graph, or any lookup of its triples answering `objects`,
    `value` and `in` as one does (provenance.rdfterms.TripleIndex of the excerpt cited).
    `rules` (rule id -> demozone.rules.model.Rule) adds each rule's kind, file and line and the labels
    of the branches that fired; by default they are looked up from the assessment's rule set.
    """
    # looked up in, never searched: an index of the triples does without an rdflib graph's cost
    data = AssessmentTriples(quads if isinstance(quads, Graph) else rdflib_triples(quads))
    return GraphBuilder(data, kb_graph, rules).build()


def restrict_to_indicator(graph: nx.MultiDiGraph, number: str) -> nx.MultiDiGraph:
    """The subgraph reachable from the score of indicator `number` (the system's own numbering)."""
    starts = [
        n
        for n, d in graph.nodes(data=True)
        if d["type"] == "score" and d.get("kind") == "indicator" and d.get("number") == str(number)
    ]
    if not starts:
        numbers = sorted(
            (d["number"] for _n, d in graph.nodes(data=True) if d.get("kind") == "indicator"),
            key=_number_key,
        )
        raise InputError(
            [
                Problem(
                    "--indicator",
                    "",
                    f"no indicator {number!r} in this assessment",
                    f"该评估中没有指标 {number!r}",
                    expected=", ".join(numbers),
                )
            ]
        )
    keep = set(starts)
    for start in starts:
        keep |= nx.descendants(graph, start)
    sub = nx.MultiDiGraph()  # built in the graph's own order, so output files are stable
    sub.graph.update(graph.graph, indicator=str(number))
    sub.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if n in keep)
    sub.add_edges_from(
        (s, t, k, d) for s, t, k, d in graph.edges(keys=True, data=True) if s in keep and t in keep
    )
    return sub


def indicator_score(graph: nx.MultiDiGraph, number: str) -> str | None:
    """The node of indicator `number`'s score, None when there is none."""
    for n, d in graph.nodes(data=True):
        if d["type"] == "score" and d.get("kind") == "indicator" and d.get("number") == number:
            return n
    return None


def summary(graph: nx.MultiDiGraph) -> dict:
    """Node counts by type and the number of edges, for --json."""
    counts: dict[str, int] = defaultdict(int)
    for _n, d in graph.nodes(data=True):
        counts[d["type"]] += 1
    return {
        "assessment": graph.graph.get("assessment", ""),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "types": {t: counts[t] for t in TYPES if counts[t]},
    }


def _number_key(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in str(number).split("."))


# ---------------------------------------------------------------------------------------------
# Writers

FORMATS = ("graphml", "dot", "json", "html")
SUFFIXES = {".graphml": "graphml", ".dot": "dot", ".gv": "dot", ".json": "json"}
SUFFIXES |= {".html": "html", ".htm": "html"}


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML (networkx's writer): every attribute a string, the offsets integers."""
    return "\n".join(nx.generate_graphml(graph, named_key_ids=True)) + "\n"


def to_json(graph: nx.MultiDiGraph) -> dict:
    """networkx node-link data: {"directed", "multigraph", "graph", "nodes", "edges"}."""
    return nx.node_link_data(graph, edges="edges")


DOT_STYLE = {
    "assessment": ("box", "#d9d9d9"),
    "submission": ("note", "#eeeeee"),
    "score": ("box", "#8ecae6"),
    "firing": ("cds", "#ffb703"),
    "rule": ("component", "#fcd5a5"),
    "case": ("box", "#ffe8a3"),
    "fact": ("ellipse", "#b7e4c7"),
    "evidence": ("folder", "#74c69d"),
    "assessor": ("house", "#c8b6ff"),
    "indicator": ("box", "#f4a3a8"),
    "clause": ("box", "#f7c6c9"),
    "source": ("note", "#fff3b0"),
}


def dot_quote(text: object) -> str:
    """A DOT double-quoted string: backslashes, quotes and line breaks escaped, text verbatim."""
    value = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + '"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT text, left to right, nodes shaped and coloured by type."""
    lines = [
        "digraph provenance {",
        '  graph [rankdir=LR, charset="UTF-8", fontname="sans-serif"];',
        '  node [style=filled, fontname="sans-serif", fontsize=10];',
        '  edge [fontname="sans-serif", fontsize=8, color="#777777"];',
    ]
    for node, attrs in graph.nodes(data=True):
        shape, colour = DOT_STYLE.get(attrs["type"], ("box", "#ffffff"))
        tooltip = attrs.get("text") or attrs.get("label", "")
        lines.append(
            f"  {dot_quote(node)} [label={dot_quote(attrs.get('label', node))}, "
            f"shape={shape}, fillcolor={dot_quote(colour)}, tooltip={dot_quote(tooltip)}, "
            f"class={dot_quote(attrs['type'])}];"
        )
    for source, target, attrs in graph.edges(data=True):
        lines.append(
            f"  {dot_quote(source)} -> {dot_quote(target)} [label={dot_quote(attrs['label'])}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(graph: nx.MultiDiGraph, fmt: str, *, title: str = "") -> str:
    """The graph as text in one of FORMATS."""
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "json":
        import json

        return json.dumps(to_json(graph), ensure_ascii=False, indent=1) + "\n"
    if fmt == "html":
        from demozone.explain.htmlview import to_html

        return to_html(graph, title=title)
    raise ValueError(f"unknown graph format {fmt!r}")
