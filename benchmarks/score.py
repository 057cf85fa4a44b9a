"""Scoring throughput: N synthetic national-2022 submissions.

Prints submissions per second for the durable-rules engine with full provenance (quads built
and written to a fresh embedded store), the same without provenance, the direct-evaluation
floor, and peak memory. A benchmark, not a test: it asserts nothing.

    .venv/bin/python benchmarks/score.py [N [STORED_N]]     (defaults 3000 and 300)
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from demozone.assess import renumbering
from demozone.kb import get_system
from demozone.provenance import AssessmentGraph
from demozone.receipt import receipt
from demozone.rules import rule_set_for
from demozone.scoring import score
from demozone.store import open_store
from demozone.submission import catalog_from_kb, load_submission
from demozone.synthetic import synthetic_document

SYSTEM = "national-2022"


def _load(n: int, directory: Path) -> list:
    rule_set = rule_set_for(SYSTEM, renumbering=renumbering)
    catalog = catalog_from_kb()
    submissions = []
    for seed in range(n):
        # JSON: the contract accepts it and it parses far faster than YAML
        path = directory / f"s{seed}.json"
        path.write_text(json.dumps(synthetic_document(rule_set, seed), ensure_ascii=False), "utf-8")
        submissions.append(load_submission(path, catalog))
    return submissions


def _run(label: str, submissions: list, engine: str, provenance: str) -> None:
    """provenance: "none", "built" (quads made in memory) or "stored" (written to a fresh store)."""
    rule_set = rule_set_for(SYSTEM, renumbering=renumbering)
    system = get_system(SYSTEM)
    store = (
        open_store(tempfile.mkdtemp(prefix="demozone-bench-")) if provenance == "stored" else None
    )
    quads = 0
    start = time.perf_counter()
    for i, submission in enumerate(submissions):
        result = score(rule_set, system, submission, engine)
        if provenance != "none":
            graph = AssessmentGraph(
                f"{submission.id}-bench-{i}",
                result,
                submission,
                receipt(submission, rule_set.files),
            )
            built = graph.build()
            quads += len(built)
            if store is not None:
                store.write_assessment(built)
    elapsed = time.perf_counter() - start
    if store is not None:
        store.close()
    rate = len(submissions) / elapsed
    extra = f", {quads} quads" if quads else ""
    print(
        f"{label:<40} {len(submissions):>6} in {elapsed:7.2f} s = {rate:8.1f} submissions/s{extra}",
        flush=True,
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        submissions = _load(n, Path(tmp))
        print(
            f"generated and loaded {n} submissions in {time.perf_counter() - start:.2f} s",
            file=sys.stderr,
        )
        _run("direct evaluation (floor)", submissions, "direct", "none")
        _run("rete, no provenance", submissions, "rete", "none")
        _run("rete, full provenance built", submissions, "rete", "built")
        # Writing to the on-disk store is one transaction per assessment (~0.1 s each today), so
        # the stored run uses the first STORED_N submissions (second argument, default 300).
        stored_n = int(sys.argv[2]) if len(sys.argv) > 2 else min(n, 300)
        _run("rete, full provenance stored", submissions[:stored_n], "rete", "stored")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak resident memory: {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
