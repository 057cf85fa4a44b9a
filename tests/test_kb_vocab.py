"""The vocabulary: every dz: term the engine uses is defined, and every term is labelled zh + en."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Literal, URIRef

from demozone.common import vocab

ENGINE = Path(__file__).resolve().parent.parent / "engine"
# DZ.term, DZ["term"], dz("term"), and dz:term inside SPARQL or Turtle text
USES = [
    re.compile(r"\bDZ\.([A-Za-z_][A-Za-z0-9_]*)"),
    re.compile(r"\bDZ\[\"([^\"]+)\"\]"),
    re.compile(r"\bdz\(\"([^\"]+)\"\)"),
    re.compile(r"(?<![\w/])dz:([A-Za-z_][A-Za-z0-9_]*)"),
]


def used_terms() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(ENGINE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in USES:
            for term in pattern.findall(text):
                found.setdefault(term, set()).add(path.name)
    return found


def test_every_dz_term_used_in_the_engine_is_defined_in_the_ontology():
    used = used_terms()
    assert len(used) > 40, "the scan found too few terms: is the pattern broken?"
    defined = vocab.defined_terms()
    missing = {term: sorted(files) for term, files in used.items() if term not in defined}
    assert not missing, f"dz: terms used but not in ontology/demozone.ttl: {missing}"


def test_every_dz_term_in_the_shapes_is_defined_in_the_ontology():
    defined = vocab.defined_terms()
    terms = {
        str(t).removeprefix(str(vocab.DZ))
        for triple in vocab.shapes()
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(vocab.DZ))
    }
    assert terms and terms <= defined, sorted(terms - defined)


def test_every_class_and_property_has_a_chinese_and_an_english_label():
    ont = vocab.ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = [s for kind in kinds for s in ont.subjects(RDF.type, kind)]
    assert len(terms) > 80
    for term in terms:
        langs = {lit.language for lit in ont.objects(term, RDFS.label) if isinstance(lit, Literal)}
        assert {"zh", "en"} <= langs, f"{term} lacks a zh or en label"


def test_the_provenance_classes_specialise_prov_o():
    ont = vocab.ontology()
    prov = "http://www.w3.org/ns/prov#"
    expected = {
        "Assessment": {"Activity", "Bundle"},
        "RuleFiring": {"Activity"},
        "Rule": {"Plan"},
        "Fact": {"Entity"},
        "Evidence": {"Entity"},
        "Judgment": {"Entity"},
        "Score": {"Entity"},
        "Submission": {"Entity"},
        "Assessor": {"Agent"},
    }
    for name, supers in expected.items():
        got = {str(o).removeprefix(prov) for o in ont.objects(vocab.DZ[name], RDFS.subClassOf)}
        assert supers <= got, name


def test_the_ontology_has_no_blank_nodes():
    assert not [t for t in vocab.ontology() if any(not isinstance(x, URIRef | Literal) for x in t)]


def test_instance_iris_are_deterministic_and_percent_encoded():
    assert vocab.iri("system", "x", "clause", "11.2") == URIRef(
        "https://w3id.org/demozone/id/system/x/clause/11.2"
    )
    assert str(vocab.iri("unit", "河津")).endswith("/unit/%E6%B2%B3%E6%B4%A5")


def test_controlled_names_resolve_to_concepts_by_their_chinese_labels():
    methods = vocab.concept_index(vocab.DZ.AssessmentMethod)
    assert set(methods) >= {"数据比对", "资料审查", "专家评估", "实地核查", "公开信息检索"}
    sources = vocab.concept_index(vocab.DZ.DataSource)
    assert sources["国家12315平台"] == sources["全国12315平台"]
    assert {"trial", "draft", "local"} <= set(vocab.notation_index(vocab.DZ.SystemStatus))


KB_MODULES = [
    "common/vocab.py",
    "kb/model.py",
    "kb/load.py",
    "kb/reader.py",
    "kb/local.py",
    "kb/query.py",
    "kb/read.py",
    "kb/systems.py",
    "kb/graph.py",
    "kb/view.py",
    "kb/check.py",
    "kb/check_report.py",
    "kb/check_sums.py",
    "api/__init__.py",
    "api/knowledge.py",
    "cli/kb.py",
]


def test_the_knowledge_base_modules_hold_no_system_id_or_instance_iri():
    kb_dir = ENGINE.parent / "kb"
    system_ids = [p.stem for p in (kb_dir / "systems").glob("*.yaml")]
    source_ids = ["wanrong", "hejin", "liangdang", "samr-2024", "yantai"]
    assert system_ids
    for name in KB_MODULES:
        text = (ENGINE / name).read_text(encoding="utf-8")
        for word in [*system_ids, *source_ids, "w3id.org/demozone/id/system"]:
            assert word not in text, f"engine/{name} names {word!r}: knowledge belongs in kb/"
