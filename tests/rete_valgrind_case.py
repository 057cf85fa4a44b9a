"""Every rule shape demozone.scoring.rete accepts, run through the engine: the script test_rete runs under
valgrind. It exits 0 and prints "ok" only if every firing count matches a plain-Python reading of
the same conditions."""

from __future__ import annotations

import sys

from demozone.common.errors import DemozoneBug
from demozone.scoring.rete import Ruleset

RULES = {
    "case": {"kind": "case"},
    "named": {"$and": [{"kind": "case"}, {"name": "café"}]},  # NFC on both sides
    "band": {"$and": [{"kind": "case"}, {"$gte": {"v": 10}}, {"$lt": {"v": 20}}]},
    "edges": {"$and": [{"$gt": {"v": 0}}, {"$lte": {"v": 30}}, {"$neq": {"v": 15}}]},
    "exact": {"$eq": {"v": 25}},
    "either": {"$or": [{"$lt": {"v": 5}}, {"$gte": {"v": 3}}, {"$ex": {"w": 1}}]},
    "nested": {
        "$or": [
            {"$and": [{"$nex": {"w": 1}}, {"v": 7}]},
            {"$and": [{"w": 1}, {"$or": [{"v": 1}, {"v": 2}]}]},
        ]
    },
    "same-a": {"kind": "derived"},
    "same-b": {"kind": "derived"},
    "never": {"kind": "nothing"},
}


def holds(condition: dict, fact: dict) -> bool:
    ((key, argument),) = condition.items()
    if key in ("$and", "$or"):
        results = [holds(part, fact) for part in argument]
        return all(results) if key == "$and" else any(results)
    if not key.startswith("$"):
        return key in fact and fact[key] == argument
    ((field, value),) = argument.items()
    if key in ("$ex", "$nex"):
        return (field in fact) == (key == "$ex")
    tests = {
        "$eq": lambda a: a == value,
        "$neq": lambda a: a != value,
        "$lt": lambda a: a < value,
        "$lte": lambda a: a <= value,
        "$gt": lambda a: a > value,
        "$gte": lambda a: a >= value,
    }
    return field in fact and tests[key](fact[field])


def facts_for(session: int) -> list[dict]:
    facts = []
    for i in range(40):
        fact = {
            "id": f"{session}:{i}",
            "kind": "case" if i % 4 else "other",
            "v": (i * 7 + session) % 33,
        }
        if i % 5 == 0:
            fact["w"] = 1
        if i % 6 == 0:
            fact["name"] = "cafe\u0301"
        if i % 9 == 0:
            fact = {"id": f"{session}:{i}", "unrelated": "x"}  # only the sink matches it
        facts.append(fact)
    return facts


def expected(facts: list[dict], depth: int) -> int:
    total, todo = 0, list(facts)
    while todo:
        fact = todo.pop()
        names = [name for name, condition in RULES.items() if holds(condition, normal(fact))]
        total += len(names)
        if "case" in names and fact.get("depth", 0) < depth:
            todo.append(derived(fact))
    return total


def normal(fact: dict) -> dict:
    return {k: ("café" if v == "cafe\u0301" else v) for k, v in fact.items()}


def derived(fact: dict) -> dict:
    depth = fact.get("depth", 0) + 1
    return {
        "id": f"{fact['id']}/d",
        "kind": "derived" if depth % 2 else "case",
        "v": 10,
        "depth": depth,
    }


def main() -> None:
    ruleset = Ruleset("valgrind-case", RULES)
    depth = 3

    def on_fire(name: str, fact: dict) -> list[dict]:
        if name == "case" and fact.get("depth", 0) < depth:
            return [derived(fact)]
        return []

    for session in range(60):
        facts = facts_for(session)
        fired = ruleset.run(facts, on_fire)
        if fired != expected(facts, depth):
            sys.exit(f"session {session}: {fired} firings, expected {expected(facts, depth)}")

    def failing(name: str, fact: dict) -> list[dict]:
        raise RuntimeError("raised inside on_fire")

    try:
        ruleset.run(facts_for(99), failing)
        sys.exit("an exception in on_fire was lost")
    except RuntimeError:
        pass
    try:
        ruleset.run(facts_for(98), lambda name, fact: [{"id": "bad", "v": 0.5}])
        sys.exit("a refused chained fact was accepted")
    except DemozoneBug:
        pass
    if ruleset.live_sessions:
        sys.exit(f"{ruleset.live_sessions} sessions left alive")
    print("ok")


if __name__ == "__main__":
    main()
