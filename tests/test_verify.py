"""`demozone verify`: every assessment carries the digest of its canonical content and the
digest of the previous assessment of its submission; deleting, adding or changing any single
triple of a stored assessment (a sample of every kind of triple, on the embedded store and on
the SPARQL server) makes verify exit 1 naming the change; an untouched store verifies; a broken
chain is reported with the two assessments involved; signatures are checked."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from demozone.assessment.assess import assess
from demozone.cli import main_group
from demozone.provenance.digest import SEAL_PREDICATES, content_digest
from demozone.store.location import open_store
from demozone.store.terms import ASSESSMENT_PREFIX

from .conftest import EXAMPLES, STORE_BACKENDS, copy_store, reset_server

DZ = "https://w3id.org/demozone/def#"
SUBMISSION = EXAMPLES["national-2022"]


@pytest.fixture(params=STORE_BACKENDS)
def location(request, tmp_path, kb_store_template) -> str:
    """A store location holding the knowledge base only: a directory, or the session's server."""
    if request.param == "embedded":
        return str(copy_store(kb_store_template, tmp_path / "store"))
    return reset_server(request.getfixturevalue("oxigraph_server").url).location


def record(location: str, n: int = 2) -> list[str]:
    """n assessments of the national example, oldest first (their IRIs)."""
    return [
        assess(EXAMPLES["national-2022"], store=location, again=True).iri or "" for _ in range(n)
    ]


def run_verify(location: str, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main_group, ["verify", *args, "--store", location, "--json"])
    return result.exit_code, json.loads(result.stdout)


def change(store, remove: list[ox.Quad], add: list[ox.Quad]) -> None:
    """Change quads behind demozone's back: pyoxigraph on disk, SPARQL Update on the server."""
    if store.kind == "embedded":
        for q in remove:
            store.ox.remove(q)
        store.ox.extend(add)
        return
    parts = []
    if remove:
        body = " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in remove
        )
        parts.append(f"DELETE DATA {{ {body} }}")
    if add:
        body = " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in add
        )
        parts.append(f"INSERT DATA {{ {body} }}")
    store.update(" ; ".join(parts))


def kind_of(quad: ox.Quad, graph: str) -> str:
    """The kind of node a triple is about: the assessment, or score/firing/case/fact/receipt..."""
    s = quad.subject.value
    if s == graph:
        return "assessment"
    if s.startswith(graph + "/"):
        return s.removeprefix(graph + "/").split("/")[0]
    return s.removeprefix("https://w3id.org/demozone/id/").split("/")[0]


def sample(quads: list[ox.Quad], graph: str) -> list[ox.Quad]:
    """One triple of every (node kind, predicate) of an assessment."""
    seen: dict[tuple[str, str], ox.Quad] = {}
    for q in sorted(quads, key=str):
        seen.setdefault((kind_of(q, graph), q.predicate.value), q)
    return list(seen.values())


def changed_object(term):
    if isinstance(term, ox.NamedNode):
        return ox.NamedNode(term.value + "-x")
    if term.datatype.value.endswith(("#decimal", "#integer")):
        return ox.Literal(str(int(float(term.value)) + 7), datatype=term.datatype)
    if term.datatype.value.endswith("#boolean"):
        return ox.Literal("false" if term.value == "true" else "true", datatype=term.datatype)
    if term.datatype.value.endswith("#dateTime"):
        return ox.Literal("2001-01-01T00:00:00Z", datatype=term.datatype)
    if term.language:
        return ox.Literal(term.value + "（改）", language=term.language)
    return ox.Literal(term.value + "x")


def tamperings(quads: list[ox.Quad], graph: str) -> Iterator[tuple[str, list, list, ox.Quad]]:
    """(what, quads removed, quads added, the triple verify must name) for the sample."""
    g = ox.NamedNode(graph)
    for q in sample(quads, graph):
        yield "delete", [q], [], q
        new = ox.Quad(q.subject, q.predicate, changed_object(q.object), g)
        yield "change", [q], [new], new
    for kind in sorted({kind_of(q, graph) for q in quads}):
        subject = next(q.subject for q in sorted(quads, key=str) if kind_of(q, graph) == kind)
        extra = ox.Quad(subject, ox.NamedNode(DZ + "reason"), ox.Literal("伪造", language="zh"), g)
        yield "add", [], [extra], extra


def named(result: dict, quad: ox.Quad) -> bool:
    """Whether verify's report names the triple (or, for the seal's own triples, its check)."""
    texts = [d["message"] for d in result["differences"]]
    if quad.predicate.value in SEAL_PREDICATES:
        return bool(result["differences"])
    return any(f"{quad.subject} {quad.predicate}" in t for t in texts)


def test_untouched_store_verifies_and_every_single_triple_change_is_named(location):
    _first, second = record(location)
    code, result = run_verify(location, "--all")
    assert (code, result["differences"], result["notes"]) == (0, [], [])
    with open_store(location) as store:
        quads = store.graph_quads(second)
    cases = list(tamperings(quads, second))
    assert len({kind_of(q, second) for _w, _r, _a, q in cases}) >= 7  # every kind of node
    missed = []
    for what, removed, added, quad in cases:
        with open_store(location) as store:
            change(store, removed, added)
        # the auditor names the submission file (the record's own path may be what changed)
        code, result = run_verify(
            location, second.removeprefix(ASSESSMENT_PREFIX), "--submission", str(SUBMISSION)
        )
        if code != 1 or not named(result, quad):
            missed.append((what, str(quad), code, result["differences"][:2]))
        with open_store(location) as store:
            change(store, added, removed)
    assert missed == [], "\n".join(map(str, missed))
    code, result = run_verify(location, "--all")
    assert code == 0, result


