"""`demozone query` reads the knowledge base only (issue 19, item 4): no FROM, FROM NAMED,
SERVICE or LOAD, a time limit and a row limit, each with a clear message."""

from __future__ import annotations

import threading
import time
import weakref

import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common.errors import InputError
from demozone.kb.query import _time_limit, run_query

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _refused(sparql: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        run_query(sparql)


def test_from_a_local_file_is_refused(tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<urn:s> <urn:p> 'the secret' .")
    _refused(f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}", "FROM")
    _refused(f"SELECT * FROM NAMED <file://{secret}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM")
    result = CliRunner().invoke(
        main_group, ["query", f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}"]
    )
    assert result.exit_code == 2 and "the secret" not in result.output


def test_from_and_service_make_no_request(listener):
    url, hits = listener
    _refused(f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", "FROM")
    _refused(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE")
    _refused(f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }} }}",
             "SERVICE")  # fmt: skip
    _refused(f"LOAD <{url}/data.ttl>", "bad SPARQL")
    assert hits == []


def test_a_cartesian_product_stops_at_the_time_limit():
    with pytest.raises(InputError, match="longer than 1 s"):
        run_query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", seconds=1)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_alarm_python_drops_in_a_weakref_callback_rings_again():
    class Node:
        pass

    def slow_callback(_ref):
        time.sleep(1)  # the alarm lands here, and Python prints and drops what it raises

    node = Node()
    kept = weakref.ref(node, slow_callback)
    deadline = time.monotonic() + 60
    with pytest.raises(InputError, match=r"longer than 0\.2 s"), _time_limit(0.2):
        del node
        while time.monotonic() < deadline:  # a query that would otherwise run on
            time.sleep(0.01)
    assert kept() is None and time.monotonic() < deadline


def test_the_time_limit_holds_off_the_main_thread_too():
    caught: list[BaseException] = []

    def run():
        try:
            run_query(CARTESIAN, seconds=1, max_rows=10**9)
        except InputError as err:
            caught.append(err)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert not worker.is_alive() and "longer than 1 s" in str(caught[0])


def test_the_row_limit_is_clear_and_configurable():
    with pytest.raises(InputError, match="more than 5 rows"):
        run_query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=5)
    assert len(run_query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5", max_rows=5)["rows"]) == 5
    result = CliRunner().invoke(main_group, ["query", "SELECT ?s WHERE { ?s ?p ?o }",
                                             "--max-rows", "3"])  # fmt: skip
    assert result.exit_code == 2 and "--max-rows" in result.output
    slow = CliRunner().invoke(main_group, ["query", CARTESIAN, "--timeout", "0.5"])
    assert slow.exit_code == 2 and "longer than 0.5 s" in slow.output
    assert "Traceback" not in result.output + slow.output
