"""No text a user gives can change or widen a SPARQL query: every place that builds one, fed ids
and values made to break out of IRIs and literals, on the embedded store and on the server.

The places: `history` (a submission id), `store check` (the ids it finds in the store), `ask` (an
assessment reference and a saved question's parameter) and the FILE|ASSESSMENT lookup behind
`explain`, `graph`, `export` and `ask`. Each test fills a store with two ordinary assessments and
one per crafted id, runs the command through the CLI, and checks that it read only what it was
asked for, failed (if at all) with a user error and no traceback, and left every quad in place.
(tests/test_store_safety.py also checks the code itself: SPARQL text is built only from
serialised terms.)
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from demozone.assessment.resolve import resolve_assessment
from demozone.cli import main_group
from demozone.common.errors import InputError, StoreError
from demozone.explain.ask import answer, question
from demozone.explain.subject import Subject
from demozone.store.location import open_store

from .conftest import STORE_BACKENDS, copy_store, fake_assessment, reset_server

# ids and values that would end an IRI, a literal, a group or the query if pasted into SPARQL
CRAFTED = [
    "x>",
    'x"',
    "x'",
    "x}",
    "x\\",
    "line\nbreak",
    "cr\r\nlf",
    "nul\u0000byte",
    '" } ; DROP ALL ; #',
    "> } ; DROP ALL ; #",
    "' } ; CLEAR ALL ; #",
    '"> } INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } } #',
    '\\" ) } DELETE WHERE { GRAPH ?g { ?s ?p ?o } } #',
    "?s ?p ?o",
    "<https://w3id.org/demozone/id/graph/kb>",
    "%3E%20%7D",
    "\\u003E } #",
    "全角　空格",
]
IDS = [f"c{k}" for k in range(len(CRAFTED))]
VICTIMS = ("victim-a", "victim-b")


class Filled:
    """A store holding two ordinary assessments and one per crafted submission id (whose one
    evidence item carries the crafted text as its id too), closed so the CLI can open it."""

    def __init__(self, store) -> None:
        self.location = store.location
        self.victims: dict[str, str] = {}  # submission -> assessment id
        self.crafted: dict[str, tuple[str, str]] = {}  # crafted text -> (assessment id, IRI)
        for k, name in enumerate(VICTIMS):
            assessment_id, quads = fake_assessment(name, shift=k)
            store.write_assessment(quads)
            self.victims[name] = assessment_id
        for k, text in enumerate(CRAFTED):
            assessment_id, quads = fake_assessment(text, shift=k, evidence=text)
            self.crafted[text] = (assessment_id, store.write_assessment(quads))
        if store.kind == "embedded":
            store.close()  # the CLI opens it
        self.before = self.snapshot()

    def snapshot(self) -> list[str]:
        with open_store(self.location, create=False) as opened:
            return sorted(str(q) for q in opened.dataset_quads())

    def intact(self) -> bool:
        return self.snapshot() == self.before

    def cli(self, *args: str):
        return CliRunner().invoke(main_group, [*args, "--store", self.location])


@pytest.fixture(scope="module", params=STORE_BACKENDS)
def filled(request, tmp_path_factory, kb_store_template) -> Filled:
    """Filled once per kind of store: the tests only read it (and check that they did)."""
    if request.param == "embedded":
        location = tmp_path_factory.mktemp("injection") / "store"
        store = open_store(str(copy_store(kb_store_template, location)))
    else:
        store = reset_server(request.getfixturevalue("oxigraph_server").url)
    try:
        yield Filled(store)
    finally:
        store.close()


def user_error(result) -> dict:
    """The error a command reported as JSON (exit 2, no traceback)."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return json.loads(result.stdout[result.stdout.index("{") :])["error"]


def test_history_of_a_crafted_id_reads_that_submission_only(filled):
    for text, (_id, iri) in filled.crafted.items():
        shown = filled.cli("history", text, "--json")
        assert shown.exit_code == 0, (text, shown.output)
        found = json.loads(shown.stdout)
        assert found["submission"] == text
        assert [a["iri"] for a in found["assessments"]] == [iri], text
        absent = filled.cli("history", text + " (absent)", "--json")
        assert absent.exit_code == 0, (text, absent.output)
        assert json.loads(absent.stdout)["assessments"] == [], text
    for name in VICTIMS:  # the others are still there, one each
        assert len(json.loads(filled.cli("history", name, "--json").stdout)["assessments"]) == 1
    assert filled.intact()


def test_store_check_reads_crafted_ids_as_data(filled):
    checked = filled.cli("store", "check", "--json", "--no-shapes")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["ok"] and report["findings"] == []
    assert report["assessments"] == report["complete"] == len(CRAFTED) + len(VICTIMS)
    assert filled.intact()


def test_looking_up_a_crafted_assessment_reads_its_graph_only(filled):
    with open_store(filled.location, create=False) as opened:
        own = {text: opened.assessment_quads(aid) for text, (aid, _iri) in filled.crafted.items()}
    for text, (assessment_id, iri) in filled.crafted.items():
        for reference in (assessment_id, iri):
            resolved = resolve_assessment(reference, filled.location)
            assert resolved.iri == iri
            graphs = {q.graph_name.value for q in resolved.quads}
            assert iri in graphs and not graphs & {i for _a, i in filled.crafted.values()} - {iri}
            assert set(own[text]) <= set(resolved.quads)
    assert filled.intact()


def test_a_crafted_reference_to_no_assessment_is_a_user_error(filled):
    for text in CRAFTED:
        for reference in (text, f"{text}/20260101T000000Z-000000", f"{text} (absent)"):
            with pytest.raises((InputError, StoreError)):
                resolve_assessment(reference, filled.location)
        error = user_error(filled.cli("explain", f"{text} (absent)", "--json"))
        assert error["kind"] in ("input", "store"), text
    assert filled.intact()


def test_ask_binds_a_crafted_evidence_id_as_a_value(filled):
    for text, (assessment_id, _iri) in filled.crafted.items():
        asked = filled.cli("ask", "evidence-clauses", assessment_id, "--evidence", text, "--json")
        assert asked.exit_code == 0, (text, asked.output)
        answer = json.loads(asked.stdout[asked.stdout.index("{") :])
        assert answer["parameters"] == {"evidence": text.strip()}
        assert [row["clause"] for row in answer["rows"]] == ["1.1"], text
    assert filled.intact()


def test_ask_refuses_a_crafted_evidence_id_the_assessment_does_not_have(filled):
    victim = filled.victims["victim-a"]
    subject = Subject(resolve_assessment(victim, filled.location))  # its graph is built once
    for text in CRAFTED:
        with pytest.raises(InputError, match="no evidence item"):
            answer(question("evidence-clauses"), subject, {"evidence": text})
    for text in CRAFTED[:3]:  # and through the CLI: a user error, not a traceback
        error = user_error(
            filled.cli("ask", "evidence-clauses", victim, "--evidence", text, "--json")
        )
        assert error["kind"] == "input" and "no evidence item" in error["problems"][0]["message"]
    assert filled.intact()