def test_a_changed_score_is_named_as_a_score(location):
    (only,) = record(location, 1)
    with open_store(location) as store:
        score = next(
            q
            for q in store.graph_quads(only)
            if "/score/indicator/" in q.subject.value and q.predicate.value == DZ + "value"
        )
        change(
            store,
            [score],
            [
                ox.Quad(
                    score.subject,
                    score.predicate,
                    ox.Literal("99", datatype=score.object.datatype),
                    score.graph_name,
                )
            ],
        )
    code, result = run_verify(location, only)
    assert code == 1
    scores = [d for d in result["differences"] if d["check"] == "score"]
    assert scores and "indicator/" in scores[0]["message"] and '"99"' in scores[0]["message"]
    assert any(d["check"] == "digest" for d in result["differences"])


def test_digest_is_the_sha256_of_the_sorted_canonical_nquads(location):
    (only,) = record(location, 1)
    with open_store(location) as store:
        quads = store.graph_quads(only)
    stated = next(q.object.value for q in quads if q.predicate.value == DZ + "contentDigest")
    import hashlib

    lines = sorted({f"{q} .\n".encode() for q in quads if q.predicate.value not in SEAL_PREDICATES})
    assert stated == "sha256:" + hashlib.sha256(b"".join(lines)).hexdigest()
    assert stated == content_digest(quads, only)


def test_a_broken_chain_is_reported_with_the_two_assessments(location):
    first, second, third = record(location, 3)
    with open_store(location) as store:
        links = {
            q.subject.value: q.object.value
            for g in (second, third)
            for q in store.graph_quads(g)
            if q.predicate.value == DZ + "previousAssessment"
        }
        assert links == {second: first, third: second}
        store.remove_assessment(second)  # an assessment taken out of the middle
    code, result = run_verify(location, "--all", "--no-rederive")
    assert code == 1
    chain = [d for d in result["differences"] if d["check"] == "chain"]
    assert [(d["assessment"], d["other"]) for d in chain] == [(third, first)]
    assert second in chain[0]["message"] and first in chain[0]["message"]


def test_store_check_runs_the_digest_check(location):
    (only,) = record(location, 1)
    runner = CliRunner()
    ok = runner.invoke(main_group, ["store", "check", "--no-shapes", "--store", location])
    assert ok.exit_code == 0, ok.output
    with open_store(location) as store:
        q = next(q for q in store.graph_quads(only) if q.predicate.value == DZ + "total")
        change(
            store, [q], [ox.Quad(q.subject, q.predicate, changed_object(q.object), q.graph_name)]
        )
    bad = runner.invoke(
        main_group, ["store", "check", "--no-shapes", "--store", location, "--json"]
    )
    assert bad.exit_code == 1
    assert any(f["check"] == "digest" for f in json.loads(bad.stdout)["findings"])


def test_signed_assessments_verify_and_a_forged_signature_is_caught(location, monkeypatch):
    monkeypatch.setenv("DEMOZONE_SIGNING_KEY", base64.b64encode(bytes(range(32))).decode())
    _first, second = record(location)
    code, result = run_verify(location, "--all")
    assert code == 0, result
    with open_store(location) as store:
        keys = [g for g in store.graph_counts() if "/graph/key/" in g]
        assert len(keys) == 1
        signature = next(
            q for q in store.graph_quads(second) if q.predicate.value == DZ + "signature"
        )
        forged = ox.Literal(base64.b64encode(bytes(64)).decode())
        change(
            store,
            [signature],
            [ox.Quad(signature.subject, signature.predicate, forged, signature.graph_name)],
        )
    code, result = run_verify(location, second, "--no-rederive")
    assert code == 1
    assert [d["check"] for d in result["differences"]] == ["signature"]


def test_an_assessment_recorded_when_judgments_were_named_by_index_alone_still_verifies(
    tmp_path, kb_store_template
):
    # Before judgments were named for their clause and assessor, a judgment's node was
    # <assessment>/fact/judgment%3A<n> and the store held its clause and assessor as triples.
    from demozone.provenance.graph import AssessmentGraph
    from demozone.provenance.terms import nquads_text, parse_nquads

    location = str(copy_store(kb_store_template, tmp_path / "store"))
    scored = assess(SUBMISSION, write=False)
    graph = AssessmentGraph(scored.id, scored.result, scored.submission, scored.receipt)
    built = parse_nquads(nquads_text(graph.lines(), f"<{graph.iri.value}>"))

    def older(term):
        if isinstance(term, ox.NamedNode) and "/fact/judgment%3A" in term.value:
            head, _, tail = term.value.partition("/fact/judgment%3A")
            return ox.NamedNode(f"{head}/fact/judgment%3A{tail.split('%3A')[0]}")
        return term

    quads = [ox.Quad(older(q.subject), q.predicate, older(q.object), q.graph_name) for q in built]
    assert any(q.subject.value.endswith("/fact/judgment%3A0") for q in quads)
    with open_store(location) as store:
        graph = store.write_assessment(quads)
        assert any(q.predicate.value == DZ + "judgedClause" for q in store.graph_quads(graph))
    code, result = run_verify(
        location, graph.removeprefix(ASSESSMENT_PREFIX), "--submission", str(SUBMISSION)
    )
    assert (code, result["differences"]) == (0, [])
