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
- a source node is one passage of a source document: `text` is the quoted text, `start`/`end`
  its range in code points (end exclusive) in the document `file` under kb/sources/; its IRI is
  the document's IRI with an RFC 5147 `#char=start,end` fragment, so one passage cited by an
  indicator and a clause is one node.

Qualified associations, receipts, operands and the demozone agent become attributes of the node
they qualify (a firing gets a `prov:hadPlan` edge to its rule).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
from rdflib import Graph, Literal, URIRef

from demozone.common.errors import InputError, Problem
from demozone.common.paths import HOME
from demozone.common.vocab import DCTERMS, DZ, OA, PROV, RDF, RDFS, SKOS

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

_CLASS_TYPES = {
    DZ.Assessment: "assessment",
    DZ.Submission: "submission",
    DZ.Score: "score",
    DZ.RuleFiring: "firing",
    DZ.Rule: "rule",
    DZ.Case: "case",
    DZ.Fact: "fact",
    DZ.Judgment: "fact",
    DZ.Evidence: "evidence",
    DZ.Assessor: "assessor",
}
# a node typed twice (an evidence item read as a fact) takes the first of its types here
_PRIORITY = ("assessment", "submission", "score", "firing", "rule", "case", "evidence", "fact")
_PRIORITY += ("assessor",)
_TARGET_TYPES = {PROV.hadPrimarySource: "evidence", PROV.wasAttributedTo: "assessor"}
_PREFIXES = {str(PROV): "prov:", str(DZ): "dz:", str(SKOS): "skos:", str(RDFS): "rdfs:"}
# literal properties that become named attributes (others keep their local names)
_RENAMED = {
    "maxPoints": "max",
    "fieldPath": "where",
    "publishedSource": "where",
    "referenceField": "where",
    "startedAtTime": "started",
    "endedAtTime": "ended",
    "missingFact": "missing",
    "reason": "reasons",
}


def prefixed(term: URIRef) -> str:
    text = str(term)
    for namespace, prefix in _PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text.removeprefix(namespace)
    return text


def local_name(term: URIRef) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def provenance_graph(quads, kb_graph: Graph, *, rules: dict | None = None) -> nx.MultiDiGraph:
    """The provenance graph of one assessment (its quads, or an rdflib graph of its triples).

    `rules` (rule id -> demozone.rules.model.Rule) adds each rule's kind, file and line and the labels
    of the branches that fired; by default they are looked up from the assessment's rule set.
    """
    from demozone.assessment.resolve import quads_to_graph

    data = quads if isinstance(quads, Graph) else quads_to_graph(quads)
    return _Builder(data, kb_graph, rules).build()


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


