"""Citations tools can use (kb.citation): every anchor's passage found again from its source file
by character and by byte offsets, and the same citation fields, under the same names, in `show`,
`explain` (text and --json), `export` (RDF) and the reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from demozone.cli import main_group
from demozone.common.vocab import DZ, OA
from demozone.kb.citation import FIELDS, RDF_NAMES, Citation, citation_text, cite
from demozone.kb.graph import kb_graph
from demozone.kb.load import load_kb

from .conftest import EXAMPLES

NATIONAL = EXAMPLES["national-2022"]


def _uses():
    knowledge = load_kb()
    return [(knowledge, use) for use in knowledge.anchor_uses()]


def _where(use) -> str:
    return f"{use.file}:{use.anchor.line} {use.scope} {use.subject}"


def test_every_anchor_is_found_again_in_its_source_file_by_bytes_and_by_characters():
    files: dict[str, bytes] = {}
    uses = _uses()
    assert len(uses) > 1000
    for knowledge, use in uses:
        c = cite(knowledge, use.anchor)
        assert c.source_id == use.anchor.source, _where(use)
        assert c.source_file == knowledge.sources[c.source_id].file, _where(use)
        data = files.setdefault(
            c.source_file, (knowledge.directory / "sources" / c.source_file).read_bytes()
        )
        assert data[c.byte_start : c.byte_end] == c.quote.encode("utf-8"), _where(use)
        assert data.decode("utf-8")[c.char_start : c.char_end] == c.quote, _where(use)
        assert c.char_end - c.char_start == len(c.quote)
    # the sources are Chinese: byte and character offsets differ, so both are worth giving
    assert any(cite(k, u.anchor).byte_start != u.anchor.start for k, u in uses)


def test_the_kb_graph_carries_every_anchors_citation_on_the_anchor_node():
    knowledge, graph = load_kb(), kb_graph()
    anchors = set(graph.objects(None, DZ.anchor))
    assert len(anchors) > 1000
    for anchor in anchors:
        data = _rdf_citation(graph, anchor)
        assert set(data) == set(FIELDS), anchor
        path = knowledge.directory / "sources" / data["source_file"]
        exact = next(
            str(graph.value(s, OA.exact))
            for s in graph.objects(anchor, OA.hasSelector)
            if graph.value(s, OA.exact) is not None
        )
        assert path.read_bytes()[data["byte_start"] : data["byte_end"]] == exact.encode(), anchor
        assert path.read_text("utf-8")[data["char_start"] : data["char_end"]] == exact, anchor


def _rdf_citation(graph: Graph, anchor) -> dict:
    found = {}
    for key, name in RDF_NAMES.items():
        values = list(graph.objects(anchor, DZ[name]))
        assert len(values) <= 1 and all(isinstance(v, Literal) for v in values), (anchor, name)
        if values:
            found[key] = values[0].toPython()
    return found


def test_show_json_and_text_give_each_anchor_its_citation():
    knowledge = load_kb()
    indicator = knowledge.systems["national-2022"].indicator("11")
    result = CliRunner().invoke(main_group, ["show", "national-2022", "11", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    expected = [cite(knowledge, a).to_json() for a in indicator.anchors]
    assert [{k: a[k] for k in expected[0]} for a in shown["anchors"]] == expected
    clause_anchors = [a for c in shown["clauses"] for a in c["anchors"]]
    assert clause_anchors and all(set(FIELDS) <= set(a) for a in clause_anchors)
    for lang in ("zh", "en"):
        text = CliRunner().invoke(main_group, ["show", "national-2022", "11", "--lang", lang])
        for c in expected:
            assert citation_text(c, lang) in text.stdout


@pytest.fixture(scope="module")
def explained() -> list[dict]:
    result = CliRunner().invoke(main_group, ["explain", str(NATIONAL), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{") :])["indicators"]


def test_explain_json_and_text_give_the_same_citations(explained):
    knowledge = load_kb()
    system = knowledge.systems["national-2022"]
    cited = 0
    for tree in explained:
        indicator = system.indicator(tree["number"])
        for c in tree["citations"]:
            anchor = next(
                a for a in indicator.anchors if (a.start, a.end) == (c["char_start"], c["char_end"])
            )
            assert c == cite(knowledge, anchor).to_json()
            cited += 1
        for clause in tree["clauses"]:
            assert all(set(FIELDS) <= set(c) for c in clause["citations"])
    assert cited > 40
    text = CliRunner().invoke(main_group, ["explain", str(NATIONAL), "--indicator", "1"])
    assert text.exit_code == 0, text.output
    first = next(t for t in explained if t["number"] == "1")
    assert all(citation_text(c, "zh") in text.stdout for c in first["citations"])


def test_export_gives_each_cited_anchor_the_same_citation_fields(tmp_path, explained):
    output = tmp_path / "national.ttl"
    done = CliRunner().invoke(main_group, ["export", str(NATIONAL), "-o", str(output)])
    assert done.exit_code == 0, done.output
    graph = Graph().parse(output, format="turtle")
    exported = [_rdf_citation(graph, a) for a in set(graph.objects(None, DZ.anchor))]
    assert exported and all(set(c) == set(FIELDS) for c in exported)
    as_explained = {
        tuple(c[k] for k in FIELDS)
        for tree in explained
        for c in tree["citations"] + [c for cl in tree["clauses"] for c in cl["citations"]]
    }
    assert as_explained <= {tuple(c[k] for k in FIELDS) for c in exported}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_grounds_column_names_source_file_and_ranges(tmp_path, explained, lang):
    output = tmp_path / f"report-{lang}.html"
    done = CliRunner().invoke(
        main_group, ["report", str(NATIONAL), "-o", str(output), "--lang", lang]
    )
    assert done.exit_code == 0, done.output
    html = output.read_text("utf-8")
    clause_citations = [
        Citation.from_json(c)
        for tree in explained
        for cl in tree["clauses"]
        for c in cl["citations"]
    ]
    assert clause_citations
    assert all(c.where(lang) in html for c in clause_citations)


def test_citation_words_name_the_source_its_file_and_both_ranges():
    c = Citation("wanrong", "000_x.txt", "题", "title", 5, 9, 15, 27, "示范区创")
    assert c.where("zh") == "wanrong（000_x.txt）第5–9字，第15–27字节"
    assert c.where("en") == "wanrong (000_x.txt) chars 5–9, bytes 15–27"
    assert Citation.from_json(c.to_json()) == c


def test_an_anchor_on_an_unknown_source_keeps_its_characters_and_has_no_bytes():
    from demozone.kb.model import Anchor

    c = cite(load_kb(), Anchor("nowhere", "title", 1, 3, "示范"))
    assert (c.source_file, c.char_start, c.char_end, c.byte_start, c.byte_end) == (
        "",
        1,
        3,
        -1,
        -1,
    )


def test_citation_fields_are_one_naming_in_json_and_rdf():
    assert tuple(RDF_NAMES) == FIELDS
    for key, name in RDF_NAMES.items():
        assert name == re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
    ontology = (Path(__file__).resolve().parent.parent / "ontology" / "demozone.ttl").read_text()
    shapes = (Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl").read_text()
    for name in RDF_NAMES.values():
        assert f"dz:{name} a owl:DatatypeProperty" in ontology
        assert f"sh:path dz:{name}" in shapes


_ZONE_CITATIONS = f"""
PREFIX dz: <{DZ}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <{OA}>
SELECT ?n ?source_id ?source_file ?char_start ?char_end ?byte_start ?byte_end ?quote WHERE {{
  GRAPH ?g {{ ?g a dz:ProcedureEvent ; dz:eventNumber ?n ; prov:qualifiedAssociation ?a .
    ?a prov:hadPlan ?plan . ?plan dz:anchor ?anchor .
    ?anchor a dz:Anchor ; dz:sourceId ?source_id ; dz:sourceFile ?source_file ;
      dz:charStart ?char_start ; dz:charEnd ?char_end ;
      dz:byteStart ?byte_start ; dz:byteEnd ?byte_end ;
      oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?quote ] }} }} ORDER BY ?n
