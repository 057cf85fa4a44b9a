"""Throughput of the durable-rules adapter (demozone.scoring.rete) on a synthetic load.

40 single-fact band rules over one integer; each session asserts F facts (about half in some band,
the rest matched by no rule), fires, and is deleted. Prints facts, firings and sessions per second
for the adapter, for the same sessions with every firing chaining one derived fact, for the bare
engine calls the adapter makes (its checks and bookkeeping removed: the floor of its overhead),
and for the same conditions evaluated in plain Python. A benchmark, not a test: it asserts nothing.

    .venv/bin/python benchmarks/rete.py [SESSIONS [FACTS]]      (default 1000 40)
"""

from __future__ import annotations

import json
import sys
import time

from demozone.scoring import rete, rete_conditions

BANDS = 40
WIDTH = 1000


def band_rules() -> dict[str, dict]:
    return {
        f"band{i}": {
            "$and": [{"kind": "case"}, {"$gte": {"v": i * WIDTH}}, {"$lt": {"v": (i + 1) * WIDTH}}]
        }
        for i in range(BANDS)
    }


def session_facts(session: int, count: int) -> list[dict]:
    span = 2 * BANDS * WIDTH  # half the values fall beyond the last band
    return [
        {
            "id": f"{session}:{i}",
            "kind": "case",
            "v": (session * 7919 + i * 104_729) % span,
            "note": "x",
        }
        for i in range(count)
    ]


def report(label: str, seconds: float, sessions: int, facts: int, fired: int) -> None:
    print(
        f"{label:<34} {facts / seconds:>10,.0f} facts/s {fired / seconds:>10,.0f} firings/s "
        f"{sessions / seconds:>8,.0f} sessions/s  ({seconds:.2f} s)"
    )


def adapter(loads: list[list[dict]], chain: bool) -> None:
    started = time.perf_counter()
    ruleset = rete.Ruleset(f"bench:{'chain' if chain else 'plain'}", band_rules())
    compiled = time.perf_counter() - started

    def on_fire(name: str, fact: dict) -> list[dict]:
        if chain and fact["kind"] == "case":
            return [{"id": f"{fact['id']}/d", "kind": "derived", "v": fact["v"]}]
        return []

    fired = 0
    started = time.perf_counter()
    for facts in loads:
        fired += ruleset.run(facts, on_fire)
    seconds = time.perf_counter() - started
    asserted = sum(map(len, loads)) + (fired if chain else 0)  # a derived fact per firing
    report(
        "adapter, chaining 1 fact/firing" if chain else "adapter",
        seconds,
        len(loads),
        asserted,
        fired,
    )
    if not chain:
        print(f"{'  compile (40 rules)':<34} {compiled * 1000:>10.1f} ms")


def bare_engine(loads: list[list[dict]]) -> None:
    """The engine calls one run makes, without the adapter's checks, ids map or dedup."""
    spec = rete_conditions.Spec(band_rules())
    handle = rete._engine.create_ruleset("bench:bare", spec.definition())
    fired = 0
    started = time.perf_counter()
    for number, facts in enumerate(loads, 1):
        sid = str(number)
        fired += drain(
            handle,
            rete._engine.assert_fact(handle, json.dumps({"sid": sid, "id": "0", "_dz_open": 1}))[1],
        )
        payload = [
            {"sid": sid, "id": str(i), "_dz_fact": 1, "kind": f["kind"], "v": f["v"]}
            for i, f in enumerate(facts, 1)
        ]
        fired += drain(handle, rete._engine.assert_facts(handle, json.dumps(payload))[1])
        rete._engine.delete_state(handle, sid)
    seconds = time.perf_counter() - started
    rule_firings = fired - len(loads) - sum(map(len, loads))  # less the open and sink firings
    report("bare engine calls (floor)", seconds, len(loads), sum(map(len, loads)), rule_firings)


def drain(handle: int, state: int) -> int:
    count = 0
    started = rete._engine.start_action_for_state(handle, state)
    message = started[1] if started else None
    while message is not None:
        json.loads(message)
        count += 1
        message = rete._engine.complete_and_start_action(handle, state)
    return count


def plain_python(loads: list[list[dict]]) -> None:
    bands = [(f"band{i}", i * WIDTH, (i + 1) * WIDTH) for i in range(BANDS)]
    fired = 0
    started = time.perf_counter()
    for facts in loads:
        for fact in facts:
            for _name, low, high in bands:
                if fact.get("kind") == "case" and low <= fact["v"] < high:
                    fired += 1
    seconds = time.perf_counter() - started
    report("plain Python, same conditions", seconds, len(loads), sum(map(len, loads)), fired)


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    loads = [session_facts(session, count) for session in range(sessions)]
    print(f"{BANDS} band rules, {sessions} sessions x {count} facts")
    adapter(loads, chain=False)
    adapter(loads, chain=True)
    bare_engine(loads)
    plain_python(loads)


if __name__ == "__main__":
    main()
