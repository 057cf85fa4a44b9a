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
# the terms compared with, made once: an rdflib namespace makes (and checks) a term at each use
_TYPE, _LABEL, _ASSESSMENT, _RULE = RDF.type, RDFS.label, DZ.Assessment, DZ.Rule
_ASSOCIATION, _PLAN, _AGENT = PROV.qualifiedAssociation, PROV.hadPlan, PROV.agent
_RECEIPT, _ENTRY, _OPERAND, _SYSTEM = DZ.receipt, DZ.entry, DZ.operand, DZ.system
_NAME, _VALUE = DZ.name, DZ.value
_KB_LINKS = {DZ.indicator: "indicator", DZ.clause: "clause", DZ.level: "level"}
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


class AssessmentTriples:
    """An assessment's triples, each once, looked up by subject and predicate: what an rdflib
    graph of them answers to iteration, `subjects`, `objects`, `value` and `in`, in the same
    order (the order they came in), without the cost of building one."""

    def __init__(self, triples) -> None:
        self._triples = list(dict.fromkeys(triples))
        self._objects: dict = {}
        for t_s, t_p, t_o in self._triples:
            self._objects.setdefault(t_s, {}).setdefault(t_p, {})[t_o] = None

    def __iter__(self):
        return iter(self._triples)

    def subjects(self, predicate, obj):
        """The subjects of (?, predicate, obj), `obj` None for any, each once."""
        found = {t_s: None for t_s, t_p, t_o in self._triples if t_p == predicate}
        return iter(found if obj is None else [x for x in found if (x, predicate, obj) in self])

    def objects(self, subject, predicate):
        """The objects of (subject, predicate, ?)."""
        return iter(self._objects.get(subject, {}).get(predicate, ()))

    def value(self, subject, predicate):
        """The first object of (subject, predicate, ?), None when there is none."""
        return next(self.objects(subject, predicate), None)

    def __contains__(self, triple) -> bool:
        t_s, t_p, t_o = triple
        return t_o in self._objects.get(t_s, {}).get(t_p, {})


class GraphBuilder:
    """Builds the graph of the one dz:Assessment in `data` (InputError if there is not one)."""

    def __init__(self, data: AssessmentTriples, kb: Graph, rules: dict | None) -> None:
        self.data = data
        self.g = nx.MultiDiGraph()
        found = list(data.subjects(_TYPE, _ASSESSMENT))
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
        for s in sorted(set(self.data.subjects(_TYPE, None)), key=str):
            kind = self._kind(s)
            if kind:
                self._node(s, kind)
        for s, p, o in sorted(self.data, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
            if p == _TYPE or str(s) not in self.g:
                continue
            if isinstance(o, Literal):
                self._literal(s, p, o)
            elif p == _ASSOCIATION:
                self._association(s, o)
            elif p == _RECEIPT:
                self._receipt(s, o)
            elif p == _OPERAND:
                self._operand(s, o)
            elif p == _SYSTEM:
                self._set(s, "system", unquote(local_name(o)))
            elif p in _KB_LINKS:
                self.kb_nodes.add(o, _KB_LINKS[p])
                self._edge(s, o, p)
            elif str(o) in self.g or p in _TARGET_TYPES:
                self._edge(s, o, p)
        labeller = Labeller(self.g, self.prefix, self.rules)
        for node in list(self.g.nodes):
            labeller.finish(node)
        return self.g

    def _kind(self, term) -> str | None:
        """The node type of a subject: evidence before fact (an evidence item used as a fact)."""
        kinds = {_CLASS_TYPES.get(c) for c in self.data.objects(term, _TYPE)} - {None}
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
        if p == _LABEL:
            if o.language in (None, "zh") or "label" not in self.g.nodes[str(s)]:
                self._set(s, "label", str(o))
            return
        self._set(s, _RENAMED.get(name, name), str(o), multi=name in ("reason", "missingFact"))

    def _association(self, s, association) -> None:
        plan = self.data.value(association, _PLAN)
        agent = self.data.value(association, _AGENT)
        if agent is not None:
            self._set(s, "agent", unquote(local_name(agent)))
        if plan is None:
            return
        if (plan, _TYPE, _RULE) in self.data:
            self._edge(s, plan, _PLAN)
        else:
            self._set(s, "plan", unquote(local_name(plan)))

    def _receipt(self, s, receipt) -> None:
        for entry in sorted(self.data.objects(receipt, _ENTRY)):
            name, value = self.data.value(entry, _NAME), self.data.value(entry, _VALUE)
            if name is not None and value is not None:
                self._set(s, f"receipt:{name}", str(value))

    def _operand(self, case, operand) -> None:
        name, value = self.data.value(operand, _NAME), self.data.value(operand, _VALUE)
        self._set(case, "operands", f"{operand_words(str(name))}：{value}", multi=True)

    def _rule_index(self) -> dict:
        """rule id -> Rule for the assessment's rule set; empty when it cannot be loaded."""
        association = self.data.value(self.assessment, _ASSOCIATION)
        plan = self.data.value(association, _PLAN) if association is not None else None
        if plan is None:
            return {}
        try:
            rule_set = rule_set_for(unquote(local_name(plan)), renumbering=renumbering)
        except Exception:  # a rule set this installation lacks or cannot read: no details
            return {}
        return {rule.id: rule for rule in rule_set.rules()}
