"""An assessment as PROV-O: every score, firing, case, fact, judgment and evidence item in the
assessment's own named graph, and what every assessment under the same rule files shares in one
graph of the rule set.

- The assessment's graph (named by the assessment's IRI) holds everything that depends on the
  submission: scores, firings, cases and their operands, facts, judgments, evidence, assessors,
  the receipt, the rule set's lineage, and `prov:used` naming the rule set's graph.
- The rule set's graph (`id:graph/ruleset/<rule set>/<digest of its files>`, see
  `RuleSetGraph`) holds the static descriptions: each rule as a `prov:Plan` and the qualified
  association of the demozone agent with each rule that the rule's firings point to.
  It is written once per store and rule-file version, never per assessment; a reader merges it
  into the assessment (store.BaseStore.shared_quads). A score result made without rule files
  (made-up results in tests) has no rule set graph: its static descriptions stay inline.

Each rule evaluated is one firing (`<assessment>/firing/<rule>`, a dz:RuleFiring): carried out
by the demozone agent with the rule as plan, it `prov:used` the facts the rule read and awarded
the rule's points (`dz:points`, after the rule's cap or tiers). The cases it made
(`prov:wasGeneratedBy` the firing) say what was compared (one operand as the case's own label and
value, several as `dz:operand` nodes) and, where one of the rule's branches held, the branch and
its award (`dz:branch`, `dz:points`): the firing of that branch in the durable-rules engine. A
clause score `prov:wasGeneratedBy` the firings of its rules; an indicator score
`prov:wasDerivedFrom` its clause scores. Each relation is stated once, and no node is made that
says nothing of its own: the triples are what the store indexes six times over, so they are the
cost of recording an assessment.

Most of those triples are implied by the IRIs of the nodes and the rule set graph
(provenance.implied); the builder adds them with `imply`, and the store leaves them out when the
other lines bring them back (provenance.compact).

The graph is built as text, one N-Triples line per distinct triple: the bulk writer loads it as
it is (store.seal_lines), `build()` parses it into pyoxigraph quads. Every literal is written in the lexical form
Oxigraph keeps (canonical decimals, booleans, integers), so the count of lines is the count of
triples the store will hold. IRIs are minted for every node, never blank nodes, and are
deterministic within an assessment: `<assessment IRI>/<kind>/<segments>`. The terms and their
text are in provenance/terms.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from demozone.common import vocab
from demozone.provenance.compact import kept_if_whole, stored
from demozone.provenance.rulesetgraph import (
    _rule_ids,
    rule_set_graph,
    says_award,
    static_lines,
)
from demozone.provenance.terms import (
    ACTIVITY,
    AGENT_OF,
    ASSESSMENT,
    ASSESSOR,
    ASSOCIATION,
    ATTRIBUTED_TO,
    BUNDLE,
    CASE,
    D_BRANCH,
    D_CLAUSE,
    D_ENGINE,
    D_ENTRY,
    D_FIELD_PATH,
    D_FILE_PATH,
    D_INDICATOR,
    D_JUDGED_CLAUSE,
    D_LEVEL,
    D_MAX,
    D_MISSING,
    D_NAME,
    D_OPERAND,
    D_PASSED,
    D_POINTS,
    D_PUBLISHED,
    D_REASON,
    D_RECEIPT,
    D_REFERENCE_FIELD,
    D_REGION,
    D_SHA256,
    D_SUBMISSION,
    D_SYSTEM,
    D_TOTAL,
    D_UNFIXED,
    D_VALUE,
    D_VARIANT_OF,
    DATETIME_TYPE,
    DEMOZONE,
    DERIVED_FROM,
    EVIDENCE,
    FACT,
    FOAF_NAME,
    GENERATED_BY,
    HAD_PLAN,
    INFLUENCED_BY,
    INFORMED_BY,
    JUDGMENT,
    LABEL,
    PERSON,
    PLAN,
    PRIMARY_SOURCE,
    QUALIFIED,
    RECEIPT,
    RULE_FIRING,
    RULE_SET,
    SCORE,
    STARTED,
    SUBMISSION,
    TYPE,
    USED,
    NamedNode,
    Quad,
    node,
    nquads_text,
    nt_association_iri,
    nt_boolean,
    nt_decimal,
    nt_iri,
    nt_literal,
    nt_shared_iri,
    nt_string,
    nt_term,
    nt_value,
    parse_nquads,
    segment,
    system_iri,
    user_iri,
)
from demozone.scoring.facts import FactId

if TYPE_CHECKING:  # the scoring modules pull in the rules; the stores only need the names here
    from demozone.scoring.derive import Case, FactUse
    from demozone.scoring.outcome import Firing, IndicatorScore, RuleOutcome, ScoreResult

# A fact's origin, told by the property that says where it was read.
_WHERE = {"submission": D_FIELD_PATH, "kb": D_PUBLISHED, "reference": D_REFERENCE_FIELD}


# ---------------------------------------------------------------------------------------------
# One assessment


class AssessmentGraph:
    """Builds one assessment's graph (see the module docstring)."""

    def __init__(
        self,
        assessment_id: str,
        result: ScoreResult,
        submission,
        receipt: dict,
        attributed_to: str | None = None,
    ) -> None:
        self.iri = node("assessment", assessment_id)
        # the person who asked for the assessment (a workspace user): only the record knows it
        self.attributed_to = attributed_to
        self.result, self.submission, self.receipt = result, submission, receipt
        self._a = f"<{self.iri.value}>"
        self._base = self.iri.value + "/"
        # insertion-ordered and distinct (a fact is reached from many cases), each with its terms
        self._lines: dict[str, tuple[str, str, str]] = {}
        # the lines added by `imply`: those the builder expects the others to imply
        self._implied: set[str] = set()
        self._built = False
        self.rule_set_graph = rule_set_graph(result)

    @staticmethod
    def iri_of(assessment_id: str) -> str:
        """The IRI of the assessment with this id (also the name of its graph)."""
        return vocab.iri_text("assessment", assessment_id)

    def add(self, s: str, p: str, o: str) -> None:
        """One triple, its terms as N-Triples text."""
        self._lines[f"{s} {p} {o}"] = (s, p, o)

    def imply(self, s: str, p: str, o: str) -> None:
        """`add`, of a triple the assessment's other triples and its rule set graph imply
        (provenance.implied): part of the graph, which the store is expected to leave out."""
        line = f"{s} {p} {o}"
        self._lines[line] = (s, p, o)
        self._implied.add(line)

    @property
    def _known(self) -> bool:
        """Whether the rules are those of rule files, which the rule set graph describes (a
        result made without them, in tests, has rules with only an id: nothing is implied)."""
        return self.rule_set_graph is not None

    def _node(self, *parts: str) -> str:
        """A node inside the assessment: `<assessment IRI>/<parts...>`."""
        return f"<{self._base}{'/'.join(map(segment, parts))}>"

    def _score_node(self, kind: str, key: str) -> str:
        return f"<{self._base}score/{kind}/{segment(key)}>"

    def lines(self) -> list[str]:
        """The assessment graph's distinct triples as N-Triples lines (without the dot)."""
        if not self._built:
            self._assessment()
            for fact in self._facts():
                self._fact(fact)
            for indicator in self.result.indicators:
                self._indicator(indicator)
            if self.rule_set_graph is None:
                for line in static_lines(self.result.rule_set, _rule_ids(self.result)):
                    self._lines[line] = tuple(line.split(" ", 2))
            self._built = True
        return list(self._lines)

    def stored_lines(self) -> list[str]:
        """The lines the store holds: `lines()` but those their IRIs imply (provenance.implied)."""
        lines = self.lines()
        if not self._known:
            return stored(self.iri.value, lines, (), list(self._lines.values()))
        shared = self.rule_set_graph.lines
        # The lines not added by `imply`, when they bring back the whole graph (as they do but
        # for what the builder does not foresee: a branch awarding other points than its rule
        # file says, say); otherwise those that `stored` finds from all of them.
        kept = [line for line in lines if line not in self._implied]
        whole = kept_if_whole(
            self.iri.value, kept, [self._lines[line] for line in kept], lines, shared
        )
        if whole is not None:
            return whole
        return stored(self.iri.value, lines, shared, list(self._lines.values()))

    def build(self) -> list[Quad]:
        """The quads of the assessment's graph the store holds (`stored_lines`; not sealed; the
        rule set graph's are `shared()`)."""
        return parse_nquads(nquads_text(self.stored_lines(), self._a))

    def shared(self) -> list[tuple[NamedNode, list[Quad]]]:
        """The shared graphs the assessment uses, with their quads (sealed)."""
        if self.rule_set_graph is None:
            return []
        return [(self.rule_set_graph.iri, self.rule_set_graph.quads())]

    def _assessment(self) -> None:
        a, r, add = self._a, self.result, self.add
        add(a, TYPE, ASSESSMENT)
        add(a, TYPE, ACTIVITY)
        add(a, TYPE, BUNDLE)
        submission = nt_iri("submission", r.submission_id)
        add(a, D_SUBMISSION, submission)
        add(a, USED, submission)
        add(submission, TYPE, SUBMISSION)
        add(submission, D_REGION, nt_literal(r.region, "zh"))
        add(submission, D_SHA256, nt_literal(self.submission.sha256))
        # where the file was read, so a stored assessment can be re-scored from it if unchanged
        add(submission, D_FILE_PATH, nt_literal(str(Path(self.submission.file).resolve())))
        add(a, D_SYSTEM, nt_term(system_iri(r.system)))
        if self.attributed_to:
            person = user_iri(self.attributed_to)
            add(a, ATTRIBUTED_TO, person)
            add(person, TYPE, PERSON)
        if self.rule_set_graph is not None:
            add(a, USED, f"<{self.rule_set_graph.iri.value}>")
        plan = nt_iri("ruleset", r.rule_set)
        association = self._node("association")
        add(a, QUALIFIED, association)
        add(association, TYPE, ASSOCIATION)
        add(association, AGENT_OF, DEMOZONE)
        add(association, HAD_PLAN, plan)
        self._lineage(plan)
        add(a, D_TOTAL, nt_decimal(r.total))
        add(a, D_MAX, nt_decimal(r.max_total))
        add(a, D_PASSED, nt_boolean(r.passed))
        add(a, D_ENGINE, nt_literal(r.engine))
        started = self.receipt.get("time", "")
        add(a, STARTED, f"{nt_string(started)}{DATETIME_TYPE}")
        for reason in r.pass_reasons:
            add(a, D_REASON, nt_literal(reason, "zh"))
        receipt = self._node("receipt")
        add(a, D_RECEIPT, receipt)
        add(receipt, TYPE, RECEIPT)
        for name, digest in sorted(self.receipt.items()):
            entry = self._node("receipt", name)
            add(receipt, D_ENTRY, entry)
            add(entry, D_NAME, nt_literal(name))
            add(entry, D_VALUE, nt_literal(str(digest)))
        for level in r.first_level:
            score = self._score_node("level", level.id)
            self.imply(score, TYPE, SCORE)
            self.imply(score, D_LEVEL, nt_shared_iri("system", r.system, "level", level.id))
            add(score, D_VALUE, nt_decimal(level.score))
            self.imply(score, D_MAX, nt_decimal(level.points))
            self.imply(score, GENERATED_BY, a)

    def _lineage(self, plan: str) -> None:
        """The rule set, the system it scores and the chain of rule sets it varies (base first)."""
        self.add(plan, TYPE, PLAN)
        self.add(plan, TYPE, RULE_SET)
        self.add(plan, D_SYSTEM, nt_term(system_iri(self.result.system)))
        chain = [nt_iri("ruleset", Path(file).stem) for file in self.result.rule_files]
        for base, variant in itertools.pairwise(chain):
            self.add(variant, D_VARIANT_OF, base)
            self.add(variant, TYPE, RULE_SET)
        for entry, reason in self.result.unfixed:  # a fixed entry changed on purpose, and why
            self.add(plan, D_UNFIXED, nt_literal(f"{entry}: {reason}", "zh"))

    def _facts(self) -> Iterator[FactUse]:
        seen = set()
        for indicator in self.result.indicators:
            for outcome in indicator.rules:
                for case in outcome.cases:
                    for fact in case.inputs:
                        if fact.fact_id not in seen:
                            seen.add(fact.fact_id)
                            yield fact

    def _fact_iri(self, fact_id: str) -> str:
        return f"<{self._base}fact/{segment(fact_id)}>"

    def _fact(self, fact: FactUse) -> None:
        f, add, imply = self._fact_iri(fact.fact_id), self.add, self.imply
        kind = {"judgment": JUDGMENT, "evidence": EVIDENCE}.get(fact.fact_id.kind, FACT)
        imply(f, TYPE, kind)  # a prov:Entity by the ontology
        if kind != JUDGMENT:  # a judgment is named by the clause it judges (dz:judgedClause)
            add(f, LABEL, nt_literal(fact.label, "zh"))
        add(f, D_VALUE, nt_value(fact.value))
        # which one says where it came from (a judgment's name says which it is)
        (imply if kind == JUDGMENT else add)(f, _WHERE[fact.origin], nt_literal(fact.where))
        if kind == JUDGMENT:
            _index, clause, _assessor = fact.fact_id.judged()
            imply(f, D_JUDGED_CLAUSE, nt_shared_iri("system", self.result.system, "clause", clause))
        for evidence_id in fact.evidence:
            evidence = self.submission.evidence.get(evidence_id)
            e = self._fact_iri(FactId.evidence(evidence_id))
            (imply if e == f else add)(f, PRIMARY_SOURCE, e)
            if evidence is not None:
                imply(e, TYPE, EVIDENCE)
                add(e, LABEL, nt_literal(evidence.title, "zh"))
                if evidence.sha256:
                    add(e, D_SHA256, nt_literal(evidence.sha256))
        if fact.assessor:
            assessor = nt_iri("assessor", fact.assessor)
            (imply if kind == JUDGMENT else add)(f, ATTRIBUTED_TO, assessor)
            add(assessor, TYPE, ASSESSOR)
            name = (getattr(self.submission, "assessors", None) or {}).get(fact.assessor)
            if name:
                add(assessor, LABEL, nt_literal(name, "zh"))
                add(assessor, FOAF_NAME, nt_literal(name))

    def _indicator(self, indicator: IndicatorScore) -> None:
        r, add, imply = self.result, self.add, self.imply
        score = self._score_node("indicator", indicator.number)
        imply(score, TYPE, SCORE)
        imply(score, D_INDICATOR, nt_shared_iri("system", r.system, "indicator", indicator.number))
        add(score, D_VALUE, nt_decimal(indicator.score))
        imply(score, D_MAX, nt_decimal(indicator.points))
        imply(score, GENERATED_BY, self._a)
        for reason in indicator.reasons:
            add(score, D_REASON, nt_literal(reason, "zh"))
        scored = set()
        apart = {o.rule.id for o in indicator.rules if self._known and o.rule.clauses}
        for clause in indicator.clauses:
            c = self._score_node("clause", clause.id)
            imply(c, TYPE, SCORE)
            imply(c, D_CLAUSE, nt_shared_iri("system", r.system, "clause", clause.id))
            # a clause one rule scores alone has its firing's points (dz:scoresAlone)
            alone = len(clause.rules) == 1 and clause.rules[0] not in apart
            (imply if alone else add)(c, D_VALUE, nt_decimal(clause.score))
            imply(score, DERIVED_FROM, c)
            for rule_id in clause.rules:
                imply(c, GENERATED_BY, self._firing_iri(rule_id))
                scored.add(rule_id)
        for outcome in indicator.rules:
            firing = self._rule(outcome)
            if outcome.rule.id not in scored:  # a rule that implements no clause
                add(score, INFLUENCED_BY, firing)

    def _firing_iri(self, rule_id: str) -> str:
        return self._node("firing", rule_id)

    def _rule(self, outcome: RuleOutcome) -> str:
        """The rule's firing: the activity, carried out by the demozone agent with the rule as
        plan (the association is the rule set graph's), that read the facts, made the cases,
        held a branch for some of them and awarded the rule's points."""
        rule, add, imply = outcome.rule, self.add, self.imply
        firing = self._firing_iri(rule.id)
        imply(firing, TYPE, RULE_FIRING)  # a prov:Activity by the ontology
        imply(firing, INFORMED_BY, self._a)
        imply(firing, QUALIFIED, nt_association_iri(self.result.rule_set, rule.id))
        add(firing, D_POINTS, nt_decimal(outcome.score))
        for missing in outcome.missing:
            add(firing, D_MISSING, nt_literal(missing))
        fired = {f.case_key: f for f in outcome.firings}
        # the judgments of the clauses it reads, and the items it counts, its IRI implies
        counts = self._known and rule.items_of
        implied_kinds = {"judgment", "evidence", "operator"} if counts else {"judgment"}
        for case in outcome.cases:
            for fact in case.inputs:  # each fact is described once, used by every rule reading it
                used = imply if fact.fact_id.kind in implied_kinds else add
                used(firing, USED, self._fact_iri(fact.fact_id))
            self._case(case, firing, fired.get(case.key))
        return firing

    def _case(self, case: Case, firing: str, fired: Firing | None) -> None:
        """A case the rule's firing made: what it compared (one operand as the case's own label
        and value, several as operand nodes) and, when a branch held, the branch and its award."""
        c = self._node("case", case.rule.id, case.key or "-")
        add, imply = self.add, self.imply
        # A case with nothing of its own keeps its type, so its IRI is there to imply the rest,
        # but a case of an evidence item, which its firing implies.
        said = bool(case.operands) or fired is not None
        made = self._known and case.rule.items_of == "evidence" and case.key.startswith("evidence:")
        (imply if said or made else add)(c, TYPE, CASE)
        imply(c, GENERATED_BY, firing)
        operands = list(case.operands.values())
        if len(operands) == 1:
            add(c, LABEL, nt_literal(operands[0].text))
            add(c, D_VALUE, nt_decimal(operands[0].value))
        else:
            for operand in operands:
                o = c[:-1] + "/" + segment(operand.name) + ">"
                add(c, D_OPERAND, o)
                add(o, D_NAME, nt_literal(operand.text))
                add(o, D_VALUE, nt_decimal(operand.value))
        if fired is not None:
            add(c, D_BRANCH, nt_literal(fired.branch))
            award = imply if says_award(fired.branch) else add  # the rule set graph's dz:award
            award(c, D_POINTS, nt_decimal(fired.award))
