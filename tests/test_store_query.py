"""`query --store` and `audit`: read-only SPARQL across the assessments of a store (embedded and
the SPARQL server), updates refused, and the saved audit questions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone import api
from demozone.cli import main_group
from demozone.store.location import open_store

from .conftest import STORE_BACKENDS, copy_store, fake_assessment, reset_server


@pytest.fixture(params=STORE_BACKENDS)
def location(request, tmp_path, kb_store_template) -> str:
    if request.param == "embedded":
        return str(copy_store(kb_store_template, tmp_path / "store"))
    return reset_server(request.getfixturevalue("oxigraph_server").url).location


@pytest.fixture
def recorded(location) -> dict[str, str]:
    """Three fake assessments: sub-a passing under national-2022 and failing under a stricter
    variant, sub-b once; judged by expert-li and expert-wang."""
    made = {
        "a-pass": fake_assessment("sub-a", bonus=1, time_stamp="2026-01-01T00:00:00Z"),
        "a-fail": fake_assessment(
            "sub-a",
            system="national-2022-strict",
            time_stamp="2026-01-02T00:00:00Z",
            judgments=(("expert-wang", "1.1", True),),
        ),
        "b": fake_assessment("sub-b", bonus=1, time_stamp="2026-01-03T00:00:00Z"),
    }
    iris = {}
    with open_store(location) as store:
        for name, (_id, quads) in made.items():
            iris[name] = store.write_assessment(quads)
    return iris


def run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main_group, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def column(answer: dict, name: str) -> list[str]:
    return [b[name]["value"] for b in answer["results"]["bindings"] if name in b]


def test_query_store_answers_a_select_across_assessments(location, recorded):
    code, answer = run(
        "query",
        "SELECT ?a ?total WHERE { GRAPH ?a { ?a a dz:Assessment ; dz:total ?total } } ORDER BY ?a",
        "--store",
        location,
    )
    assert code == 0
    assert sorted(column(answer, "a")) == sorted(recorded.values())


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }",
        "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
        "DROP ALL",
        "CLEAR GRAPH <https://w3id.org/demozone/id/graph/kb>",
    ],
)
def test_query_store_refuses_updates(location, recorded, update):
    with open_store(location) as store:
        before = store.graph_counts()
    result = CliRunner().invoke(main_group, ["query", update, "--store", location])
    assert result.exit_code == 2
    assert "refused" in result.output or "只读" in result.output
    with open_store(location) as store:
        assert store.graph_counts() == before


def test_query_store_refuses_service_and_makes_no_request(location, listener):
    url, hits = listener
    for sparql in (
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"ASK {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }} }}",
    ):
        result = CliRunner().invoke(main_group, ["query", sparql, "--store", location])
        assert result.exit_code == 2 and "SERVICE" in result.output, result.output
    assert hits == []


def test_query_store_answers_ask_and_construct(location, recorded):
    runner = CliRunner()
    ask = runner.invoke(
        main_group, ["query", "ASK { GRAPH ?a { ?a a dz:Assessment } }", "--store", location]
    )
    assert (ask.exit_code, ask.output.strip()) == (0, "true")
    built = runner.invoke(
        main_group,
        [
            "query",
            "CONSTRUCT { ?a dz:total ?t } WHERE { GRAPH ?a { ?a dz:total ?t } }",
            "--store",
            location,
        ],
    )
    assert built.exit_code == 0 and "dz:total" in built.output


def test_audit_verdicts_differing_under_another_rule_set(location, recorded):
    code, answer = run("audit", "verdicts", "--store", location)
    assert code == 0
    pairs = set(zip(column(answer, "assessment"), column(answer, "other"), strict=True))
    assert pairs == {
        (recorded["a-pass"], recorded["a-fail"]),
        (recorded["a-fail"], recorded["a-pass"]),
    }


def test_audit_every_judgment_by_an_assessor(location, recorded):
    code, answer = run("audit", "assessor", "--assessor", "expert-li", "--store", location)
    assert code == 0
    assert sorted(set(column(answer, "assessment"))) == sorted([recorded["a-pass"], recorded["b"]])
    code, answer = run("audit", "assessor", "--assessor", "expert-wang", "--store", location)
    assert set(column(answer, "assessment")) == {recorded["a-fail"]}


def test_audit_every_score_resting_on_a_passage(location, national_submission):
    from demozone.assessment.assess import assess
    from demozone.kb.load import load_kb

    iri = assess(national_submission, store=location, again=True).iri
    # clause 3.1's passage: the clause is scored by one rule alone
    anchor = load_kb().systems["national-2022"].indicators[2].clauses[0].anchors[0]
    code, answer = run(
        "audit",
        "passage",
        "--source",
        anchor.source,
        "--start",
        str(anchor.start),
        "--end",
        str(anchor.end),
        "--store",
        location,
    )
    assert code == 0
    assert set(column(answer, "assessment")) == {iri}
    starts = [int(s) for s in column(answer, "char_start")]
    ends = [int(e) for e in column(answer, "char_end")]
    assert all(s < anchor.end and e > anchor.start for s, e in zip(starts, ends, strict=True))
    assert anchor.quote in column(answer, "quote")
    # each row names its passage as every citation does: file and byte range slice the quote
    for row in answer["results"]["bindings"]:
        data = (load_kb().directory / "sources" / row["source_file"]["value"]).read_bytes()
        start, end = int(row["byte_start"]["value"]), int(row["byte_end"]["value"])
        assert data[start:end] == row["quote"]["value"].encode("utf-8")
    # the store leaves some clause scores to their rule's firing (provenance.implied): the
    # answer is the one the whole graph gives
    rows = {
        (b["score"]["value"], b["value"]["value"], b["char_start"]["value"])
        for b in answer["results"]["bindings"]
    }
    assert rows == _whole_answer(location, iri, anchor)
    assert any("/score/clause/" in score for score, _value, _start in rows)


def _whole_answer(location: str, iri: str, anchor) -> set[tuple[str, str, str]]:
    """(score, value, char_start) of the passage question asked of the assessment's whole
    graph, as a reader gets it back, with the knowledge base."""
    params = {"source": anchor.source, "start": str(anchor.start), "end": str(anchor.end)}
    return _asked_of_whole(location, iri, "passage", params, ("score", "value", "char_start"))


def _asked_of_whole(location: str, iri: str, name: str, params: dict, columns: tuple) -> set:
    """The rows (`columns`) of an audit question asked of the assessment's whole graph, as a
    reader gets it back, with the knowledge base."""
    import pyoxigraph as ox

    from demozone.provenance.implied import with_implied
    from demozone.store.query import SPARQL_PREFIXES, audit_query
    from demozone.store.terms import KB_GRAPH

    with open_store(location, create=False) as opened:
        quads = opened.assessment_quads(iri)
        whole = with_implied(quads + opened.shared_quads(quads))
        kb = opened.graph_quads(KB_GRAPH.value)
    memory = ox.Store()
    memory.extend([q for q in whole if q.graph_name.value == iri] + kb)
    return {
        tuple(row[c].value for c in columns)
        for row in memory.query(SPARQL_PREFIXES + audit_query(name, **params))
    }


def test_audit_every_judgment_by_an_assessor_as_the_whole_graph_answers(
    location, national_submission
):
    from demozone.assessment.assess import assess

    iri = assess(national_submission, store=location, again=True).iri
    columns = ("judgment", "clause", "satisfied", "where")
    for assessor in ("expert-li", "expert-wang"):
        code, answer = run("audit", "assessor", "--assessor", assessor, "--store", location)
        assert code == 0
        # the store leaves a judgment's clause and assessor to its name (provenance.implied)
        rows = {tuple(b[c]["value"] for c in columns) for b in answer["results"]["bindings"]}
        whole = _asked_of_whole(location, iri, "assessor", {"assessor": assessor}, columns)
        assert rows == whole and len(rows) > 5
        assert all(where.startswith("judgments[") for *_rest, where in rows)


# Three copies of the store's triples side by side: far more rows than any machine counts in a
# day, so only the time limit ends it.
CROSS_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } "
    "GRAPH ?i { ?x ?y ?z } }"
)


def test_query_store_stops_a_query_running_longer_than_its_time_limit(tmp_path, kb_store_template):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    slow = CliRunner().invoke(
        main_group, ["query", CROSS_JOIN, "--store", location, "--timeout", "0.5"]
    )
    assert slow.exit_code == 2, slow.output
    assert "longer than 0.5 s" in slow.output and "Traceback" not in slow.output
    # the limit stopped the query, not the store: the next one answers
    code, answer = run("query", "ASK { GRAPH ?g { ?s ?p ?o } }", "--store", location)
    assert (code, answer["boolean"]) == (0, True)


def test_query_store_time_limit_defaults_to_the_hardening_limit(
    tmp_path, kb_store_template, monkeypatch
):
    from demozone.common import limits

    monkeypatch.setattr(limits, "QUERY_SECONDS", 0.5)
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    slow = CliRunner().invoke(main_group, ["query", CROSS_JOIN, "--store", location])
    assert slow.exit_code == 2 and "longer than 0.5 s" in slow.output, slow.output


def test_query_store_reads_every_assessment_right_after_each_write(tmp_path, kb_store_template):
    # the embedded query runs in a child opening the store read-only: it must see each write
    # and never meet files a compaction of the store just removed
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    for k in range(1, 6):
        with open_store(location) as store:
            store.write_assessment(fake_assessment(f"sub-{k}")[1])
        code, answer = run(
            "query",
            "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a dz:Assessment } }",
            "--store",
            location,
        )
        assert (code, column(answer, "n")) == (0, [str(k)])


def _queries_on(location: str) -> list[int]:
    """The pids of query children reading the store at `location` (store.timed)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:  # not a process, or gone meanwhile
            continue
        if b"pyoxigraph" in b" ".join(argv) and location.encode() in argv:
            found.append(int(entry.name))
    return found


def _until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_a_query_stopped_at_its_time_limit_leaves_no_process_behind(tmp_path, kb_store_template):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    with pytest.raises(api.InputError):
        api.limited_store_query(CROSS_JOIN, location, seconds=1)
    assert _queries_on(location) == []


def test_a_query_child_dies_with_its_caller(tmp_path, kb_store_template):
    # a web worker or CLI killed while its query runs must not leave the query running for hours
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    caller = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from demozone.store.timed import query_within; "
            "query_within(sys.argv[1], sys.argv[2], 600)",
            location,
            CROSS_JOIN,
        ]
    )
    try:
        assert _until(lambda: _queries_on(location)), "the query child never started"
        caller.kill()
        caller.wait()
        assert _until(lambda: not _queries_on(location), 5), _queries_on(location)
    finally:
        caller.kill()
        for pid in _queries_on(location):
            os.kill(pid, signal.SIGKILL)
