"""The terms of demozone's provenance, as pyoxigraph terms and as N-Triples text: the PROV and
dz vocabulary, instance IRIs (`<assessment IRI>/<kind>/<segments>`, minted for every node) and
literals in the lexical form Oxigraph keeps (canonical decimals, booleans, integers), so a
triple written as text is the triple the store will hold."""

from __future__ import annotations

import functools
from fractions import Fraction

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Quad

from demozone.common import vocab
from demozone.common.numbers import fmt_decimal
from demozone.kb import graph as kbgraph

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
    return Literal(decimal_text(value), datatype=NamedNode(XSD + "decimal"))


def text(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=NamedNode(XSD + "boolean"))


def system_iri(system: str) -> NamedNode:
    return NamedNode(str(kbgraph.system_iri(system)))


def rule_iri(rule_set: str, rule_id: str) -> NamedNode:
    return node("ruleset", rule_set, "rule", rule_id)


# ---------------------------------------------------------------------------------------------
# Terms as N-Triples text


def nt_term(term: NamedNode) -> str:
    return f"<{term.value}>"


TYPE, LABEL = nt_term(RDF_TYPE), nt_term(RDFS_LABEL)
ASSESSMENT, SUBMISSION, SCORE = (
    nt_term(dz("Assessment")),
    nt_term(dz("Submission")),
    nt_term(dz("Score")),
)
FACT, JUDGMENT, EVIDENCE = nt_term(dz("Fact")), nt_term(dz("Judgment")), nt_term(dz("Evidence"))
RULE, RULE_SET, RULE_FIRING = nt_term(dz("Rule")), nt_term(dz("RuleSet")), nt_term(dz("RuleFiring"))
CASE, RECEIPT, ASSESSOR = nt_term(dz("Case")), nt_term(dz("Receipt")), nt_term(dz("Assessor"))
D_SUBMISSION, D_REGION, D_SHA256 = (
    nt_term(dz("submission")),
    nt_term(dz("region")),
    nt_term(dz("sha256")),
)
D_SYSTEM, D_TOTAL, D_MAX = nt_term(dz("system")), nt_term(dz("total")), nt_term(dz("maxPoints"))
D_PASSED, D_ENGINE, D_REASON = nt_term(dz("passed")), nt_term(dz("engine")), nt_term(dz("reason"))
D_RECEIPT, D_ENTRY, D_NAME = nt_term(dz("receipt")), nt_term(dz("entry")), nt_term(dz("name"))
D_VALUE, D_LEVEL, D_INDICATOR = nt_term(dz("value")), nt_term(dz("level")), nt_term(dz("indicator"))
D_CLAUSE = nt_term(dz("clause"))
D_FIELD_PATH, D_PUBLISHED = nt_term(dz("fieldPath")), nt_term(dz("publishedSource"))
D_FILE_PATH, D_JUDGED_CLAUSE = nt_term(dz("filePath")), nt_term(dz("judgedClause"))
D_REFERENCE_FIELD = nt_term(dz("referenceField"))
D_MISSING, D_BRANCH, D_POINTS = (
    nt_term(dz("missingFact")),
    nt_term(dz("branch")),
    nt_term(dz("points")),
)
D_OPERAND, D_VARIANT_OF = nt_term(dz("operand")), nt_term(dz("variantOf"))
D_TRIPLE_COUNT = nt_term(dz("tripleCount"))
D_UNFIXED = nt_term(dz("unfixed"))
D_IMPLEMENTS = nt_term(dz("implements"))
D_READS_JUDGMENTS = nt_term(dz("readsJudgments"))
D_CLAUSE_OF = nt_term(dz("clauseOf"))
D_SCORES_ALONE = nt_term(dz("scoresAlone"))
D_COUNTS_ITEMS, D_AWARD = nt_term(dz("countsItems")), nt_term(dz("award"))
FOAF_NAME = "<http://xmlns.com/foaf/0.1/name>"  # an assessor's name, as the submission gives it
ACTIVITY, BUNDLE, PLAN = nt_term(prov("Activity")), nt_term(prov("Bundle")), nt_term(prov("Plan"))
ASSOCIATION = nt_term(prov("Association"))
USED, GENERATED_BY = nt_term(prov("used")), nt_term(prov("wasGeneratedBy"))
DERIVED_FROM = nt_term(prov("wasDerivedFrom"))
INFORMED_BY, QUALIFIED = nt_term(prov("wasInformedBy")), nt_term(prov("qualifiedAssociation"))
INFLUENCED_BY = nt_term(prov("wasInfluencedBy"))
AGENT_OF, HAD_PLAN = nt_term(prov("agent")), nt_term(prov("hadPlan"))
ATTRIBUTED_TO, PRIMARY_SOURCE = nt_term(prov("wasAttributedTo")), nt_term(prov("hadPrimarySource"))
STARTED = nt_term(prov("startedAtTime"))
PERSON = nt_term(prov("Person"))
DEMOZONE = nt_term(node("agent", "demozone"))
DECIMAL_TYPE, BOOLEAN_TYPE = f"^^<{XSD}decimal>", f"^^<{XSD}boolean>"
DATETIME_TYPE, INTEGER_TYPE = f"^^<{XSD}dateTime>", f"^^<{XSD}integer>"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


@functools.lru_cache(maxsize=65536)
def segment(part: str) -> str:
    return vocab.iri_text(part).removeprefix(ID)


def nt_iri(*parts: str) -> str:
    """`node(*parts)` as N-Triples text (segments are remembered: ids recur across assessments)."""
    return f"<{ID}{'/'.join(map(segment, parts))}>"


def user_iri(name: str) -> str:
    """The N-Triples IRI of a workspace user, the agent an assessment is attributed to."""
    return nt_iri("user", name)


@functools.lru_cache(maxsize=16384)
def nt_shared_iri(*parts: str) -> str:
    """`_iri` of a node every assessment names alike (rules, indicators, clauses, levels)."""
    return nt_iri(*parts)


@functools.lru_cache(maxsize=16384)
def nt_association_iri(rule_set: str, rule_id: str) -> str:
    """The demozone agent's association with a rule (in the rule set graph), as N-Triples."""
    return nt_iri("ruleset", rule_set, "rule", rule_id, "association")


def decimal_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return fmt_decimal(value, 6).rstrip("0").rstrip(".")


def nt_string(value: str) -> str:
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def nt_literal(value: str, lang: str | None = None) -> str:
    return nt_string(value) + (f"@{lang}" if lang else "")


def nt_decimal(value: Fraction) -> str:
    return f'"{decimal_text(value)}"{DECIMAL_TYPE}'


def nt_boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"{BOOLEAN_TYPE}'


def nt_value(value: Fraction | bool | str) -> str:
    if isinstance(value, bool):
        return nt_boolean(value)
    return nt_decimal(value) if isinstance(value, Fraction) else nt_literal(str(value))


def nquads_text(lines, graph: str) -> str:
    """N-Quads of triple lines (`s p o`, N-Triples terms) in the graph `<graph>`."""
    return "".join(f"{line} {graph} .\n" for line in lines)


def parse_nquads(data: str | bytes) -> list[Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
