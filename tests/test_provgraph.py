"""The provenance graph: from every indicator's score to verbatim source passages, and to every
fact and evidence item the score used; writers; stored assessments; the `graph` verb."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from demozone.assessment.resolve import resolve_assessment
from demozone.cli import main_group
from demozone.common.errors import InputError
from demozone.explain import provgraph as pg
from demozone.kb.load import load_kb
from demozone.provenance.terms import node

from .conftest import EXAMPLES, ROOT, copy_store

SOURCES = ROOT / "kb" / "sources"
PREFIXES = ("prov:", "dz:", "skos:")


@pytest.fixture(scope="module")
def graphs(scored_examples) -> dict[str, nx.MultiDiGraph]:
    return {name: pg.provenance_graph(r.quads, r.kb_graph) for name, r in scored_examples.items()}


def _source_text(file: str, cache: dict = {}) -> str:  # noqa: B006 - a per-process cache
    if file not in cache:
        cache[file] = (SOURCES / file).read_bytes().decode("utf-8")
    return cache[file]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_indicator_score_leads_to_source_passages_quoted_verbatim(
    name, graphs, scored_examples
):
    graph, result = graphs[name], scored_examples[name].assessment.result
    assert len(result.indicators) >= 20
    checked = 0
    for indicator in result.indicators:
        score = pg.indicator_score(graph, indicator.number)
        assert score is not None, indicator.number
        reached = nx.descendants(graph, score)
        passages = [n for n in reached if graph.nodes[n]["type"] == "source"]
        assert passages, f"indicator {indicator.number}: no path to a source passage"
        kb_node = next(t for _s, t, k in graph.out_edges(score, keys=True) if k == "dz:indicator")
        for passage in passages:
            attrs = graph.nodes[passage]
            text = _source_text(attrs["source_file"])
            assert text[attrs["char_start"] : attrs["char_end"]] == attrs["text"], passage
            assert attrs["text"], passage
            checked += 1
        # the indicator's own anchors are one step from its knowledge base node
        own = [t for _s, t in graph.out_edges(kb_node) if graph.nodes[t]["type"] == "source"]
        assert own and nx.has_path(graph, score, own[0])
    assert checked > len(result.indicators)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_fact_evidence_item_and_assessor_a_score_used_is_reachable(
    name, graphs, scored_examples
):
    resolved = scored_examples[name]
    graph, assessment = graphs[name], resolved.assessment
    facts_seen = evidence_seen = 0
    for indicator in assessment.result.indicators:
        score = pg.indicator_score(graph, indicator.number)
        reached = nx.descendants(graph, score)
        for outcome in indicator.rules:
            for case in outcome.cases:
                for fact in case.inputs:
                    iri = node("assessment", assessment.id, "fact", fact.fact_id).value
                    assert iri in reached, (indicator.number, fact.fact_id)
                    assert graph.nodes[iri]["type"] in ("fact", "evidence")
                    assert graph.nodes[iri].get("value") is not None
                    facts_seen += 1
                    for evidence_id in fact.evidence:
                        e = node("assessment", assessment.id, "fact", f"evidence:{evidence_id}")
                        assert e.value in reached, (indicator.number, evidence_id)
                        assert graph.nodes[e.value]["type"] == "evidence"
                        evidence_seen += 1
                    if fact.assessor:
                        who = node("assessor", fact.assessor).value
                        assert who in reached and graph.nodes[who]["type"] == "assessor"
    assert facts_seen > 50 and evidence_seen > 10


def test_nodes_are_typed_labelled_and_edges_carry_their_property(graphs):
    graph = graphs["national-2022"]
    types = {d["type"] for _n, d in graph.nodes(data=True)}
    assert types == set(pg.TYPES)
    for n, attrs in graph.nodes(data=True):
        assert attrs["type"] in pg.TYPES and attrs["label"], n
    for s, t, _key, attrs in graph.edges(keys=True, data=True):
        assert attrs["label"].startswith(PREFIXES), (s, t, attrs)
    labels = {d["label"] for _s, _t, d in graph.edges(data=True)}
    assert {
        "prov:wasDerivedFrom",
        "prov:wasGeneratedBy",
        "prov:used",
        "prov:hadPrimarySource",
        "prov:wasAttributedTo",
        "prov:hadPlan",
        "dz:indicator",
        "dz:clause",
        "dz:anchor",
    } <= labels
    # scores carry exact values; the assessment its receipt
    assessment = graph.nodes[graph.graph["assessment"]]
    assert assessment["type"] == "assessment" and assessment["receipt:kb"]
    scores = [d for _n, d in graph.nodes(data=True) if d["type"] == "score"]
    assert all("value" in d for d in scores)
    # a passage cited by both an indicator and its clause is one node
    passages = [n for n, d in graph.nodes(data=True) if d["type"] == "source"]
    assert len(passages) == len(set(passages)) and all("#char=" in p for p in passages)


def test_the_graph_is_built_the_same_way_every_time(scored_examples):
    resolved = scored_examples["national-2024-draft"]
    one = pg.provenance_graph(resolved.quads, resolved.kb_graph)
    two = pg.provenance_graph(list(reversed(resolved.quads)), resolved.kb_graph)
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert list(one.edges(keys=True, data=True)) == list(two.edges(keys=True, data=True))
    assert pg.to_dot(one) == pg.to_dot(two)


def test_indicator_subgraph_is_what_its_score_came_from(graphs):
    graph = graphs["national-2022"]
    sub = pg.restrict_to_indicator(graph, "3")
    score = pg.indicator_score(graph, "3")
    assert set(sub.nodes) == {score} | nx.descendants(graph, score)
    assert sub.number_of_edges() == sum(
        1 for s, t in graph.edges() if s in sub.nodes and t in sub.nodes
    )
    kinds = {d["type"] for _n, d in sub.nodes(data=True)}
    assert {"score", "firing", "rule", "fact", "indicator", "clause", "source"} <= kinds
    others = [d for _n, d in sub.nodes(data=True) if d.get("kind") == "indicator"]
    assert [d["number"] for d in others] == ["3"]
    with pytest.raises(InputError) as err:
        pg.restrict_to_indicator(graph, "999")
    assert "999" in err.value.problems[0].message


def test_writers_round_trip(graphs, tmp_path: Path):
    graph = pg.restrict_to_indicator(graphs["national-2022"], "12")
    path = tmp_path / "g.graphml"
    path.write_text(pg.render(graph, "graphml"), encoding="utf-8")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    some = next(n for n, d in graph.nodes(data=True) if d["type"] == "source")
    assert back.nodes[some]["text"] == graph.nodes[some]["text"]
    data = json.loads(pg.render(graph, "json"))
    again = nx.node_link_graph(data, edges="edges")
    assert again.is_multigraph() and again.is_directed()
    assert sorted(again.nodes) == sorted(graph.nodes)
    assert again.number_of_edges() == graph.number_of_edges()
    dot = pg.render(graph, "dot")
    assert dot.startswith("digraph provenance {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == graph.number_of_edges()
    label = graph.nodes[pg.indicator_score(graph, "12")]["label"]
    assert pg.dot_quote(label) in dot  # Chinese verbatim


def test_dot_strings_are_escaped():
    assert pg.dot_quote('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'
    graph = nx.MultiDiGraph()
    graph.add_node('x"; evil [', type="fact", label='"]; injected -> x [', iri="x")
    graph.add_node("y", type="source", label="原文", iri="y")
    graph.add_edge('x"; evil [', "y", key="dz:anchor", label="dz:anchor")
    dot = pg.to_dot(graph)
    assert '"x\\"; evil ["' in dot and '"\\"]; injected -> x ["' in dot
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', dot)  # every quoted string closed where it should
    assert bare.count("->") == 1 and bare.count("[") == bare.count("]")


def test_a_stored_assessment_gives_the_same_graph(tmp_path: Path, kb_store_template, graphs):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    written = resolve_assessment(EXAMPLES["national-2022"], location)
    assert written.written and written.origin == "file"
    by_id = resolve_assessment(written.assessment.id, location)
    by_iri = resolve_assessment(written.iri, location)
    assert by_id.origin == "store" and by_id.iri == written.iri == by_iri.iri
    stored = pg.provenance_graph(by_id.quads, by_id.kb_graph)
    assert pg.summary(stored)["types"] == pg.summary(graphs["national-2022"])["types"]
    assert stored.number_of_edges() == graphs["national-2022"].number_of_edges()


def test_an_unknown_reference_is_a_clear_error(tmp_path: Path):
    with pytest.raises(InputError):
        resolve_assessment(tmp_path / "nope.yaml")


def test_graph_verb(tmp_path: Path):
    runner = CliRunner()
    out = tmp_path / "g.json"
    done = runner.invoke(
        main_group, ["graph", str(EXAMPLES["national-2022"]), "-i", "5", "-o", str(out), "--json"]
    )
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["indicator"] == "5" and summary["format"] == "json"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == summary["nodes"] and len(data["edges"]) == summary["edges"]
    for args in (
        ["-o", str(tmp_path / "g.txt")],  # format unknown
        ["-i", "999", "-o", str(tmp_path / "g.dot")],
        ["-o", "-", "--json"],
    ):
        done = runner.invoke(main_group, ["graph", str(EXAMPLES["national-2022"]), *args])
        assert done.exit_code == 2, (args, done.output)
    assert not (tmp_path / "g.dot").exists() and not (tmp_path / "g.txt").exists()
    done = runner.invoke(main_group, ["graph", str(tmp_path / "missing.yaml"), "-o", str(out)])
    assert done.exit_code == 2


def test_every_source_file_cited_exists():
    files = {s.file for s in load_kb().sources.values()}
    assert files and all((SOURCES / f).is_file() for f in files)


@pytest.mark.server
def test_an_assessment_on_a_sparql_server_gives_the_same_graph(oxigraph_server, graphs):
    from .conftest import reset_server

    reset_server(oxigraph_server.url)
    written = resolve_assessment(EXAMPLES["national-2022"], oxigraph_server.url)
    by_id = resolve_assessment(written.assessment.id, oxigraph_server.url)
    assert by_id.origin == "store" and by_id.iri == written.iri and not by_id.notes
    stored = pg.provenance_graph(by_id.quads, by_id.kb_graph)
    assert pg.summary(stored)["types"] == pg.summary(graphs["national-2022"])["types"]
