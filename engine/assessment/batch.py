"""Many submissions at once: validate them, score them, record them together.

`assess_many(paths, ...)` is `assess` for a batch:

1. each file is loaded and validated, then scored and its provenance built and sealed
   (provenance.AssessmentGraph, store.seal_lines), by worker processes when there are several
   (each with its own durable-rules engine: the adapter's one-session-at-a-time rule holds per
   process), else in this process, by the thread that feeds the store's bulk loader
   (bulkload.py);
2. the sealed assessments stream into the store as one batch (store.write_batch) while the
   rest are scored: on the embedded store one atomic bulk ingestion, so the batch is recorded
   whole or not at all, also when the process is killed;
3. a file with a problem stops the batch: the files after it are only validated, and the
   InputError lists the problems of every file; nothing is written.

A pool is started before the store is opened, so no worker inherits an open store.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import multiprocessing
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from demozone.assessment.assess import Assessment, load_for_scoring
from demozone.common.errors import DemozoneBug, InputError
from demozone.kb import load as kb
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.receipt import receipt
from demozone.provenance.rulesetgraph import rule_set_graph_of
from demozone.rules.lookup import rules_of
from demozone.scoring.aggregate import score
from demozone.store.location import open_store
from demozone.store.seal import Sealed, seal_lines


def assess_many(
    paths: Sequence[str | Path],
    *,
    system: str | None = None,
    store: str | None = None,
    engine: str = "rete",
    write: bool = True,
    workers: int | None = None,
    results: bool = True,
    evidence_root: Path | None = None,
    progress: Callable[[], None] | None = None,
) -> list[Assessment]:
    """Score every submission file in `paths` and (unless write=False) record the assessments
    as one batch: all of them or, on any error, none.

    `system` and `engine` are as in `assess`, for every file. `workers`: processes that score
    (default `default_workers()`; 1 scores in this process, beside the store's writer).
    `results=False` leaves each Assessment's `result` and `submission` None (a large batch need
    not carry them back); ids, IRIs and receipts are always there. `evidence_root` as in
    `assess`; `progress()` is called once per file as it is done (scored, or only checked after
    a problem). Raises InputError listing the
    problems of every unusable file, with nothing written; StoreError when the store cannot
    take the batch.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    if system:
        rules_of(system)  # an unknown system is the user's mistake, named before any work
    count = workers if workers is not None else default_workers()
    pool = _pool(count) if count > 1 and len(paths) > 1 else None
    try:
        problems: list = []
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        # Built as they are taken: once a problem is found, the files after it are only checked.
        tasks = (
            (
                path,
                system,
                engine,
                f"{stamp}-{suffix}",
                write,
                results,
                bool(problems),
                evidence_root,
            )
            for path, suffix in zip(paths, _suffixes(len(paths)), strict=True)
        )
        outcomes = _outcomes(pool, count, len(paths), _score, tasks)
        usable = _usable(outcomes, problems, progress)
        if not write:
            return [_assessment(outcome) for outcome in usable]
        done: list[Assessment] = []
        # pulled by the store's writer while it loads (bulkload.py)
        sealed = _sealed(usable, done)
        with open_store(store) as target, collecting_less():
            target.write_batch(sealed)
        return done
    finally:
        if pool is not None:
            pool.close()
            pool.join()


