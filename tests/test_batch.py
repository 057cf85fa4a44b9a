"""Scoring many submissions as one batch (assess_many, `demozone score FILE...`): every file
validated (the rest only checked after a problem), each assessment recorded whole with its completeness marker, the rule set's
static descriptions in one shared graph, and all or nothing, also across kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from demozone.assessment import batch
from demozone.assessment.assess import assess
from demozone.assessment.batch import assess_many
from demozone.assessment.resolve import resolve_assessment
from demozone.cli import main_group
from demozone.common.errors import InputError, StoreError
from demozone.common.hashing import sha256_tree, tree_sha256
from demozone.kb.graph import kb_graph
from demozone.provenance.digest import SEAL_PREDICATES
from demozone.provenance.export import export_graph, validate
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.rulesetgraph import RULE_SET_GRAPH_PREFIX
from demozone.rules.lookup import rules_of
from demozone.store import check as storecheck
from demozone.store.embedded import EmbeddedStore
from demozone.store.location import open_store
from demozone.store.seal import Sealed, canonical, seal, seal_lines, used_graphs
from demozone.store.terms import DZ, PROV
from demozone.submission.synthetic import synthetic_document

from .conftest import ROOT, copy_store, tamper

EXAMPLES = ROOT / "examples"
SUBMISSIONS = [
    EXAMPLES / "national-2022" / "submission.yaml",
    EXAMPLES / "national-2024-draft" / "submission.yaml",
    EXAMPLES / "hejin-2023" / "submission.yaml",
]
INVALID = [EXAMPLES / "invalid" / "missing-region.yaml", EXAMPLES / "invalid" / "bad-id.yaml"]


def synthetic_files(directory: Path, n: int, start: int = 0) -> list[Path]:
    rules = rules_of("national-2022")
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(start, start + n):
        path = directory / f"s{seed}.json"
        path.write_text(json.dumps(synthetic_document(rules, seed), ensure_ascii=False), "utf-8")
        paths.append(path)
    return paths


def _graphs(location: Path) -> dict[str, int]:
    with open_store(str(location), create=False) as opened:
        return opened.graph_counts()


def _marker(quads: list[ox.Quad]) -> int:
    [count] = [int(q.object.value) for q in quads if q.predicate.value == DZ + "tripleCount"]
    return count


def test_a_batch_records_every_assessment_whole_and_each_rule_set_graph_once(
    kb_store_template, tmp_path
):
    location = copy_store(kb_store_template, tmp_path / "store")
    files = [*synthetic_files(tmp_path / "in", 6), *SUBMISSIONS]
    done = assess_many(files, store=str(location), workers=2)
    assert [a.submission.file for a in done] == [str(f) for f in files]
    assert len({a.iri for a in done}) == len(files)
    with open_store(str(location), create=False) as opened:
        report = storecheck.check(opened, shapes=False)
        assert report.ok, [f.render() for f in report.findings]
        assert report.assessments == report.complete == len(files)
        counts = opened.graph_counts()
        rule_set_graphs = [g for g in counts if storecheck.graph_kind(g) == "ruleset"]
        # national-2022, national-2024-draft, hejin-2023: one graph each, sealed
        assert len(rule_set_graphs) == 3
        for graph in rule_set_graphs:
            assert _marker(opened.graph_quads(graph)) == counts[graph]
        for assessment in done:
            stored = opened.graph_quads(assessment.iri)
            assert _marker(stored) == len(stored) == counts[assessment.iri]
            built = AssessmentGraph(
                assessment.id, assessment.result, assessment.submission, assessment.receipt
            ).build()
            recorded = {q for q in stored if q.predicate.value != DZ + "tripleCount"}
            recorded = {q for q in recorded if q.predicate.value != PROV + "endedAtTime"}
            recorded = {q for q in recorded if q.predicate.value not in SEAL_PREDICATES}
            assert set(canonical(built)) == recorded
            [used] = used_graphs(stored, ox.NamedNode(assessment.iri))
            assert used in rule_set_graphs


def test_a_second_batch_reuses_the_rule_set_graph(kb_store_template, tmp_path):
    location = copy_store(kb_store_template, tmp_path / "store")
    assess_many(synthetic_files(tmp_path / "a", 3), store=str(location), workers=1)
    before = {g: n for g, n in _graphs(location).items() if storecheck.graph_kind(g) == "ruleset"}
    assess_many(synthetic_files(tmp_path / "b", 3, start=3), store=str(location), workers=2)
    after = _graphs(location)
    assert len(before) == 1 and {g: after[g] for g in before} == before
    assert sum(1 for g in after if storecheck.graph_kind(g) == "ruleset") == 1
    assert sum(1 for g in after if storecheck.graph_kind(g) == "assessment") == 6


@pytest.mark.parametrize("workers", [1, 2])
def test_every_unusable_file_is_named_and_nothing_is_written(kb_store_template, tmp_path, workers):
    location = copy_store(kb_store_template, tmp_path / "store")
    before = _graphs(location)
    files = [*synthetic_files(tmp_path / "in", 3), *INVALID, tmp_path / "absent.yaml"]
    with pytest.raises(InputError) as err:
        assess_many(files, store=str(location), workers=workers)
    named = {Path(p.file).name for p in err.value.problems}
    assert {"missing-region.yaml", "bad-id.yaml", "absent.yaml"} <= named
    assert not {f.name for f in files[:3]} & named
    assert _graphs(location) == before


def test_after_the_first_unusable_file_the_rest_are_only_checked(
    kb_store_template, tmp_path, monkeypatch
):
    """Files are validated as they are scored; once one has a problem the batch will not be
    written, so those after it are validated (their problems listed too) but not scored."""
    location = copy_store(kb_store_template, tmp_path / "store")
    scored = []
    scoring = batch.score

    def counting(rules, system, submission, engine):
        scored.append(submission.id)
        return scoring(rules, system, submission, engine)

    monkeypatch.setattr(batch, "score", counting)
    good = synthetic_files(tmp_path / "in", 6)
    files = [*good[:2], INVALID[0], *good[2:], INVALID[1]]
    with pytest.raises(InputError) as err:
        assess_many(files, store=str(location), workers=1)
    assert scored == ["synthetic-0", "synthetic-1"]
    assert [Path(p.file).name for p in err.value.problems][-1] == "bad-id.yaml"


def test_one_file_given_twice_is_two_assessments(kb_store_template, tmp_path):
    location = copy_store(kb_store_template, tmp_path / "store")
    [path] = synthetic_files(tmp_path / "in", 1)
    done = assess_many([path, path], store=str(location), workers=1, results=False)
    assert len({a.id for a in done}) == 2
    assert sum(storecheck.graph_kind(g) == "assessment" for g in _graphs(location)) == 2


def test_a_batch_naming_a_stored_or_repeated_assessment_writes_none_of_it(
    kb_store_template, tmp_path
):
    location = copy_store(kb_store_template, tmp_path / "store")
    [recorded] = assess_many(synthetic_files(tmp_path / "in", 1), store=str(location))
    before = _graphs(location)
    scored = assess(SUBMISSIONS[0], write=False)
    graph = AssessmentGraph(scored.id, scored.result, scored.submission, scored.receipt)
    fresh = Sealed(graph.iri.value, seal_lines(graph.iri.value, graph.stored_lines()))
    stored = Sealed(recorded.iri, seal_lines(recorded.iri, [f"<{recorded.iri}> a <x:y>"]))
    for batch_, complaint in [
        ([fresh, stored], "already in the store"),
        ([fresh, fresh], "twice"),
        ([Sealed(recorded.iri + "-other", fresh.trig)], "is not the assessment"),
    ]:
        with open_store(str(location)) as opened, pytest.raises(StoreError, match=complaint):
            opened.write_batch(iter(batch_))
        assert _graphs(location) == before


def test_a_failure_while_the_batch_is_written_leaves_none_of_it(
    kb_store_template, tmp_path, monkeypatch
):
    location = copy_store(kb_store_template, tmp_path / "store")
    before = _graphs(location)
    files = synthetic_files(tmp_path / "in", 8)
    scoring = batch.score

    def failing(rules, system, submission, engine):
        if submission.id == "synthetic-5":
            raise RuntimeError("the sixth submission breaks while the batch is being written")
        return scoring(rules, system, submission, engine)

    monkeypatch.setattr(batch, "score", failing)
    for workers in (1, 2):
        with pytest.raises(RuntimeError, match="sixth submission"):
            assess_many(files, store=str(location), workers=workers)
    assert _graphs(location) == before
    assert not list(location.glob("bulk-*.sst"))


def test_the_sealed_text_counts_what_the_store_keeps():
    for path in SUBMISSIONS:
        scored = assess(path, write=False)
        graph = AssessmentGraph(scored.id, scored.result, scored.submission, scored.receipt)
        text = seal_lines(graph.iri.value, graph.stored_lines())
        quads = list(ox.parse(text, format=ox.RdfFormat.TRIG))  # strict: every IRI checked
        assert _marker(quads) == len(quads) == len(canonical(quads))
        _graph, sealed = seal(graph.build())
        assert _marker(sealed) + 1 == len(quads)  # seal_lines adds the content digest too


def test_without_a_store_nothing_is_written_and_results_come_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = assess_many(SUBMISSIONS, write=False, workers=2)
    assert [a.iri for a in done] == [None] * 3
    assert [(a.result.total, a.result.passed) for a in done] == [
        (90, True),
        (79, False),
        (88, False),
    ]
    assert not list(tmp_path.iterdir())
    light = assess_many(SUBMISSIONS, write=False, workers=1, results=False)
    assert [a.result for a in light] == [None] * 3 and all(a.receipt["kb"] for a in light)


def test_a_stored_assessment_reads_back_with_its_rule_set_graph_and_exports_conforming(
    kb_store_template, tmp_path
):
    location = copy_store(kb_store_template, tmp_path / "store")
    [first, _second] = assess_many(SUBMISSIONS[:2], store=str(location), workers=2)
    resolved = resolve_assessment(first.id, str(location))
    graphs = {q.graph_name.value for q in resolved.quads}
    assert first.iri in graphs and any(g.startswith(RULE_SET_GRAPH_PREFIX) for g in graphs)
    findings = validate(export_graph(resolved.quads, kb_graph()))
    assert not [f for f in findings if f[0] == "error"], findings
    # the same triples as the assessment scored from its file without a store
    from_file = resolve_assessment(SUBMISSIONS[0])
    assert len(resolved.graph()) == len(from_file.graph())


def test_store_check_finds_an_assessment_whose_rule_set_graph_is_missing(
    kb_store_template, tmp_path
):
    location = copy_store(kb_store_template, tmp_path / "store")
    recorded = assess(SUBMISSIONS[0], store=str(location))
    with open_store(str(location), create=False) as opened:
        [shared] = used_graphs(opened.graph_quads(recorded.iri), ox.NamedNode(recorded.iri))
        tamper(opened, drop=[ox.NamedNode(shared)])
        report = storecheck.check(opened, shapes=False)
    assert not report.ok and report.complete == 0
    assert any("rule set graph" in f.message for f in report.findings)


def test_the_cli_scores_several_files_as_one_batch(kb_store_template, tmp_path):
    location = copy_store(kb_store_template, tmp_path / "store")
    files = [str(p) for p in SUBMISSIONS[:2]]
    result = CliRunner().invoke(main_group, ["score", *files, "--store", str(location), "--json"])
    assert result.exit_code == 0, result.output
    shaped = json.loads(result.stdout)
    assert [r["total"] for r in shaped] == [90, 79] and all(r["assessment"] for r in shaped)
    before = _graphs(location)
    bad = CliRunner().invoke(
        main_group, ["score", files[0], str(INVALID[0]), "--store", str(location)]
    )
    assert bad.exit_code == 2 and "missing-region.yaml" in bad.output
    assert _graphs(location) == before


def test_ctrl_c_during_a_cli_batch_aborts_it_and_writes_nothing(
    kb_store_template, tmp_path, monkeypatch
):
    """SIGINT while the batch streams into the bulk loader: `demozone score` stops with
    click's "Aborted!" and a non-zero exit, and the store holds nothing of the batch. (Here the
    signal also interrupts the loader's read of the pipe; test_bulkload pins the case where it
    does not.)"""
    location = copy_store(kb_store_template, tmp_path / "store")
    before = _graphs(location)
    scoring = batch.score

    def interrupted_at_the_fifth(rules, system, submission, engine):
        if submission.id == "synthetic-4":
            os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C in the terminal sends
        return scoring(rules, system, submission, engine)

    monkeypatch.setattr(batch, "score", interrupted_at_the_fifth)
    files = [str(p) for p in synthetic_files(tmp_path / "in", 12)]
    args = ["score", *files, "--store", str(location), "--workers", "1"]
    result = CliRunner().invoke(main_group, args)
    assert result.exit_code != 0 and "Aborted" in result.output
    assert _graphs(location) == before
    assert not list(location.glob("bulk-*.sst"))


def test_the_hash_of_kb_on_disk_is_remembered_until_a_file_changes(kb_copy):
    first = tree_sha256(kb_copy)
    assert first == sha256_tree(kb_copy) == tree_sha256(kb_copy)
    some_file = next(p for p in sorted(kb_copy.rglob("*.yaml")))
    some_file.write_text(some_file.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
    assert tree_sha256(kb_copy) == sha256_tree(kb_copy) != first


@pytest.mark.server
def test_a_batch_on_a_server_is_all_or_nothing(oxigraph_server, tmp_path, monkeypatch):
    from .conftest import reset_server

    reset_server(oxigraph_server.url)
    done = assess_many(SUBMISSIONS, store=oxigraph_server.url, workers=1)
    remote = open_store(oxigraph_server.url)
    report = storecheck.check(remote, shapes=False)
    assert report.ok and report.assessments == report.complete == 3
    before = remote.graph_counts()
    assert all(a.iri in before for a in done)
    scoring = batch.score

    def failing(rules, system, submission, engine):
        if submission.file == str(SUBMISSIONS[2]):
            raise StoreError("the third submission cannot be recorded")
        return scoring(rules, system, submission, engine)

    monkeypatch.setattr(batch, "score", failing)
    with pytest.raises(StoreError, match="third submission"):
        assess_many(SUBMISSIONS, store=oxigraph_server.url, workers=1)
    assert remote.graph_counts() == before


# -- kill -9 in the middle of a batch ------------------------------------------------------

BATCH_SCORER = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from demozone.assessment.batch import assess_many
files = sorted(Path(sys.argv[3]).glob("*.json"))
print("ready", flush=True)
done = assess_many(files, store=sys.argv[2], workers=2, results=False)
print("committed", len(done), flush=True)
"""
BATCH_KILLS = int(os.environ.get("DEMOZONE_BATCH_KILLS", "8"))


