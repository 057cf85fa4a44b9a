"""The store suite: the same tests against the embedded store and a real SPARQL server.

The server is `oxigraph serve` started by the session fixture `oxigraph_server` (tests/conftest.py)
on 127.0.0.1 with a free port and the knowledge base loaded; it is stopped at the end.
"""

from __future__ import annotations

import json
import uuid

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common.errors import StoreError
from demozone.store import check as storecheck
from demozone.store.base import BaseStore, Store
from demozone.store.history import history
from demozone.store.location import open_store
from demozone.store.seal import canonical, current_kb_digest, seal
from demozone.store.terms import DZ, KB_GRAPH, assessment_iri

from .conftest import fake_assessment, tamper


def location_of(store: BaseStore) -> str:
    return store.location


def _write(store, submission: str, **kwargs) -> str:
    _id, quads = fake_assessment(submission, **kwargs)
    return store.write_assessment(quads)


def test_both_backends_provide_the_store_interface(store):
    assert isinstance(store, Store)
    assert store.kind in ("embedded", "remote")


def test_the_knowledge_base_lives_in_its_named_graph(store):
    counts = store.graph_counts()
    assert counts[KB_GRAPH.value] > 40_000
    assert store.kb_digest() == current_kb_digest()
    assert store.default_count() == 0


def test_an_assessment_is_written_whole_into_its_own_graph(store):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    assessment_id, quads = fake_assessment(sub)
    iri = store.write_assessment(quads)
    assert iri == assessment_iri(assessment_id).value
    stored = store.graph_quads(iri)
    assert {q.graph_name for q in stored} == {ox.NamedNode(iri)}
    marker = [q for q in stored if q.predicate.value == DZ + "tripleCount"]
    assert len(marker) == 1 and int(marker[0].object.value) == len(stored)
    # everything the provenance builder produced is there (plus the marker and recording time)
    assert (
        set(canonical(quads)) <= set(stored) and len(stored) == len(set(quads)) + 3
    )  # recorded at, digest, count
    [info] = store.assessments(sub)
    assert (info.iri, info.submission, info.system) == (iri, sub, "national-2022")
    assert info.total == "5.5" and info.passed is False and info.max_points == "18"
    assert info.id == assessment_id


def test_the_first_assessment_brings_the_knowledge_base_along(empty_store):
    iri = _write(empty_store, "first")
    counts = empty_store.graph_counts()
    assert set(counts) == {iri, KB_GRAPH.value}
    assert storecheck.check(empty_store, shapes=False).ok


def test_rescoring_adds_an_assessment_and_never_overwrites_one(store):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    _id, quads = fake_assessment(sub)
    first = store.write_assessment(quads)
    second = _write(store, sub, shift=1, time_stamp="2026-01-02T00:00:00Z")
    assert first != second
    before = store.graph_quads(first)
    with pytest.raises(StoreError, match="never overwritten"):
        store.write_assessment(quads)
    assert store.graph_quads(first) == before or set(store.graph_quads(first)) == set(before)
    assert [a.iri for a in store.assessments(sub)] == [first, second]


def test_history_lists_assessments_and_what_changed(store):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    first = _write(store, sub, judgments=(("expert-li", "1.1", True),))
    second = _write(
        store,
        sub,
        bonus=1,
        judgments=(("expert-li", "1.1", True), ("expert-wang", "1.1", False)),
        time_stamp="2026-01-02T00:00:00Z",
    )
    result = history(store, sub)
    assert [a["iri"] for a in result["assessments"]] == [first, second]
    run = result["assessments"][1]
    assert run["indicators"]["1"] == "1.5" and run["total"] == "11.5" and run["passed"] is True
    assert {j["author"] for j in run["judgments"]} == {"expert-li", "expert-wang"}
    assert all(j["time"] for j in run["judgments"])
    [change] = result["changes"]
    assert change["total"] == {"from": "5.5", "to": "11.5", "delta": "+6"}
    assert change["passed"] == {"from": False, "to": True, "changed": True}
    assert {i["number"]: i["delta"] for i in change["indicators"]} == {
        str(n): "+1" for n in range(1, 7)
    }
    assert change["judgments"]["added"] == [
        {
            "author": "expert-wang",
            "author_name": "expert-wang",
            "clause": "1.1",
            "label": "条款1.1评审意见",
            "satisfied": False,
        }
    ]
    assert change["judgments"]["removed"] == []
    assert history(store, "no-such-submission")["assessments"] == []