"""


def test_zone_status_json_event_records_and_status_text_carry_the_same_citations(
    tmp_path, monkeypatch
):
    from demozone.store.location import open_store

    store = tmp_path / "store"
    monkeypatch.setenv("DEMOZONE_STORE", str(store))
    run = CliRunner().invoke
    assert run(main_group, ["zone", "add", "hejin", "--name", "河津市"]).exit_code == 0
    for event, on in (("申请创建", "2024-01-02"), ("recommend", "2024-01-20")):
        done = run(main_group, ["zone", "event", "hejin", event, "--date", on, "--json"])
        assert done.exit_code == 0, done.output
        assert set(FIELDS) <= set(json.loads(done.output)["article"]["citation"])
    shown = run(main_group, ["status", "hejin", "--on", "2024-02-02", "--json"])
    assert shown.exit_code == 0, shown.output
    status = json.loads(shown.output)
    assert "anchor" not in shown.output and '"start"' not in shown.output
    with open_store(str(store), create=False) as target:
        rows = target.select(_ZONE_CITATIONS)
    stored = [
        {key: row[key].value for key in FIELDS} | {"quote": row["quote"].value} for row in rows
    ]
    for row in stored:
        for key in ("char_start", "char_end", "byte_start", "byte_end"):
            row[key] = int(row[key])
    cited = [e["article"]["citation"] for e in status["events"]]
    assert len(stored) == len(cited) == 2
    assert stored == [{key: c[key] for key in (*FIELDS, "quote")} for c in cited]
    articles = [status["article"]] + [d["article"] for d in status["dates"]]
    everything = cited + [a["citation"] for a in articles]
    sources = load_kb().directory / "sources"
    for c in everything:
        data = (sources / c["source_file"]).read_bytes()
        assert data[c["byte_start"] : c["byte_end"]] == c["quote"].encode("utf-8")
        assert data.decode("utf-8")[c["char_start"] : c["char_end"]] == c["quote"]
    for lang in ("zh", "en"):
        text = run(main_group, ["status", "hejin", "--on", "2024-02-02", "--lang", lang])
        assert text.exit_code == 0, text.output
        for a in articles:
            assert citation_text(a["citation"], lang) in text.output
            assert a["citation"]["quote"] in text.output