def test_kill_9_during_a_batch_leaves_all_of_it_or_none(kb_store_template, tmp_path):
    """A process scoring 40 submissions as one batch, killed with SIGKILL at a random moment,
    half of the time anywhere in its run (mostly scoring while the batch streams into the bulk
    loader), half around its end (where the loader writes its files and commits): the store
    always opens, `store check` passes, and it holds the whole batch (each assessment complete)
    or none of it."""
    seed = int(os.environ.get("DEMOZONE_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    inputs = tmp_path / "in"
    synthetic_files(inputs, 40)

    def run(location: Path, kill_after: float | None):
        scorer = subprocess.Popen(
            [sys.executable, "-c", BATCH_SCORER, str(ROOT), str(location), str(inputs)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert scorer.stdout.readline() == b"ready\n"
        started = time.monotonic()
        killer = None
        if kill_after is not None:
            killer = threading.Timer(kill_after, scorer.send_signal, (signal.SIGKILL,))
            killer.start()
        out, err = scorer.communicate(timeout=300)
        if killer is not None:
            killer.cancel()
            killer.join()
        return scorer.returncode, out, err, time.monotonic() - started

    code, out, err, life = run(copy_store(kb_store_template, tmp_path / "calibration"), None)
    assert code == 0 and b"committed 40" in out, err
    outcomes = {"committed": 0, "killed, none": 0, "killed, all": 0, "killed, loader files left": 0}
    for k in range(BATCH_KILLS):
        location = copy_store(kb_store_template, tmp_path / f"s{k}")
        when = rng.uniform(0.05, 1.0) if k % 2 else rng.uniform(0.85, 1.15)
        code, out, err, _took = run(location, when * life)
        assert code in (0, -signal.SIGKILL), err
        outcomes["killed, loader files left"] += bool(list(location.glob("bulk-*.sst")))
        with open_store(str(location), create=False) as opened:  # leftover SSTs go here
            report = storecheck.check(opened, shapes=False)
            present = len(opened.assessments())
        context = (seed, k, [f.render() for f in report.findings])
        assert report.ok and report.complete == report.assessments == present, context
        assert present in (0, 40), context
        assert not list(location.glob("bulk-*.sst")), context
        if code == 0:
            assert present == 40, context
            outcomes["committed"] += 1
        else:
            outcomes["killed, all" if present else "killed, none"] += 1
    print(
        f"\n{BATCH_KILLS} runs killed at random (seed {seed}, a run takes {life:.1f} s): {outcomes}"
    )
    assert outcomes["killed, none"] + outcomes["killed, all"] > 0


def test_store_export_of_an_assessment_carries_the_rule_set_graph_it_uses(
    kb_store_template, tmp_path
):
    location = copy_store(kb_store_template, tmp_path / "store")
    recorded = assess(SUBMISSIONS[0], store=str(location))
    out = tmp_path / "one.nq"
    result = CliRunner().invoke(
        main_group, ["store", "export", recorded.id, str(out), "--store", str(location)]
    )
    assert result.exit_code == 0, result.output
    graphs = {q.graph_name.value for q in ox.parse(path=str(out))}
    assert recorded.iri in graphs
    assert any(g.startswith(RULE_SET_GRAPH_PREFIX) for g in graphs)


def test_a_batch_leaves_the_cycle_collector_as_it_found_it(
    kb_store_template, tmp_path, monkeypatch
):
    """While a batch is written the collector leaves the heap already there alone (frozen) and
    runs less often; afterwards its thresholds and the frozen heap are as before."""
    import gc

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    location = copy_store(kb_store_template, tmp_path / "store")
    seen = []
    real = EmbeddedStore.write_batch

    def watching(self, batch_):
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real(self, batch_)

    monkeypatch.setattr(EmbeddedStore, "write_batch", watching)
    assess_many(synthetic_files(tmp_path / "in", 3), store=str(location), results=False)
    [(during, frozen_during)] = seen
    assert during[0] > before[0] and frozen_during > frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