class _Builder:
    def __init__(self, data: Graph, kb: Graph, rules: dict | None) -> None:
        self.data, self.kb = data, kb
        self.g = nx.MultiDiGraph()
        found = list(data.subjects(RDF.type, DZ.Assessment))
        if len(found) != 1:
            raise InputError(
                [
                    Problem(
                        "assessment",
                        "",
                        f"expected one dz:Assessment in the quads, found {len(found)}",
                        "评估记录中应有且仅有一个评估",
                    )
                ]
            )
        self.assessment = found[0]
        self.prefix = str(self.assessment) + "/"
        self.rules = rules if rules is not None else self._rule_index()

    # -- nodes from the assessment graph ---------------------------------------------------

    def build(self) -> nx.MultiDiGraph:
        self.g.graph.update(assessment=str(self.assessment), name="demozone provenance")
        for s in sorted(set(self.data.subjects(RDF.type, None)), key=str):
            kind = self._kind(s)
            if kind:
                self._node(s, kind)
        for s, p, o in sorted(self.data, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            if p == RDF.type or str(s) not in self.g:
                continue
            if isinstance(o, Literal):
                self._literal(s, p, o)
            elif p == PROV.qualifiedAssociation:
                self._association(s, o)
            elif p == DZ.receipt:
                self._receipt(s, o)
            elif p == DZ.operand:
                self._operand(s, o)
            elif p == DZ.system:
                self._set(s, "system", unquote(local_name(o)))
            elif p in (DZ.indicator, DZ.clause, DZ.level):
                self._kb_node(o, {DZ.level: "level"}.get(p, local_name(p)))
                self._edge(s, o, p)
            elif str(o) in self.g or p in _TARGET_TYPES:
                self._edge(s, o, p)
        for node in list(self.g.nodes):
            self._finish(node)
        return self.g

    def _kind(self, term) -> str | None:
        """The node type of a subject: evidence before fact (an evidence item used as a fact)."""
        kinds = {_CLASS_TYPES.get(c) for c in self.data.objects(term, RDF.type)} - {None}
        return next((t for t in _PRIORITY if t in kinds), None)

    def _node(self, term, kind: str) -> None:
        self.g.add_node(str(term), type=kind, iri=str(term))

    def _set(self, term, key: str, value, multi: bool = False) -> None:
        attrs = self.g.nodes[str(term)]
        if multi and key in attrs:
            attrs[key] = "\n".join(sorted({*attrs[key].split("\n"), str(value)}))
        else:
            attrs[key] = value

    def _edge(self, s, o, p, **attrs) -> None:
        if str(o) not in self.g:  # an evidence item or assessor cited but not described
            self._node(o, _TARGET_TYPES[p])
        label = prefixed(p)
        self.g.add_edge(str(s), str(o), key=label, label=label, **attrs)

    def _literal(self, s, p, o: Literal) -> None:
        name = local_name(p)
        if p == RDFS.label:
            if o.language in (None, "zh") or "label" not in self.g.nodes[str(s)]:
                self._set(s, "label", str(o))
            return
        self._set(s, _RENAMED.get(name, name), str(o), multi=name in ("reason", "missingFact"))

    def _association(self, s, association) -> None:
        plan = self.data.value(association, PROV.hadPlan)
        agent = self.data.value(association, PROV.agent)
        if agent is not None:
            self._set(s, "agent", unquote(local_name(agent)))
        if plan is None:
            return
        if (plan, RDF.type, DZ.Rule) in self.data:
            self._edge(s, plan, PROV.hadPlan)
        else:
            self._set(s, "plan", unquote(local_name(plan)))

    def _receipt(self, s, receipt) -> None:
        for entry in sorted(self.data.objects(receipt, DZ.entry)):
            name, value = self.data.value(entry, DZ.name), self.data.value(entry, DZ.value)
            if name is not None and value is not None:
                self._set(s, f"receipt:{name}", str(value))

    def _operand(self, case, operand) -> None:
        name, value = self.data.value(operand, DZ.name), self.data.value(operand, DZ.value)
        self._set(case, "operands", f"{name} = {value}", multi=True)

    # -- the knowledge base ----------------------------------------------------------------

    def _kb_node(self, term: URIRef, kind: str) -> None:
        node = str(term)
        if node in self.g:
            return
        kb = self.kb
        self.g.add_node(node, type="clause" if kind == "clause" else "indicator", iri=node)
        attrs = self.g.nodes[node]
        if kind == "level":
            attrs["kind"] = "level"
        labels = {lit.language: str(lit) for lit in kb.objects(term, RDFS.label)}
        notation = kb.value(term, SKOS.notation)
        attrs["number"] = str(notation) if notation is not None else unquote(local_name(term))
        name = labels.get("zh") or labels.get(None) or ""
        if labels.get("en"):
            attrs["label_en"] = labels["en"]
        for prop, key in ((DZ.points, "points"), (DZ.order, "order")):
            value = kb.value(term, prop)
            if value is not None:
                attrs[key] = str(value)
        texts = [str(kb.value(term, p) or "") for p in (DZ.criterion, DZ.ruleText, DZ.text)]
        text = "\n".join(t.strip() for t in texts if t.strip())
        if kind == "clause":
            attrs["label"] = f"条款 {attrs['number']}"
            attrs["text"] = text or name
        else:
            attrs["label"] = f"{attrs['number']} {name}".strip() if kind != "level" else name
            attrs["name"] = name
            if text:
                attrs["text"] = text
        for anchor in sorted(kb.objects(term, DZ.anchor)):
            self._passage(node, anchor)
        if kind == "clause":
            self._kb_link(term, SKOS.broader)
        elif kind != "level":
            self._kb_link(term, DZ.firstLevel)

    def _kb_link(self, term: URIRef, prop: URIRef) -> None:
        target = self.kb.value(term, prop)
        if target is not None and str(target) in self.g:
            self.g.add_edge(str(term), str(target), key=prefixed(prop), label=prefixed(prop))

    def _passage(self, owner: str, anchor) -> None:
        kb = self.kb
        source = kb.value(anchor, OA.hasSource)
        start = end = None
        exact = prefix = suffix = ""
        for selector in kb.objects(anchor, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in kb:
                start, end = int(kb.value(selector, OA.start)), int(kb.value(selector, OA.end))
            else:
                exact = str(kb.value(selector, OA.exact) or "")
                prefix = str(kb.value(selector, OA.prefix) or "")
                suffix = str(kb.value(selector, OA.suffix) or "")
        if source is None or start is None:
            return
        node = f"{source}#char={start},{end}"
        role = str(kb.value(anchor, DZ.role) or "")
        if node not in self.g:
            titles = {lit.language: str(lit) for lit in kb.objects(source, DCTERMS.title)}
            title = titles.get("zh") or titles.get(None) or unquote(local_name(source))
            self.g.add_node(
                node,
                type="source",
                iri=node,
                document=str(kb.value(source, DCTERMS.identifier) or unquote(local_name(source))),
                title=title,
                file=str(kb.value(source, DZ.fileName) or ""),
                start=start,
                end=end,
                text=exact,
                prefix=prefix,
                suffix=suffix,
                label=f"「{_short(' '.join(exact.split()), 12)}」{_short(title, 8)}",
            )
        if role:
            self._set(node, "role", role, multi=True)
        self.g.add_edge(owner, node, key=f"dz:anchor {role}", label="dz:anchor", role=role)

    # -- labels ----------------------------------------------------------------------------

    def _tail(self, node: str) -> list[str]:
        return [unquote(p) for p in node.removeprefix(self.prefix).split("/")]

    def _finish(self, node: str) -> None:
        attrs = self.g.nodes[node]
        kind = attrs["type"]
        tail = self._tail(node) if node.startswith(self.prefix) else []
        if kind == "assessment":
            attrs["label"] = f"评估 {unquote(node.rsplit('/', 1)[-1])}"
            verdict = "合格" if attrs.get("passed") == "true" else "不合格"
            attrs["value"] = attrs.get("total", "")
            attrs["text"] = f"总分 {attrs.get('total')} / {attrs.get('max')}，{verdict}"
            attrs["order"] = "-1000"
        elif kind == "submission":
            sub = unquote(node.rsplit("/", 1)[-1])
            attrs["label"] = f"{attrs.get('region', '')} ({sub})".strip()
            attrs["order"] = "-999"
        elif kind == "score":
            self._score(node, attrs, tail)
        elif kind == "firing":
            self._firing(attrs, tail)
        elif kind == "case":
            self._case(node, attrs, tail)
        elif kind in ("fact", "evidence"):
            attrs["id"] = tail[1] if len(tail) > 1 else unquote(local_name(node))
            attrs.setdefault("label", attrs["id"])
            if "value" in attrs:
                attrs["text"] = f"{attrs['label']} = {attrs['value']}"
        elif kind == "assessor":
            attrs["label"] = unquote(local_name(node))
        elif kind == "rule":
            self._rule(node, attrs)
        attrs.setdefault("label", unquote(local_name(node)))

    def _score(self, node: str, attrs: dict, tail: list[str]) -> None:
        kind = tail[1] if len(tail) > 2 and tail[0] == "score" else "score"
        attrs["kind"] = kind
        attrs["number"] = tail[2] if len(tail) > 2 else ""
        value, top = attrs.get("value", ""), attrs.get("max")
        shown = f"{value}/{top}" if top else value
        name = attrs["number"]
        for _s, target, key in self.g.out_edges(node, keys=True):
            if key in ("dz:indicator", "dz:level"):
                target_attrs = self.g.nodes[target]
                name = target_attrs.get("label", name)
                attrs["order"] = target_attrs.get("order", "")
                if kind == "level":
                    attrs["order"] = str(int(target_attrs.get("order") or 0) - 100)
        prefix = {"clause": "条款 ", "rule": "规则 "}.get(kind, "")
        attrs["label"] = f"[{shown}] {prefix}{name}"  # the value first: labels get shortened
        if "reasons" in attrs:
            attrs["text"] = attrs["reasons"]

    def _firing(self, attrs: dict, tail: list[str]) -> None:
        rule = tail[1] if len(tail) > 1 else ""
        attrs["rule"] = rule
        attrs["label"] = f"{rule} +{attrs.get('points', '0')}"

    def _case(self, node: str, attrs: dict, tail: list[str]) -> None:
        """A case: its rule and key, what it compared (one operand is the case's own label and
        value) and the branch that held for it with the points awarded."""
        if "operands" not in attrs and "value" in attrs:
            attrs["operands"] = f"{attrs.get('label', '')} = {attrs['value']}"
        rule = attrs["rule"] = tail[1] if len(tail) > 1 else ""
        parts = [t for t in tail[1:3] if t != "-"]  # "-": a case without a key
        attrs["label"] = " / ".join(parts) if parts else node
        texts = [attrs["operands"]] if "operands" in attrs else []
        branch = attrs.get("branch")
        if branch:
            attrs["label"] += f" → {branch} +{attrs.get('points', '0')}"
            described = self.rules.get(rule)
            branches = getattr(described, "branches", ())
            texts += [b.label for b in branches if b.name == branch and b.label]
        if texts:
            attrs["text"] = "\n".join(texts)

    def _rule(self, node: str, attrs: dict) -> None:
        rule_id = unquote(local_name(node))
        attrs["label"] = rule_id
        rule = self.rules.get(rule_id)
        if rule is None:
            return
        attrs["kind"] = rule.kind
        attrs["file"] = _relative(rule.file) + (f":{rule.line}" if rule.line else "")
        branches = [f"{b.name}: {b.label} (+{b.award})" for b in rule.branches if b.label]
        if branches:
            attrs["text"] = "\n".join(branches)

    def _rule_index(self) -> dict:
        """rule id -> Rule for the assessment's rule set; empty when it cannot be loaded."""
        from demozone.assessment.assess import renumbering
        from demozone.rules.load import rule_set_for

        association = self.data.value(self.assessment, PROV.qualifiedAssociation)
        plan = self.data.value(association, PROV.hadPlan) if association is not None else None
        if plan is None:
            return {}
        try:
            rule_set = rule_set_for(unquote(local_name(plan)), renumbering=renumbering)
        except Exception:  # a rule set this installation lacks or cannot read: no details
            return {}
        return {rule.id: rule for rule in rule_set.rules()}


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(HOME))
    except ValueError:
        return Path(path).name


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Writers

FORMATS = ("graphml", "dot", "json", "html")
SUFFIXES = {".graphml": "graphml", ".dot": "dot", ".gv": "dot", ".json": "json"}
SUFFIXES |= {".html": "html", ".htm": "html"}


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML (networkx's writer): every attribute a string, `start`/`end` integers."""
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
