"""Scoring throughput: N synthetic national-2022 submissions.

Prints submissions per second with full provenance (every assessment's provenance written to a
fresh embedded on-disk store, durable, one named graph per assessment with its completeness
marker, by `assess_many` on every core: the headline), the same without provenance, the
direct-evaluation floor, peak memory, and what each stage costs per submission. Wall time is
noisy on a shared machine, so CPU time (this process and its worker processes) is printed too,
and the host's speed on a fixed workload that owes nothing to demozone (`host_speed`), so the
figures of two sittings can be compared. A benchmark, not a test: it asserts nothing.

    .venv/bin/python benchmarks/score.py [N] [--workers W] [--sample S] [--write-alone]

N submissions (default 3000), W scoring workers (default as assess_many), S submissions for the
per-stage figures (default 300). --write-alone also times the store's write of the whole batch
with nothing scored beside it (every assessment sealed beforehand and held in memory, 1.3 GB
for 3,000): the floor the store sets for the headline.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from demozone.assessment.assess import load_for_scoring
from demozone.assessment.batch import assess_many, collecting_less, default_workers
from demozone.provenance.graph import AssessmentGraph
from demozone.provenance.receipt import receipt
from demozone.provenance.shape import triple_shape
from demozone.rules.lookup import rules_of
from demozone.scoring.aggregate import score
from demozone.store.embedded import EmbeddedStore
from demozone.store.seal import Sealed, kb_quads, seal_lines
from demozone.store.terms import KB_GRAPH
from demozone.submission.synthetic import synthetic_document

SYSTEM = "national-2022"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / SYSTEM / "submission.yaml"
# Triples of the example's assessment graph before issue 14's reshape (rule set graph apart),
# the figure the reshape is measured against.
BEFORE = 2779


class Clock:
    """Wall time and CPU time (this process, and the children it waited for) of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu, self.children = time.perf_counter(), time.process_time(), _children()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
        self.children = _children() - self.children


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _line(label: str, n: int, clock: Clock, extra: str = "") -> None:
    children = f" + {clock.children:6.1f} s in workers" if clock.children else ""
    print(
        f"{label:<44} {n:>6} in {clock.wall:7.2f} s = {n / clock.wall:7.1f}/s   "
        f"CPU {clock.cpu:6.1f} s{children}{extra}",
        flush=True,
    )


def _generate(n: int, directory: Path) -> list[Path]:
    rules = rules_of(SYSTEM)
    directory.mkdir(parents=True)
    paths = []
    for seed in range(n):
        # JSON: the contract accepts it and it parses far faster than YAML
        path = directory / f"s{seed}.json"
        path.write_text(json.dumps(synthetic_document(rules, seed), ensure_ascii=False), "utf-8")
        paths.append(path)
    return paths


def _store_with_kb(directory: Path) -> str:
    """A new embedded store holding the knowledge base graph (what `store load-kb` makes)."""
    store = EmbeddedStore(directory)
    try:
        store._add_graphs([(KB_GRAPH, kb_quads())])
    finally:
        store.close()
    return str(directory)


def host_speed() -> float:
    """CPU seconds for a fixed pure-Python workload (ten million additions in a loop), the best of
    three: how fast this host runs Python today. A virtual machine's host varies from day to
    day; demozone's figures move with it."""

    def once() -> float:
        start, total = time.process_time(), 0
        for i in range(10_000_000):
            total += i
        return time.process_time() - start

    return min(once() for _ in range(3))