def test_one_assessment_is_read_exported_and_removed_as_a_unit(store):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    keep = _write(store, sub)
    assessment_id, quads = fake_assessment(sub, shift=2)
    drop = store.write_assessment(quads)
    exported = store.assessment_quads(assessment_id)
    # recorded at, digest, count, and the link to the earlier assessment and its digest
    assert exported == store.graph_quads(drop) and len(exported) == len(set(quads)) + 5
    kb_before = store.graph_counts()[KB_GRAPH.value]
    assert store.remove_assessment(assessment_id) == len(exported)
    assert [a.iri for a in store.assessments(sub)] == [keep]
    assert store.graph_counts()[KB_GRAPH.value] == kb_before
    with pytest.raises(StoreError, match="no assessment"):
        store.assessment_quads(assessment_id)


def test_store_check_passes_on_whole_assessments_and_finds_a_partial_one(store):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    _write(store, sub)
    report = storecheck.check(store)
    assert report.ok, [f.render() for f in report.findings]
    assert report.assessments == report.complete == 1
    assert not [f for f in report.findings if f.code == "shapes" and f.severity == "error"]
    # a partial assessment (one triple short), as a store without transactions could leave it
    _id, quads = fake_assessment(sub, shift=3)
    _graph, sealed = seal(quads)
    partial = [q for q in sealed if q.predicate.value != DZ + "total"]
    tamper(store, add=partial)
    report = storecheck.check(store, shapes=False)
    assert not report.ok and report.complete == 1 and report.assessments == 2
    messages = " ".join(f.message for f in report.findings if f.severity == "error")
    assert "incomplete" in messages and "total" in messages


def test_store_info_counts_every_graph(store):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    iri = _write(store, sub)
    result = storecheck.info(store)
    graphs = {g["graph"]: g for g in result["graphs"]}
    assert graphs[iri]["kind"] == "assessment"
    assert graphs[iri]["triples"] == len(store.graph_quads(iri))
    assert graphs[KB_GRAPH.value]["kind"] == "kb"
    assert result["kb"] == {**result["kb"], "loaded": True, "up_to_date": True}
    assert result["triples"] == sum(g["triples"] for g in result["graphs"])


SERVER = pytest.mark.server


@pytest.mark.parametrize(
    ("store", "empty_store", "suffix"),
    [
        ("embedded", "embedded", ".nq"),
        ("embedded", "embedded", ".trig"),
        pytest.param("remote", "remote", ".nq", marks=SERVER),
        pytest.param("remote", "remote", ".trig", marks=SERVER),
        pytest.param("embedded", "remote", ".trig", marks=SERVER),
        pytest.param("remote", "embedded", ".nq", marks=SERVER),
    ],
    indirect=["store", "empty_store"],
)
def test_backup_then_restore_into_an_empty_store_gives_the_same_triples(
    store, empty_store, tmp_path, suffix
):
    """Within each backend and across them: a backup restores into either kind of store."""
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    _write(store, sub)
    _write(store, sub, shift=1, judgments=(("专家·李", "1.1", True),))
    backup = tmp_path / f"backup{suffix}"
    n = store.backup(backup)
    original = set(store.dataset_quads())
    assert n == len(original) and backup.stat().st_size > 0
    assert empty_store.restore(backup) == n
    assert set(empty_store.dataset_quads()) == original
    assert storecheck.check(empty_store, shapes=False).ok
    # and a second round trip writes the same file content
    again = tmp_path / f"again{suffix}"
    empty_store.backup(again)
    assert set(ox.parse(path=str(again))) == set(ox.parse(path=str(backup))) == original


def test_a_real_assessment_is_recorded_whole_and_rescoring_adds_one(store, national_submission):
    from demozone.assessment.assess import assess

    where = store.location
    if store.kind == "embedded":
        store.close()  # assess() opens the embedded store itself
    first = assess(national_submission, store=where)
    second = assess(national_submission, store=where, engine="direct")
    assert first.iri != second.iri
    reopened = open_store(where, create=False)
    try:
        report = storecheck.check(reopened, shapes=False)
        assert report.ok and report.assessments == report.complete == 2
        result = history(reopened, first.result.submission_id)
    finally:
        reopened.close()
    assert [a["iri"] for a in result["assessments"]] == [first.iri, second.iri]
    [change] = result["changes"]
    assert (
        change["total"]["delta"] == "0" and change["indicators"] == []
    )  # same inputs, same scores
    run = result["assessments"][0]
    assert len(run["indicators"]) == len(first.result.indicators)
    assert run["judgments"] and all(j["author"] for j in run["judgments"])