@contextlib.contextmanager
def collecting_less():
    """Python's cycle collector, while a batch is scored and written, leaves alone what was
    there before (the knowledge base, compiled rules) and runs less often: otherwise it walks
    that heap again and again, a tenth of a large batch's time. What a submission leaves behind
    is freed by reference counting; the collector still runs, only later."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def default_workers() -> int:
    """Scoring processes when none are asked for: one per core (the store's writer, Oxigraph's
    bulk loader, waits for a million quads before it sorts and writes them, so until then a
    core of its own would be idle); one on a single core, which scores in this process."""
    # Measured on the 2-core VM, quiet, 3,000 synthetic submissions of 984 quads each:
    # two scoring processes beside the writer took 43-46 s (76-81 s CPU), one took 51-52 s
    # (71 s CPU). With 1,144 quads each (before the store left more to the rule set graph), a
    # second process was the slower: the writer, not scoring, was the longer of the two.
    return max(1, os.cpu_count() or 1)


def _pool(workers: int):
    # fork: the workers start with the knowledge base this process has loaded
    kb.load_kb()
    return multiprocessing.get_context("fork").Pool(workers)


def _outcomes(pool, workers: int, n: int, func, tasks: Iterable[tuple]) -> Iterator:
    """func(*task) for each of the n tasks, in order, by the pool or here, lazily: a task is
    taken when its result is about to be needed.

    The pool gets chunks of tasks, at most two per worker in flight: a producer faster than the
    store's writer waits instead of piling up results in memory.
    """
    tasks = iter(tasks)
    if pool is None:
        return (func(*task) for task in tasks)
    size = max(1, min(16, n // (8 * workers)))
    chunks = iter(lambda: [*itertools.islice(tasks, size)], [])
    return (r for done in _bounded(pool, ((func, c) for c in chunks), 2 * workers) for r in done)


def _bounded(pool, chunks: Iterable, limit: int):
    """The results of each chunk in order, with at most `limit` chunks submitted ahead."""
    pending = collections.deque()
    for chunk in chunks:
        pending.append(pool.apply_async(_run_chunk, chunk))
        if len(pending) >= limit:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _run_chunk(func, tasks: list) -> list:
    return [func(*task) for task in tasks]


def _suffixes(n: int) -> list[str]:
    """n distinct random hex suffixes: the assessments of one batch never share an id, even
    for the same submission given twice."""
    found: dict[str, None] = {}
    while len(found) < n:
        found[secrets.token_hex(3)] = None
    return list(found)


def _score(
    path,
    system,
    engine: str,
    id_tail: str,
    write: bool,
    results: bool,
    check_only: bool,
    evidence_root=None,
):
    """One submission file loaded and, unless `check_only`, scored: (assessment id, receipt,
    (sealed TriG, rule set graph used, rule set) when written, result, submission when asked
    for). The file's InputError, when it has a problem; None when it was only checked."""
    try:
        submission, rule_set, kb_system = load_for_scoring(path, system, evidence_root)
    except InputError as err:
        return err
    if check_only:
        return None
    assessment_id = f"{submission.id}-{id_tail}"  # as `assess` forms them: SUBMISSION-TIME-HEX
    result = score(rule_set, kb_system, submission, engine)
    entries = receipt(submission, rule_set)
    sealed = None
    if write:
        graph = AssessmentGraph(assessment_id, result, submission, entries)
        uses = graph.rule_set_graph.iri.value if graph.rule_set_graph else None
        sealed = (seal_lines(graph.iri.value, graph.stored_lines()), uses, rule_set.system)
    kept = (result, submission) if results else (None, None)
    return assessment_id, entries, sealed, *kept


def _usable(outcomes, problems: list, progress=None) -> Iterator:
    """The scored outcomes, in order, while no file has had a problem (`problems` collects
    every file's); at the end an InputError listing them, when there are any."""
    for outcome in outcomes:
        if progress is not None:
            progress()
        if isinstance(outcome, InputError):
            problems.extend(outcome.problems)
        elif outcome is not None and not problems:
            yield outcome
    if problems:
        raise InputError(problems)


def _assessment(done, iri: str | None = None) -> Assessment:
    assessment_id, entries, _sealed, result, submission = done
    return Assessment(assessment_id, iri, result, entries, submission)


def _sealed(scored, done: list[Assessment]) -> Iterator[Sealed]:
    """Each scored outcome as the store takes it (its sealed TriG with the rule set graph it
    uses), noting each as an Assessment in `done`."""
    shared: dict[str, str] = {}  # rule set graph IRI -> N-Quads, built here once each
    for outcome in scored:
        assessment_id, _entries, (trig, uses, rule_set), *_kept = outcome
        iri = AssessmentGraph.iri_of(assessment_id)
        done.append(_assessment(outcome, iri))
        if uses is not None and uses not in shared:
            shared[uses] = _rule_set_graph_text(rule_set, uses)
        yield Sealed(iri, trig, ((uses, shared[uses]),) if uses is not None else ())


def _rule_set_graph_text(name: str, iri: str) -> str:
    rules = rules_of(name)
    graph = rule_set_graph_of(rules, kb.get_system(rules.kb_system))
    if graph.iri.value != iri:
        raise DemozoneBug(f"an assessment uses the rule set graph {iri}, not {graph.iri.value}")
    return graph.text