def _stage(label: str, items: list, func: Callable) -> list:
    """Apply `func` to every item in this process; print its CPU per item."""
    start = time.process_time()
    out = [func(item) for item in items]
    print(f"  {label:<40} {(time.process_time() - start) / len(items) * 1000:7.2f} ms", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--sample", type=int, default=300, help="submissions for the stage costs")
    parser.add_argument(
        "--write-alone",
        action="store_true",
        help="also time the store's write of the same batch with nothing scored beside it",
    )
    args = parser.parse_args()
    n, workers = args.n, args.workers
    scratch = Path(tempfile.mkdtemp(prefix="demozone-bench-"))
    try:
        _example_shape()
        with Clock() as clock:
            paths = _generate(n, scratch / "in")
        print(f"generated {n} submissions in {clock.wall:.1f} s", file=sys.stderr)
        location = _store_with_kb(scratch / "store")
        print(
            f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
            f"host speed {host_speed():.2f} s CPU for the fixed workload; "
            f"{workers} scoring process(es){' (this one, beside the writer)' if workers == 1 else ''}"
        )

        # The headline first, so the peak memory printed is its own.
        with Clock() as full:
            done = assess_many(paths, store=location, workers=workers, results=False)
        peak_self, peak_children = (
            _peak_mib(resource.RUSAGE_SELF),
            _peak_mib(resource.RUSAGE_CHILDREN),
        )
        size = sum(f.stat().st_size for f in Path(location).iterdir()) / 2**20
        _line("rete, full provenance written to the store", len(done), full)
        with EmbeddedStore(location, create=False) as opened:
            quads = len(opened.ox) - len(opened.graph_quads(KB_GRAPH.value))
        print(
            f"  {quads / n:.0f} quads per assessment (rule set graph included once), store "
            f"{size:.0f} MiB on disk; peak resident memory {peak_self:.0f} MiB (writer) + "
            f"{peak_children:.0f} MiB (largest worker)"
        )
        with Clock() as batch_only:
            assess_many(paths, write=False, workers=workers, results=False)
        _line("rete, no provenance (load + score)", n, batch_only)

        # The stages run as a batch runs them (batch.collecting_less), so their figures add up to it.
        with collecting_less():
            loaded = [load_for_scoring(p) for p in paths]
            with Clock() as direct:
                for submission, rules, system in loaded:
                    score(rules, system, submission, "direct")
            _line("direct evaluation (floor), one process", n, direct)
            with Clock() as rete:
                for submission, rules, system in loaded:
                    score(rules, system, submission, "rete")
            _line("rete, no provenance, one process", n, rete)

            sample = loaded[: args.sample]
            print(f"stages, CPU per submission (first {len(sample)}, one process):")
            _stage("load and validate", paths[: len(sample)], load_for_scoring)
            results = _stage("score (rete)", sample, lambda s: score(s[1], s[2], s[0], "rete"))
            receipts = _stage("receipt", sample, lambda s: receipt(s[0], s[1]))
            graphs = [
                AssessmentGraph(f"bench-{i}", results[i], sample[i][0], receipts[i])
                for i in range(len(sample))
            ]
            lines = _stage(
                "provenance (N-Triples lines, as stored)", graphs, lambda g: g.stored_lines()
            )
            sealed = _stage(
                "seal (marker, recording time, TriG)",
                list(range(len(sample))),
                lambda i: seal_lines(graphs[i].iri.value, lines[i]),
            )
            text = b"".join(sealed)
            with Clock() as write:
                target = ox.Store(str(scratch / "sample-store"))
                target.bulk_load(text, format=ox.RdfFormat.TRIG, lenient=True)
                del target
            count = text.count(b"\n") - 2 * len(sample)
            print(
                f"  {'write (bulk load of the sample)':<40} {write.cpu / len(sample) * 1000:7.2f} ms"
                f"   ({count / len(sample):.0f} quads each, {write.cpu / count * 1e6:.1f} us CPU per quad)"
            )
            if args.write_alone:
                _write_alone(loaded, scratch / "alone-store")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _example_shape() -> None:
    """The example's assessment graph: its triples (before the reshape and now), by kind of
    subject and by predicate."""
    submission, rules, system = load_for_scoring(EXAMPLE)
    result = score(rules, system, submission, "rete")
    graph = AssessmentGraph("example", result, submission, receipt(submission, rules))
    lines = graph.stored_lines()
    shape = triple_shape(lines, graph.iri.value)
    shared = graph.rule_set_graph.text.count("\n") if graph.rule_set_graph else 0
    print(
        f"the example's assessment: {len(lines)} triples (before issue 14's reshape: {BEFORE}), "
        f"and {shared} in the rule set graph its assessments share"
    )
    print("  by subject: " + ", ".join(f"{k} {v}" for k, v in shape["subject"].most_common()))
    print(
        "  by predicate: "
        + ", ".join(f"{_short(k)} {v}" for k, v in shape["predicate"].most_common())
    )


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _write_alone(loaded: list, directory: Path) -> None:
    """The batch's write by itself: every assessment sealed first (held in memory), then one
    `write_batch` into a new store with the knowledge base. The floor the store sets for the
    headline, which also scores while the store writes."""
    sealed = []
    for i, (submission, rules, system) in enumerate(loaded):
        graph = AssessmentGraph(
            f"alone-{i}",
            score(rules, system, submission, "rete"),
            submission,
            receipt(submission, rules),
        )
        rule_set = graph.rule_set_graph  # the shared graph, as N-Quads text
        shared = ((rule_set.iri.value, rule_set.text),) if rule_set else ()
        sealed.append(
            Sealed(graph.iri.value, seal_lines(graph.iri.value, graph.stored_lines()), shared)
        )
    store = EmbeddedStore(_store_with_kb(directory))
    try:
        with Clock() as write:
            store.write_batch(sealed)
    finally:
        store.close()
    _line("the same write alone (sealed beforehand)", len(sealed), write)


if __name__ == "__main__":
    main()
