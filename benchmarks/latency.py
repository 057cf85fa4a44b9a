"""Latency a user feels: each command of issue 14's table run as a whole process, R times.

Prints the median and p95 wall time of every command beside `python -c "import yaml"` (the floor
of any Python command on this machine, measured in the same run), then the in-process time to
explain one indicator of a stored assessment on stores of 1 and of N assessments, and `store
check` over a store of 100 assessments. A benchmark, not a test: it asserts nothing.

    .venv/bin/python benchmarks/latency.py [--runs R] [--big N]

R runs per command (default 10); N assessments in the big store (default 3000; 0 skips it, and
the store of 100 too). The knowledge-base cache is private to the run (DEMOZONE_CACHE in a
temporary directory): it is built once by the first `kb check`, as a user's first command would.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "national-2022" / "submission.yaml"
DEMOZONE = str(Path(sys.executable).parent / "demozone")
QUERY = "SELECT ?i ?n WHERE { ?i a dz:Indicator ; skos:notation ?n } ORDER BY ?n LIMIT 2"


def timed(argv: list[str], env: dict, fresh=None) -> float:
    if fresh is not None:
        fresh()
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, cwd=ROOT)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-2000:]}")
    return took


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(label: str, values: list[float], floor: float | None = None) -> None:
    median = statistics.median(values)
    extra = f"  ({median - floor:+.3f} s over import yaml)" if floor is not None else ""
    print(f"  {label:<44} median {median:6.3f} s   p95 {p95(values):6.3f} s{extra}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--big", type=int, default=3000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="demozone-latency-"))
    try:
        run(args.runs, args.big, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(runs: int, big: int, work: Path) -> None:
    store = work / "store"
    env = {**os.environ, "DEMOZONE_CACHE": str(work / "cache"), "DEMOZONE_STORE": str(store)}
    # as on a user's machine: Python keeps the compiled modules it wrote on the first run (a
    # sandbox may forbid that, and then every command compiles demozone's modules again)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"latency, {runs} runs each, wall time, {os.cpu_count()} cores", flush=True)
    first = timed([DEMOZONE, "kb", "check"], env)
    print(f"  first kb check (builds the knowledge-base cache): {first:.2f} s", flush=True)
    floor = [timed([sys.executable, "-c", "import yaml"], env) for _ in range(runs)]
    line('python -c "import yaml"', floor)
    base = statistics.median(floor)

    empty = work / "empty"
    line(
        "score the example into an empty store",
        [
            timed(
                [DEMOZONE, "score", str(EXAMPLE), "--store", str(empty)],
                env,
                lambda: shutil.rmtree(empty, ignore_errors=True),
            )
            for _ in range(runs)
        ],
        base,
    )
    for _ in range(3):  # a filled store: three assessments of the example
        timed([DEMOZONE, "score", str(EXAMPLE), "--again"], env)
    assessment = stored_assessment(env)
    once = timed([DEMOZONE, "store", "check"], env)
    print(f"  first store check (validates the stored kb graph once): {once:.2f} s", flush=True)
    commands = {
        "--version": ["--version"],
        "systems": ["systems"],
        "show national-2022 3": ["show", "national-2022", "3"],
        "score (store filled, same inputs)": ["score", str(EXAMPLE)],
        "score --again (store filled)": ["score", str(EXAMPLE), "--again"],
        "explain ASSESSMENT -i 3": ["explain", assessment, "-i", "3"],
        "graph ASSESSMENT --format html": ["graph", assessment, "-o", str(work / "g.html")],
        "export ASSESSMENT ttl": ["export", assessment, "-o", str(work / "a.ttl")],
        "query (two-row SELECT)": ["query", QUERY],
        "kb check (nothing changed)": ["kb", "check"],
        "store check (a few assessments)": ["store", "check"],
    }
    for label, argv in commands.items():
        line(label, [timed([DEMOZONE, *argv], env) for _ in range(runs)], base)
    in_process(env, store, assessment, "1 assessment (+ the filled ones)")
    if big:
        big_stores(env, work, big, runs)


def stored_assessment(env: dict) -> str:
    done = subprocess.run(
        [DEMOZONE, "history", "qinglan-2024", "--json"], env=env, capture_output=True, check=True
    )
    return json.loads(done.stdout)["assessments"][0]["id"]


_EXPLAIN_ONE = """
import json, statistics, sys, time
from demozone import api
ref, store = sys.argv[1], sys.argv[2]
api.explain_reference(ref, "3", store=store)  # warm: imports, the knowledge base
took = []
for _ in range(30):
    start = time.perf_counter()
    api.explain_reference(ref, "3", store=store)
    took.append(time.perf_counter() - start)
print(json.dumps(took))
"""


def in_process(env: dict, store: Path, assessment: str, label: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _EXPLAIN_ONE, assessment, str(store)],
        env=env,
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    took = json.loads(done.stdout)
    print(
        f"  explain one indicator in process, store of {label}: "
        f"median {statistics.median(took) * 1000:.1f} ms, p95 {p95(took) * 1000:.1f} ms",
        flush=True,
    )


_FILL = """
import json, sys
from pathlib import Path
from demozone.assessment.batch import assess_many
from demozone.rules.lookup import rules_of
from demozone.submission.synthetic import synthetic_document
n, directory, store = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
rules = rules_of("national-2022")
directory.mkdir(parents=True, exist_ok=True)
paths = []
for seed in range(n):
    path = directory / f"s{seed}.json"
    path.write_text(json.dumps(synthetic_document(rules, seed), ensure_ascii=False), "utf-8")
    paths.append(path)
done = assess_many(paths, store=store)
print(done[0].iri)
"""


def fill(env: dict, n: int, work: Path, name: str) -> tuple[Path, str]:
    store = work / name
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _FILL, str(n), str(work / f"{name}-files"), str(store)],
        env=env,
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    print(f"  (filled a store of {n} in {time.perf_counter() - start:.1f} s)", flush=True)
    return store, done.stdout.decode().strip().splitlines()[-1]


def big_stores(env: dict, work: Path, big: int, runs: int) -> None:
    hundred, _ = fill(env, 100, work, "store-100")
    line(
        "store check, 100 assessments",
        [timed([DEMOZONE, "store", "check", "--store", str(hundred)], env) for _ in range(runs)],
    )
    store, assessment = fill(env, big, work, f"store-{big}")
    in_process(env, store, assessment, f"{big} assessments")


if __name__ == "__main__":
    main()
