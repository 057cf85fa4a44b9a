"""The knowledge base as RDF: counts, points and pass rules by SPARQL, anchors, shapes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode

from demozone import api
from demozone.kb import graph as kbgraph
from demozone.kb import load as kb

KB_DIR = Path(__file__).resolve().parent.parent / "kb"
PREFIXES = """
PREFIX dz: <https://w3id.org/demozone/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# system: (indicators, first levels, second levels, total points, first-level points, pass rule)
EXPECTED = {
    "national-2022": (41, 5, 10, 100, [20, 25, 20, 20, 15], (85, "0.75")),
    "national-2024-draft": (25, 4, 0, 100, [20, 30, 30, 20], (85, "0.8")),
    "wanrong-2022": (41, 5, 10, 100, [20, 25, 20, 20, 15], (85, "0.75")),
    "liangdang-2022": (41, 5, 10, 100, [20, 25, 20, 20, 15], (85, "0.75")),
    "hejin-2023": (40, 5, 10, 98, [20, 25, 20, 20, 15], (85, "0.75")),
}


def select(query: str) -> list[dict]:
    return api.query(PREFIXES + query)["bindings"]


def system_row(system_id: str) -> dict:
    rows = select(f"""
        SELECT (COUNT(DISTINCT ?i) AS ?n) (SUM(?p) AS ?points) WHERE {{
          ?s dcterms:identifier "{system_id}" .
          ?i a dz:Indicator ; skos:inScheme ?s ; dz:points ?p }}""")
    return rows[0]


@pytest.mark.parametrize("system_id", sorted(EXPECTED))
def test_counts_points_and_pass_rules_come_out_of_the_graph(system_id):
    indicators, firsts, seconds, total, first_points, (at_least, rate) = EXPECTED[system_id]
    row = system_row(system_id)
    assert int(row["n"]) == indicators
    assert Decimal(str(row["points"])) == total
    levels = select(f"""
        SELECT ?level ?points ?order WHERE {{
          ?s dcterms:identifier "{system_id}" ; skos:hasTopConcept ?level .
          ?level dz:points ?points ; dz:order ?order }} ORDER BY ?order""")
    assert [int(r["points"]) for r in levels] == first_points
    assert len(levels) == firsts
    second = select(f"""
        SELECT (COUNT(?l) AS ?n) WHERE {{
          ?s dcterms:identifier "{system_id}" .
          ?l a dz:SecondLevelIndicator ; skos:inScheme ?s }}""")
    assert int(second[0]["n"]) == seconds
    rule = select(f"""
        SELECT ?total ?rate WHERE {{
          ?s dcterms:identifier "{system_id}" ; dz:passRule ?r .
          ?r dz:totalAtLeast ?total ; dz:firstLevelRateAtLeast ?rate }}""")
    assert [(int(r["total"]), str(Decimal(str(r["rate"])))) for r in rule] == [(at_least, rate)]


def test_every_indicator_reaches_its_first_level_through_skos_broader():
    rows = select("""
        SELECT (COUNT(?i) AS ?n) WHERE {
          ?i a dz:Indicator ; dz:firstLevel ?first ; skos:broader+ ?first .
          ?first skos:topConceptOf ?s }""")
    assert int(rows[0]["n"]) == sum(e[0] for e in EXPECTED.values())


def test_local_indicators_point_at_the_indicator_they_decompose():
    rows = select("""
        SELECT ?label WHERE {
          ?s dcterms:identifier "hejin-2023" .
          ?i skos:inScheme ?s ; skos:notation "5" ; dz:decomposes ?base .
          ?base skos:prefLabel ?label ; skos:notation "6" FILTER(lang(?label) = "zh") }""")
    assert [str(r["label"]) for r in rows] == ["网络市场消费贡献度"]


def test_the_graph_has_no_blank_nodes_and_is_the_same_every_time():
    graph = kbgraph.kb_graph()
    assert str(graph.identifier) == "https://w3id.org/demozone/id/graph/kb"
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)
    kbgraph.clear_cache()
    rebuilt = kbgraph.kb_graph()
    assert rebuilt is not graph
    assert set(rebuilt) == set(graph)


def test_national_figures_carry_their_metric_year_value_growth_and_source():
    rows = select("""
        SELECT ?value ?growth ?source WHERE {
          ?f a dz:NationalFigure ; dz:metric ?m ; dz:year 2023 ;
             dz:value ?value ; dz:growth ?growth ; dz:publishedSource ?source .
          ?m skos:notation "online_retail" }""")
    assert len(rows) == 1
    assert Decimal(str(rows[0]["value"])) == 154264
    assert Decimal(str(rows[0]["growth"])) == Decimal("0.11")
    assert "NBS" in str(rows[0]["source"])


def test_the_graph_conforms_to_the_shapes():
    findings = [f for f in api.check_kb().findings if f.code == "shacl"]
    assert [f for f in findings if f.severity == "error"] == []
    # the one warning: a clause of the 2024 draft that states no points (see test_kb_check)
    assert {(f.scope, f.subject) for f in findings} == {("national-2024-draft", "clause 25.1")}


def test_every_anchor_quotes_its_source_exactly_at_its_offsets():
    knowledge = kb.load_kb()
    files = sorted(p.relative_to(KB_DIR.parent).as_posix() for p in KB_DIR.rglob("*.yaml"))
    per_file: dict[str, int] = {}
    for use in knowledge.anchor_uses():
        a = use.anchor
        text = knowledge.sources[a.source].text
        assert text[a.start : a.end] == a.quote, f"{use.file}:{a.line} {use.scope} {use.subject}"
        per_file[use.file] = per_file.get(use.file, 0) + 1
    anchored = [f for f in files if "/systems/" in f or "/localities/" in f or "procedure" in f]
    assert len(anchored) >= 9, anchored
    assert sorted(per_file) == anchored, "a kb file has no anchors, or one was not read"
    assert sum(per_file.values()) > 2000


def test_every_anchor_in_the_graph_has_a_quote_and_a_position_on_its_source():
    rows = select("""
        SELECT (COUNT(?a) AS ?n) WHERE {
          ?a a dz:Anchor ; <http://www.w3.org/ns/oa#hasSource> ?src ;
             <http://www.w3.org/ns/oa#hasSelector> ?q , ?p .
          ?q <http://www.w3.org/ns/oa#exact> ?exact .
          ?p <http://www.w3.org/ns/oa#start> ?start ; <http://www.w3.org/ns/oa#end> ?end .
          FILTER (?start < ?end) }""")
    assert int(rows[0]["n"]) > 2000
