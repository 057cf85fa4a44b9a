"""Reads one assessment's triples into its provenance graph: a node per typed subject, an edge
per link between them (read the way provenance is: score -> what it came from), literal
properties as attributes, and qualified associations, receipts and operands folded into the node
they qualify; the knowledge base and the labels are added by their own modules."""

from __future__ import annotations

from urllib.parse import unquote

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.namespace import PROV

from demozone.common.errors import InputError, Problem
from demozone.common.vocab import DZ
from demozone.explain.provgraph_kb import KnowledgeBaseNodes
from demozone.explain.provgraph_labels import Labeller, operand_words
from demozone.explain.provgraph_terms import local_name, prefixed, set_attribute
from demozone.rules.load import rule_set_for
from demozone.rules.lookup import renumbering

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


class GraphBuilder:
    """Builds the graph of the one dz:Assessment in `data` (InputError if there is not one)."""

    def __init__(self, data: Graph, kb: Graph, rules: dict | None) -> None:
        self.data = data
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
        self.kb_nodes = KnowledgeBaseNodes(self.g, kb)

    # -- nodes from the assessment graph ---------------------------------------------------

    def build(self) -> nx.MultiDiGraph:
        """The graph: nodes, edges, then the labels (which read the edges)."""
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
                self.kb_nodes.add(o, {DZ.level: "level"}.get(p, local_name(p)))
                self._edge(s, o, p)
            elif str(o) in self.g or p in _TARGET_TYPES:
                self._edge(s, o, p)
        labeller = Labeller(self.g, self.prefix, self.rules)
        for node in list(self.g.nodes):
            labeller.finish(node)
        return self.g

    def _kind(self, term) -> str | None:
        """The node type of a subject: evidence before fact (an evidence item used as a fact)."""
        kinds = {_CLASS_TYPES.get(c) for c in self.data.objects(term, RDF.type)} - {None}
        return next((t for t in _PRIORITY if t in kinds), None)

    def _node(self, term, kind: str) -> None:
        self.g.add_node(str(term), type=kind, iri=str(term))

    def _set(self, term, key: str, value, multi: bool = False) -> None:
        set_attribute(self.g, term, key, value, multi)

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
        self._set(case, "operands", f"{operand_words(str(name))}：{value}", multi=True)

    def _rule_index(self) -> dict:
        """rule id -> Rule for the assessment's rule set; empty when it cannot be loaded."""
        association = self.data.value(self.assessment, PROV.qualifiedAssociation)
        plan = self.data.value(association, PROV.hadPlan) if association is not None else None
        if plan is None:
            return {}
        try:
            rule_set = rule_set_for(unquote(local_name(plan)), renumbering=renumbering)
        except Exception:  # a rule set this installation lacks or cannot read: no details
            return {}
        return {rule.id: rule for rule in rule_set.rules()}
