"""Many submissions at once: validate them all, score them, record them together.

`assess_many(paths, ...)` is `assess` for a batch:

1. every file is loaded and validated first; if any has a problem, the InputError lists the
   problems of every file and nothing is written;
2. each submission is scored and its provenance built and sealed (provenance.AssessmentGraph,
   store.seal_lines), by worker processes when there are several (each with its own
   durable-rules engine: the adapter's one-session-at-a-time rule holds per process), else in
   this process, by the thread that feeds the store's bulk loader (bulkload.py);
3. the sealed assessments stream into the store as one batch (store.write_batch): on the
   embedded store one atomic bulk ingestion, so the batch is recorded whole or not at all, also
   when the process is killed.

A pool is started before the store is opened, so no worker inherits an open store.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
import secrets
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from . import kb
from .assess import Assessment, load_for_scoring, rules_of
from .errors import DemozoneBug, InputError
from .provenance import AssessmentGraph, rule_set_graph_of
from .receipt import receipt
from .scoring import score
from .store import Batch, open_store, seal_lines


def assess_many(
    paths: Sequence[str | Path],
    *,
    system: str | None = None,
    store: str | None = None,
    engine: str = "rete",
    write: bool = True,
    workers: int | None = None,
    results: bool = True,
) -> list[Assessment]:
    """Score every submission file in `paths` and (unless write=False) record the assessments
    as one batch: all of them or, on any error, none.

    `system` and `engine` are as in `assess`, for every file. `workers`: processes that score
    (default `default_workers()`; 1 scores in this process, beside the store's writer).
    `results=False` leaves each Assessment's `result` and `submission` None (a large batch need
    not carry them back); ids, IRIs and receipts are always there. Raises InputError listing the
    problems of every unusable file before anything is scored or written; StoreError when the
    store cannot take the batch.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    if system:
        rules_of(system)  # an unknown system is the user's mistake, named before any work
    count = workers if workers is not None else default_workers()
    pool = _pool(count) if count > 1 and len(paths) > 1 else None
    try:
        run = _runner(pool, count, len(paths))
        # Scored here, a submission loaded to validate it is scored as loaded; a worker loads
        # it again (sending it over would cost more than reading it).
        checked = run(_validate, [(path, system, pool is None) for path in paths])
        problems = [p for entry in checked if isinstance(entry, InputError) for p in entry.problems]
        if problems:
            raise InputError(problems)
        ids = _assessment_ids([sub_id for sub_id, _rule_set, _loaded in checked])
        tasks = collections.deque(
            (loaded or path, system, engine, ids[i], write, results)
            for i, (path, (_sub_id, _rule_set, loaded)) in enumerate(
                zip(paths, checked, strict=True)
            )
        )
        if not write:
            return [_assessment(done) for done in run(_score, tasks)]
        shared = _rule_set_graphs({rule_set for _sub_id, rule_set, _loaded in checked})
        done: list[Assessment] = []
        # produced lazily: the store's writer pulls them while it loads (bulkload.py)
        scored = _recorded(run(_score, tasks, lazy=True), shared, done)
        with open_store(store) as target, _collecting_less():
            graphs = tuple(AssessmentGraph.iri_of(i) for i in ids)
            target.write_batch(Batch(graphs, scored, tuple(shared.items())))
        return done
    finally:
        if pool is not None:
            pool.close()
            pool.join()


@contextlib.contextmanager
def _collecting_less():
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
    """Scoring processes when none are asked for: one per core but the one the store's writer
    (Oxigraph's bulk loader, most of a batch's work) keeps busy; at least one."""
    return max(1, (os.cpu_count() or 1) - 1)


def _rule_set_graphs(names: set[str]) -> dict[str, str]:
    """IRI -> N-Quads of the rule set graph of each rule set named."""
    shared = {}
    for name in sorted(names):
        rules = rules_of(name)
        graph = rule_set_graph_of(rules.system, [r.id for r in rules.rules()], rules.files)
        shared[graph.iri.value] = graph.text
    return shared


def _pool(workers: int):
    # fork: the workers start with the knowledge base this process has loaded
    kb.load_kb()
    return multiprocessing.get_context("fork").Pool(workers)


def _runner(pool, workers: int, n: int):
    """run(func, tasks): func(*task) for each task, in order, by the pool or here (taking each
    task off the list as it goes, so what it holds is freed).

    The pool gets chunks of tasks, at most two per worker in flight: a producer faster than the
    store's writer waits instead of piling up results in memory.
    """
    size = max(1, min(16, n // (8 * workers)))

    def run(func, tasks, *, lazy: bool = False):
        if pool is None:
            queue = collections.deque(tasks)
            found = (func(*queue.popleft()) for _ in range(len(queue)))
        else:
            tasks = list(tasks)
            chunks = [(func, tasks[i : i + size]) for i in range(0, len(tasks), size)]
            found = (r for done in _bounded(pool, chunks, 2 * workers) for r in done)
        return found if lazy else list(found)

    return run


def _bounded(pool, chunks: list, limit: int):
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


def _validate(path: Path, system: str | None, keep: bool):
    """(submission id, rule set, what was loaded if `keep`) of a usable file, else its
    InputError."""
    try:
        loaded = load_for_scoring(path, system)
    except InputError as err:
        return err
    submission, rule_set, _kb_system = loaded
    return submission.id, rule_set.system, loaded if keep else None


def _assessment_ids(submission_ids: list[str]) -> list[str]:
    """One new assessment id per submission, as `assess` forms them: SUBMISSION-TIME-HEX."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    ids: list[str] = []
    seen: set[str] = set()
    for sub_id in submission_ids:
        while (candidate := f"{sub_id}-{stamp}-{secrets.token_hex(3)}") in seen:
            pass
        seen.add(candidate)
        ids.append(candidate)
    return ids


def _score(source, system, engine: str, assessment_id: str, write: bool, results: bool):
    """One submission (a file, or what `load_for_scoring` made of it) scored: its receipt, its
    sealed TriG when written, and the score result and submission when asked for."""
    loaded = source if isinstance(source, tuple) else load_for_scoring(source, system)
    submission, rule_set, kb_system = loaded
    result = score(rule_set, kb_system, submission, engine)
    entries = receipt(submission, rule_set.files)
    sealed = uses = None
    if write:
        graph = AssessmentGraph(assessment_id, result, submission, entries)
        sealed = seal_lines(graph.iri.value, graph.lines())
        uses = graph.rule_set_graph.iri.value if graph.rule_set_graph else None
    kept = (result, submission) if results else (None, None)
    return assessment_id, entries, (sealed, uses), *kept


def _assessment(done, iri: str | None = None) -> Assessment:
    assessment_id, entries, _sealed, result, submission = done
    return Assessment(assessment_id, iri, result, entries, submission)


def _recorded(scored, shared: dict[str, str], done: list[Assessment]) -> Iterator[bytes]:
    """The sealed TriG of each scored submission, in order, noting each as an Assessment."""
    for item in scored:
        sealed, uses = item[2]
        if uses is not None and uses not in shared:
            raise DemozoneBug(f"an assessment uses the rule set graph {uses}, not in the batch")
        done.append(_assessment(item, AssessmentGraph.iri_of(item[0])))
        yield sealed
