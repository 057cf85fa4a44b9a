"""The rules durable-rules is given, for the adapter in demozone.scoring.rete: single-fact
conditions in the safe subset, each field with one type, checked against the engine's fixed
tables (a model of its alpha network) and compiled into one engine definition (`Spec`)."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping

from demozone.common.errors import DemozoneBug
from demozone.scoring.rete_values import Refused, engine_value, fnv1a_32

MAX_FIELDS = 200  # fields the rules name; an engine fact of 255 properties segfaults (3 are ours)
MAX_LOGIC = 14  # $and/$or per rule: the engine allows 15 and the adapter adds one $and
# Alpha-node fan-out (rules.h): 512 hashed children (the 513th makes create_ruleset probe forever),
# 128 $nex/$or children and 256 rules ending on one node (both fail cleanly), with margin.
MAX_CHILDREN, MAX_NEX_CHILDREN, MAX_ENDINGS = 400, 100, 200
# Matching a fact walks the alpha network with a stack of 64 nodes (events.c): the 65th pending
# test fails the whole assert. Bounded by a model of the network, with margin.
MAX_STACK = 60

FACT_FIELD, OPEN_FIELD = "_dz_fact", "_dz_open"  # marker fields only the adapter writes
OPEN_RULE, SINK_RULE = "open", "sink"
_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}\Z")  # so no "$" operator and no "_dz" marker
_LOGIC = ("$and", "$or")
_PRESENCE = ("$ex", "$nex")
_EQUALITY = ("$eq", "$neq")
_ORDER = ("$lt", "$lte", "$gt", "$gte")
_ENGINE_NAMES = (
    # names the C core hashes and gives a meaning to inside a condition or a fact
    *("id", "sid", "$s", "$m", "$i", "$l", "$r", "$forward", "$not", "$all", "$any"),
    *(*_LOGIC, *_PRESENCE, *_EQUALITY, *_ORDER, "$mt", "$imt", "$iall", "$iany"),
    *("$add", "$sub", "$mul", "$div", FACT_FIELD, OPEN_FIELD),
)
_RESERVED = {fnv1a_32(name): name for name in _ENGINE_NAMES}


# --- conditions ---------------------------------------------------------------------------------


def _declare(types: dict[str, type | None], field: str, kind: type | None, where: str) -> None:
    """Give a field its one type (None: only tested for presence so far)."""
    if not isinstance(field, str) or not _FIELD.match(field) or field in ("id", "sid"):
        raise DemozoneBug(
            f"{where}: field {field!r} must be an ASCII identifier starting with a letter, "
            "and not id or sid (the engine's own ids)"
        )
    known = types.get(field)
    if kind is None or known is kind:
        types.setdefault(field, kind)
    elif known is None:
        types[field] = kind
    else:
        raise DemozoneBug(
            f"{where}: field {field!r} is compared with both {known.__name__} and {kind.__name__} "
            "values; the engine would compare numbers with numeric strings as text"
        )


def _one_field(operator: str, argument: object, where: str) -> tuple[str, object]:
    if not isinstance(argument, Mapping) or len(argument) != 1:
        raise DemozoneBug(f"{where}: {operator} takes one {{field: value}}, got {argument!r}")
    ((field, value),) = argument.items()
    return field, value


def _logic(operator: str, argument: object, where: str, types: dict) -> tuple[dict, int]:
    if not isinstance(argument, list | tuple) or not argument:
        raise DemozoneBug(f"{where}: {operator} takes a non-empty list, got {argument!r}")
    parts = [_condition(part, f"{where}.{operator}[{i}]", types) for i, part in enumerate(argument)]
    return {operator: [part for part, _ in parts]}, 1 + sum(count for _, count in parts)


def _condition(condition: object, where: str, types: dict) -> tuple[dict, int]:
    """A checked, normalised copy of one condition, and its number of $and/$or."""
    if not isinstance(condition, Mapping) or len(condition) != 1:
        raise DemozoneBug(
            f"{where}: a condition is a mapping with one key (the engine tests only the first key "
            f"of {{a: 1, b: 2}}; use $and), got {condition!r}"
        )
    ((key, argument),) = condition.items()
    if key in _LOGIC:
        return _logic(key, argument, where, types)
    if key in ("all", "any", "m") and isinstance(argument, list | Mapping):
        raise DemozoneBug(
            f"{where}: pass the condition on one fact, not a rule or pattern; joins of two facts "
            "are not supported (correlated joins crash durable-rules, upstream issue 381)"
        )
    if not isinstance(key, str) or (
        key.startswith("$") and key not in _PRESENCE + _EQUALITY + _ORDER
    ):
        raise DemozoneBug(f"{where}: operator {key!r} is not supported")
    if not key.startswith("$"):
        key, argument = "$eq", {key: argument}
    return _test(key, argument, where, types)


def _test(key: str, argument: object, where: str, types: dict) -> tuple[dict, int]:
    """One test of one field: presence, equality or order."""
    field, value = _one_field(key, argument, where)
    if key in _PRESENCE:
        if value != 1 or type(value) is not int:
            raise DemozoneBug(f"{where}: {key} takes {{field: 1}}, got {argument!r}")
        _declare(types, field, None, where)
        return {key: {field: 1}}, 0
    try:
        value = engine_value(value)
    except Refused as refused:
        raise DemozoneBug(f"{where}: {refused}") from None
    if key in _ORDER and type(value) is not int:
        raise DemozoneBug(f"{where}: {key} compares ints only, got {value!r}")
    _declare(types, field, type(value), where)
    return ({field: value} if key == "$eq" else {key: {field: value}}), 0


# --- the engine's alpha network -----------------------------------------------------------------


class _Network:
    """A model of the alpha network create_ruleset builds (rete.c: findAlpha, linkAlpha).

    An $and chains its terms, each node shared by every rule that reaches it with the same test;
    an $or makes a new node that each branch's end links to like a $nex test. Used only to refuse
    rulesets that would overflow the engine's fixed tables, at compile time or per fact.
    """

    def __init__(self) -> None:
        self._nodes: dict[tuple, int] = {}
        self._new = itertools.count(1)
        self.tests: defaultdict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
        self.nex: defaultdict[int, set[int]] = defaultdict(set)  # $nex tests and $or ends
        self.endings: Counter[int] = Counter()

    def add(self, condition: dict) -> None:
        self.endings[self._build(condition, 0)] += 1

    def _build(self, condition: dict, parent: int) -> int:
        ((key, argument),) = condition.items()
        if key == "$and":
            for part in argument:
                parent = self._build(part, parent)
            return parent
        if key == "$or":
            forward = next(self._new)
            for part in argument:
                self.nex[self._build(part, parent)].add(forward)
            return forward
        if key.startswith("$"):
            operator, ((field, value),) = key, argument.items()
        else:
            operator, field, value = "$eq", key, argument
        test = (parent, fnv1a_32(field), operator, type(value), value)
        if test not in self._nodes:
            self._nodes[test] = next(self._new)
        node = self._nodes[test]
        if operator == "$nex":
            self.nex[parent].add(node)
        else:
            self.tests[parent][node] = (test[1], operator)
        return node

    def _matching(self, node: int) -> int:
        """How many children of a node one fact can match: one equality test per field."""
        tests = self.tests.get(node, {}).values()
        equal_fields = {field for field, operator in tests if operator == "$eq"}
        others = sum(1 for _, operator in tests if operator != "$eq")
        return len(equal_fields) + others + len(self.nex.get(node, ()))

    def _stack(self, node: int, memo: dict[int, int]) -> int:
        """The deepest the engine's matching stack can get below a node (events.c handleAlpha:
        it pops a node and pushes every child the fact matches)."""
        if node not in memo:
            children = [*self.tests.get(node, {}), *self.nex.get(node, ())]
            pending = self._matching(node) - 1
            memo[node] = max([1] + [pending + self._stack(child, memo) for child in children])
        return memo[node]

    def check(self) -> None:
        for table, limit, what in (
            (self.tests, MAX_CHILDREN, "distinct tests after one common prefix"),
            (self.nex, MAX_NEX_CHILDREN, "$nex tests or $or ends after one prefix"),
        ):
            widest = max((len(kids) for kids in table.values()), default=0)
            if widest > limit:
                raise DemozoneBug(f"{widest} {what}: over {limit}, the engine's tables overflow")
        if self.endings and max(self.endings.values()) > MAX_ENDINGS:
            raise DemozoneBug(f"over {MAX_ENDINGS} rules end on one engine node")
        deepest = self._stack(0, {})
        if deepest > MAX_STACK:
            raise DemozoneBug(
                f"one fact could match {deepest} tests at once: over {MAX_STACK}, the engine's "
                "matching stack overflows (split the rules over more rulesets)"
            )


# --- a compiled definition ----------------------------------------------------------------------


class Spec:
    """A checked rule definition: engine rules, the caller rules behind each, and field types."""

    def __init__(self, rules: Mapping[str, Mapping]) -> None:
        if not isinstance(rules, Mapping):
            raise DemozoneBug(f"rules must be a mapping of rule name to condition, got {rules!r}")
        self.types: dict[str, type | None] = {}
        by_condition: dict[str, tuple[dict, list[str]]] = {}
        for name, condition in rules.items():
            if not isinstance(name, str) or not name:
                raise DemozoneBug(f"rule name {name!r} must be a non-empty str")
            clean, logic = _condition(condition, f"rule {name!r}", self.types)
            if logic > MAX_LOGIC:
                raise DemozoneBug(f"rule {name!r} has {logic} $and/$or, over {MAX_LOGIC}")
            key = json.dumps(clean, sort_keys=True, ensure_ascii=False)
            by_condition.setdefault(key, (clean, []))[1].append(name)
        self.canonical = json.dumps(
            {name: json.loads(key) for key, (_, names) in by_condition.items() for name in names},
            sort_keys=True,
            ensure_ascii=False,
        )
        self.conditions = {f"c{i}": clean for i, (clean, _) in enumerate(by_condition.values())}
        self.callers = {f"c{i}": tuple(names) for i, (_, names) in enumerate(by_condition.values())}
        self._check_fields()
        self._check_network()

    def _check_fields(self) -> None:
        if len(self.types) > MAX_FIELDS:
            raise DemozoneBug(f"the rules name {len(self.types)} fields, over {MAX_FIELDS}")
        seen = dict(_RESERVED)
        for field in sorted(self.types):
            other = seen.setdefault(fnv1a_32(field), field)
            if other != field:
                raise DemozoneBug(
                    f"fields {other!r} and {field!r} share a 32-bit FNV-1a hash: the engine would "
                    "take one for the other; rename one"
                )

    def _check_network(self) -> None:
        network = _Network()
        for condition in self.engine_rules().values():
            network.add(condition)
        network.check()

    def engine_rules(self) -> dict[str, dict]:
        """Engine rule name -> condition: every caller rule also requires the fact marker."""
        rules = {
            OPEN_RULE: {"$ex": {OPEN_FIELD: 1}},
            SINK_RULE: {
                "$ex": {FACT_FIELD: 1}
            },  # a field only facts carry: never the session state
        }
        for name, condition in self.conditions.items():
            rules[name] = {"$and": [{"$ex": {FACT_FIELD: 1}}, condition]}
        return rules

    def definition(self) -> str:
        """The engine definition (JSON) create_ruleset compiles."""
        rules = {name: {"all": [{"m": cond}]} for name, cond in self.engine_rules().items()}
        return json.dumps(rules, ensure_ascii=False)
