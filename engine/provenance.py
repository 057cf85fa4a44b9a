"""An assessment as PROV-O: every score, firing, case, fact, judgment and evidence item as quads
in the assessment's own named graph.

Quads are built directly as pyoxigraph terms (the store takes them in one transaction; rdflib
reads them back as N-Quads for export). IRIs are minted for every node, never blank nodes, and
are deterministic within an assessment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import kbgraph, vocab
from .derive import Case, FactUse
from .numbers import fmt_decimal
from .outcome import IndicatorScore, RuleOutcome, ScoreResult

DZ = str(vocab.DZ)
ID = str(vocab.ID)
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"


def dz(term: str) -> NamedNode:
    return NamedNode(DZ + term)


def prov(term: str) -> NamedNode:
    return NamedNode(PROV + term)


def node(*parts: str) -> NamedNode:
    """An instance IRI (see vocab.iri_text) as a pyoxigraph term."""
    return NamedNode(vocab.iri_text(*parts))


def decimal(value: Fraction) -> Literal:
    text = fmt_decimal(value, 6).rstrip("0").rstrip(".") if value.denominator != 1 else str(value)
    return Literal(text, datatype=NamedNode(XSD + "decimal"))


def text(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))


def system_iri(system: str) -> NamedNode:
    return NamedNode(str(kbgraph.system_iri(system)))


def indicator_iri(system: str, number: str) -> NamedNode:
    return NamedNode(str(kbgraph.indicator_iri(system, number)))


def clause_iri(system: str, clause: str) -> NamedNode:
    return NamedNode(str(kbgraph.clause_iri(system, clause)))


def rule_iri(rule_set: str, rule_id: str) -> NamedNode:
    return node("ruleset", rule_set, "rule", rule_id)


class AssessmentGraph:
    """Builds the quads of one assessment into its named graph."""

    def __init__(self, assessment_id: str, result: ScoreResult, submission, receipt: dict) -> None:
        self.iri = node("assessment", assessment_id)
        self.result, self.submission, self.receipt = result, submission, receipt
        self.quads: list[Quad] = []
        self._seen: set[Quad] = set()

    def add(self, s: NamedNode, p: NamedNode, o) -> None:
        quad = Quad(s, p, o, self.iri)
        if quad not in self._seen:  # a fact or evidence item is reached from many cases
            self._seen.add(quad)
            self.quads.append(quad)

    def build(self) -> list[Quad]:
        """All quads of the assessment."""
        self._assessment()
        for fact in self._facts():
            self._fact(fact)
        for indicator in self.result.indicators:
            self._indicator(indicator)
        return self.quads

    def _assessment(self) -> None:
        a, r = self.iri, self.result
        for cls in ("Assessment",):
            self.add(a, RDF_TYPE, dz(cls))
        self.add(a, RDF_TYPE, prov("Activity"))
        self.add(a, RDF_TYPE, prov("Bundle"))
        submission = node("submission", r.submission_id)
        self.add(a, dz("submission"), submission)
        self.add(a, prov("used"), submission)
        self.add(submission, RDF_TYPE, dz("Submission"))
        self.add(submission, dz("region"), text(r.region, "zh"))
        self.add(submission, dz("sha256"), text(self.submission.sha256))
        self.add(a, dz("system"), system_iri(r.system))
        plan = node("ruleset", r.rule_set)
        association = node("assessment", self._id(), "association")
        self.add(a, prov("qualifiedAssociation"), association)
        self.add(association, RDF_TYPE, prov("Association"))
        self.add(association, prov("agent"), node("agent", "demozone"))
        self.add(association, prov("hadPlan"), plan)
        self._lineage(plan)
        self.add(a, dz("total"), decimal(r.total))
        self.add(a, dz("maxPoints"), decimal(r.max_total))
        self.add(a, dz("passed"), boolean(r.passed))
        self.add(a, dz("engine"), text(r.engine))
        started = self.receipt.get("time", "")
        self.add(a, prov("startedAtTime"), Literal(started, datatype=NamedNode(XSD + "dateTime")))
        for reason in r.pass_reasons:
            self.add(a, dz("reason"), text(reason, "zh"))
        receipt = node("assessment", self._id(), "receipt")
        self.add(a, dz("receipt"), receipt)
        self.add(receipt, RDF_TYPE, dz("Receipt"))
        for name, digest in sorted(self.receipt.items()):
            entry = node("assessment", self._id(), "receipt", name)
            self.add(receipt, dz("entry"), entry)
            self.add(entry, dz("name"), text(name))
            self.add(entry, dz("value"), text(str(digest)))
        for level in r.first_level:
            score = node("assessment", self._id(), "score", "level", level.id)
            self.add(score, RDF_TYPE, dz("Score"))
            self.add(score, dz("level"), node("system", r.system, "level", level.id))
            self.add(score, dz("value"), decimal(level.score))
            self.add(score, dz("maxPoints"), decimal(level.points))
            self.add(score, prov("wasGeneratedBy"), a)

    def _id(self) -> str:
        return self.iri.value.removeprefix(ID + "assessment/")

    def _facts(self) -> Iterator[FactUse]:
        seen = set()
        for indicator in self.result.indicators:
            for outcome in indicator.rules:
                for case in outcome.cases:
                    for fact in case.inputs:
                        if fact.fact_id not in seen:
                            seen.add(fact.fact_id)
                            yield fact

    def fact_iri(self, fact_id: str) -> NamedNode:
        return node("assessment", self._id(), "fact", fact_id)

    def _fact(self, fact: FactUse) -> None:
        f = self.fact_iri(fact.fact_id)
        kind = (
            "Judgment"
            if fact.fact_id.startswith("judgment:")
            else ("Evidence" if fact.fact_id.startswith("evidence:") else "Fact")
        )
        self.add(f, RDF_TYPE, dz(kind))  # a prov:Entity by the ontology
        self.add(f, RDFS_LABEL, text(fact.label, "zh"))
        value = fact.value
        self.add(
            f,
            dz("value"),
            decimal(value)
            if isinstance(value, Fraction)
            else boolean(value)
            if isinstance(value, bool)
            else text(str(value)),
        )
        self.add(f, dz("origin"), text(fact.origin))
        self.add(
            f, dz("fieldPath") if fact.origin != "kb" else dz("publishedSource"), text(fact.where)
        )
        for evidence_id in fact.evidence:
            evidence = self.submission.evidence.get(evidence_id)
            e = self.fact_iri(f"evidence:{evidence_id}")
            self.add(f, prov("hadPrimarySource"), e)
            if evidence is not None:
                self.add(e, RDF_TYPE, dz("Evidence"))
                self.add(e, RDFS_LABEL, text(evidence.title, "zh"))
                if evidence.sha256:
                    self.add(e, dz("sha256"), text(evidence.sha256))
        if fact.assessor:
            self.add(f, prov("wasAttributedTo"), node("assessor", fact.assessor))
            self.add(node("assessor", fact.assessor), RDF_TYPE, dz("Assessor"))

    def _indicator(self, indicator: IndicatorScore) -> None:
        r = self.result
        score = node("assessment", self._id(), "score", "indicator", indicator.number)
        self.add(score, RDF_TYPE, dz("Score"))
        self.add(score, dz("indicator"), indicator_iri(r.system, indicator.number))
        self.add(score, dz("value"), decimal(indicator.score))
        self.add(score, dz("maxPoints"), decimal(indicator.points))
        self.add(score, prov("wasGeneratedBy"), self.iri)
        for reason in indicator.reasons:
            self.add(score, dz("reason"), text(reason, "zh"))
        for clause in indicator.clauses:
            c = node("assessment", self._id(), "score", "clause", clause.id)
            self.add(c, RDF_TYPE, dz("Score"))
            self.add(c, dz("clause"), clause_iri(r.system, clause.id))
            self.add(c, dz("value"), decimal(clause.score))
            self.add(score, prov("wasDerivedFrom"), c)
            for rule_id in clause.rules:
                self.add(
                    c,
                    prov("wasDerivedFrom"),
                    node("assessment", self._id(), "score", "rule", rule_id),
                )
        for outcome in indicator.rules:
            self._rule(outcome, score)

    def _rule(self, outcome: RuleOutcome, indicator_score: NamedNode) -> None:
        rule = outcome.rule
        score = node("assessment", self._id(), "score", "rule", rule.id)
        plan = rule_iri(self.result.rule_set, rule.id)
        self.add(plan, RDF_TYPE, dz("Rule"))
        self.add(plan, RDF_TYPE, prov("Plan"))
        self.add(score, RDF_TYPE, dz("Score"))
        self.add(score, dz("rule"), plan)
        self.add(score, dz("value"), decimal(outcome.score))
        self.add(indicator_score, prov("wasDerivedFrom"), score)
        derive = node("assessment", self._id(), "firing", "derive", rule.id)
        self._derivation(derive, plan)
        for missing in outcome.missing:
            self.add(score, dz("missingFact"), text(missing))
        fired = {f.case_key: f for f in outcome.firings}
        for case in outcome.cases:
            case_iri = self._case(case, derive)
            self.add(score, prov("wasDerivedFrom"), case_iri)
            for fact in case.inputs:
                self.add(score, prov("wasDerivedFrom"), self.fact_iri(fact.fact_id))
            if case.key in fired:
                firing = fired[case.key]
                f = node(
                    "assessment", self._id(), "firing", rule.id, case.key or "-", firing.branch
                )
                self.add(f, RDF_TYPE, dz("RuleFiring"))
                self.add(f, dz("rule"), plan)
                self.add(f, prov("wasInformedBy"), derive)
                self.add(f, prov("used"), case_iri)
                self.add(f, dz("branch"), text(firing.branch))
                self.add(f, dz("points"), decimal(firing.award))
                self.add(score, prov("wasGeneratedBy"), f)

    def _lineage(self, plan: NamedNode) -> None:
        """The rule set, the system it scores and the chain of rule sets it varies (base first)."""
        self.add(plan, RDF_TYPE, prov("Plan"))
        self.add(plan, RDF_TYPE, dz("RuleSet"))
        self.add(plan, dz("system"), system_iri(self.result.system))
        chain = [node("ruleset", Path(file).stem) for file in self.result.rule_files]
        for base, variant in itertools.pairwise(chain):
            self.add(variant, dz("variantOf"), base)
            self.add(variant, RDF_TYPE, dz("RuleSet"))

    def _derivation(self, firing: NamedNode, plan: NamedNode) -> None:
        """The derivation rule's firing: the activity that used the facts, planned by the rule."""
        association = NamedNode(firing.value + "/association")
        self.add(firing, RDF_TYPE, dz("RuleFiring"))
        self.add(firing, RDF_TYPE, prov("Activity"))
        self.add(firing, prov("wasInformedBy"), self.iri)
        self.add(firing, prov("qualifiedAssociation"), association)
        self.add(association, RDF_TYPE, prov("Association"))
        self.add(association, prov("agent"), node("agent", "demozone"))
        self.add(association, prov("hadPlan"), plan)

    def _case(self, case: Case, derive: NamedNode) -> NamedNode:
        c = node("assessment", self._id(), "case", case.rule.id, case.key or "-")
        self.add(c, RDF_TYPE, dz("Case"))
        self.add(c, prov("wasGeneratedBy"), derive)
        for fact in case.inputs:
            fact_iri = self.fact_iri(fact.fact_id)
            self.add(derive, prov("used"), fact_iri)
        for operand in case.operands.values():
            o = NamedNode(c.value + "/" + operand.name)
            self.add(c, dz("operand"), o)
            self.add(o, dz("name"), text(operand.text))
            self.add(o, dz("value"), decimal(operand.value))
        return c