def test_restore_refuses_a_store_that_holds_data(store, tmp_path):
    backup = tmp_path / "b.nq"
    store.backup(backup)
    with pytest.raises(StoreError, match="empty store"):
        store.restore(backup)


def test_load_kb_replaces_the_knowledge_base_graph(store):
    stray = ox.Quad(KB_GRAPH, ox.NamedNode(DZ + "note"), ox.Literal("stray"), KB_GRAPH)
    before = store.graph_counts()[KB_GRAPH.value]
    tamper(store, add=[stray])
    assert store.graph_counts()[KB_GRAPH.value] == before + 1
    assert not storecheck.check(store, shapes=False).ok  # the marker no longer matches
    assert store.load_kb() == before
    assert store.graph_counts()[KB_GRAPH.value] == before
    assert storecheck.check(store, shapes=False).ok


# -- the CLI, on both backends -------------------------------------------------------------


def _cli(*args: str):
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


def test_cli_history_info_check_export_remove(store, tmp_path):
    sub = f"sub-{uuid.uuid4().hex[:8]}"
    _write(store, sub)
    assessment_id, quads = fake_assessment(sub, bonus=1, time_stamp="2026-01-02T00:00:00Z")
    store.write_assessment(quads)
    where = location_of(store)
    if store.kind == "embedded":
        store.close()  # one process at a time on an embedded store
    result = _cli("history", sub, "--store", where, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["assessments"]) == 2 and data["changes"][0]["passed"]["changed"]
    text = _cli("history", sub, "--store", where)
    assert (
        text.exit_code == 0
        and "评估结论：不合格 → 合格" in text.output
        and "指标1：" in text.output
    )
    info = _cli("store", "info", "--store", where, "--json")
    assert info.exit_code == 0 and json.loads(info.output)["assessments"] >= 2
    check = _cli("store", "check", "--store", where, "--no-shapes", "--json")
    assert check.exit_code == 0 and json.loads(check.output)["ok"]
    out = tmp_path / "one.trig"
    exported = _cli("store", "export", assessment_id, str(out), "--store", where)
    assert exported.exit_code == 0 and out.stat().st_size > 0
    assert _cli("store", "remove", assessment_id, "--store", where).exit_code == 2  # needs --yes
    removed = _cli("store", "remove", assessment_id, "--yes", "--store", where, "--json")
    own = [q for q in ox.parse(path=str(out)) if q.graph_name == assessment_iri(assessment_id)]
    assert removed.exit_code == 0 and json.loads(removed.output)["triples"] == len(own)
    after = json.loads(_cli("history", sub, "--store", where, "--json").output)
    assert len(after["assessments"]) == 1


def test_cli_backup_and_restore_round_trip(store, tmp_path):
    _write(store, f"sub-{uuid.uuid4().hex[:8]}")
    where = location_of(store)
    original = set(store.dataset_quads())
    if store.kind == "embedded":
        store.close()
    backup = tmp_path / "all.nq"
    result = _cli("store", "backup", str(backup), "--store", where, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["quads"] == len(original)
    target = tmp_path / "restored"
    result = _cli("store", "restore", str(backup), "--store", str(target), "--json")
    assert result.exit_code == 0, result.output
    restored = open_store(str(target), create=False)
    try:
        assert set(restored.dataset_quads()) == original
    finally:
        restored.close()
    again = _cli("store", "restore", str(backup), "--store", str(target))
    assert again.exit_code == 2 and "empty store" in again.output


def test_cli_store_check_exits_1_on_an_incomplete_assessment(store):
    _id, quads = fake_assessment(f"sub-{uuid.uuid4().hex[:8]}")
    _graph, sealed = seal(quads)
    tamper(store, add=sealed[:-1])  # the marker is missing
    where = location_of(store)
    if store.kind == "embedded":
        store.close()
    result = _cli("store", "check", "--store", where, "--no-shapes")
    assert result.exit_code == 1 and "incomplete" in result.output and "FAILED" in result.output
