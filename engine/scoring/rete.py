"""durable-rules behind a safe interface: single-fact rules, one engine session per run.

durable-rules 2.0.28 is a Rete engine in C, unmaintained, that crashes the interpreter or answers
wrongly in ways measured in the project notes (durable-rules.md) and pinned in tests/test_rete.py.
This module is the only place demozone touches it, and it keeps every one of those states out of
reach:

- It drives the C core (`durable_rules_engine`) itself. durable's Python layer (`Host`, `Closure`,
  `durable.lang`) is never imported: no background thread exists to race `delete_state`, no
  exception is swallowed into `c.s.exception`, no action is dropped after 10 s, and callbacks run
  only while the engine is idle.
- A rule is one condition on one fact: no joins (correlated joins crash, upstream issue 381).
  Conditions use `$and`, `$or`, `$ex`, `$nex`, `$eq`, `$neq`, `$lt`, `$lte`, `$gt`, `$gte` and
  `{field: value}`, one key per mapping (the engine silently tests only the first key of
  `{a: 1, b: 2}`). Ordering comparisons take ints; every field the rules name has one type, and
  facts must carry that type, so a numeric string never meets a number (the engine compares them
  as text over a length read from uninitialised memory: "10" >= 8 is false, "5" == 5 depends on
  the build). Callers pass exact quantities as ints, scaled if need be.
- Only str and int values enter the engine: ints within +-2**53, strings NFC-normalised and at most
  65,535 bytes as JSON-escaped UTF-8 (longer ones compare truncated). Anything else is refused
  with DemozoneBug before a session starts.
- The engine identifies fields, fact ids and session ids by a 32-bit FNV-1a hash and never compares
  the strings. Field names that share a hash (with each other or with the engine's own names) are
  refused at construction; fact ids and session ids are the adapter's own, skipping any whose hash
  is live, and are mapped back to the caller's ids.
- Each run is one session: an "open" marker fact fires a no-op rule first (deleting a session in
  which no action ran segfaults), every fact carries a marker field matched by a sink rule (a fact
  no rule handles makes the engine refuse the batch) and by every rule (so nothing matches the
  session's own state fact), batches are never empty, and the session is deleted before `run`
  returns or raises. One module lock serialises every engine call, so at most one session is live
  (the 1,025th live session of a ruleset is fatal).
- Fixed engine tables are checked before compiling: at most 14 `$and`/`$or` per rule, 200 fields
  the rules name (a fact of 255 properties segfaults), a bounded fan-out per alpha node (the 513th
  child sends create_ruleset into an endless loop) and at most 60 tests one fact can match side
  by side (the 65th fails the assert midway). Rules with identical conditions share one engine
  rule, and a fact fires each rule at most once (an `$or` fires once per true branch).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import durable_rules_engine as _engine

from demozone.common.errors import DemozoneBug

Value = str | int
OnFire = Callable[[str, dict], Iterable[Mapping]]

INT_LIMIT = 2**53
STR_LIMIT = 65_535  # bytes of JSON-escaped UTF-8; the engine keeps string lengths in 16 bits
MAX_FIELDS = 200  # fields the rules name; an engine fact of 255 properties segfaults (3 are ours)
MAX_LOGIC = 14  # $and/$or per rule: the engine allows 15 and the adapter adds one $and
# Alpha-node fan-out (rules.h): 512 hashed children (the 513th makes create_ruleset probe forever),
# 128 $nex/$or children and 256 rules ending on one node (both fail cleanly), with margin.
MAX_CHILDREN, MAX_NEX_CHILDREN, MAX_ENDINGS = 400, 100, 200
# Matching a fact walks the alpha network with a stack of 64 nodes (events.c): the 65th pending
# test fails the whole assert. Bounded by a model of the network, with margin.
MAX_STACK = 60

_FACT, _OPEN = "_dz_fact", "_dz_open"  # marker fields only the adapter writes
_OPEN_RULE, _SINK_RULE = "open", "sink"
_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}\Z")  # so no "$" operator and no "_dz" marker
_LOGIC = ("$and", "$or")
_PRESENCE = ("$ex", "$nex")
_EQUALITY = ("$eq", "$neq")
_ORDER = ("$lt", "$lte", "$gt", "$gte")
_ENGINE_NAMES = (
    # names the C core hashes and gives a meaning to inside a condition or a fact
    *("id", "sid", "$s", "$m", "$i", "$l", "$r", "$forward", "$not", "$all", "$any"),
    *(*_LOGIC, *_PRESENCE, *_EQUALITY, *_ORDER, "$mt", "$imt", "$iall", "$iany"),
    *("$add", "$sub", "$mul", "$div", _FACT, _OPEN),
)


def fnv1a_32(text: str) -> int:
    """durable's 32-bit FNV-1a of a field name, fact id or session id.

    It runs over the UTF-8 bytes through a C `char`, which is signed on x86-64: bytes from 0x80 are
    sign-extended before the XOR, so non-ASCII text hashes differently from textbook FNV-1a.
    """
    digest = 0x811C9DC5
    for byte in text.encode():
        digest ^= byte if byte < 0x80 else byte | 0xFFFFFF00
        digest = (digest * 0x01000193) & 0xFFFFFFFF
    return digest


_RESERVED = {fnv1a_32(name): name for name in _ENGINE_NAMES}


class _Refused(ValueError):
    """A value that must not enter the engine; the caller adds where it was found."""


# --- values -------------------------------------------------------------------------------------

_SHORT = STR_LIMIT // 6  # JSON escaping makes at most 6 bytes of a character


def _engine_value(value: object) -> Value:
    """The value as the engine will see it: a plain int within +-2**53 or an NFC str.

    Raises _Refused for floats (the engine compares IEEE doubles and rejects exponents such as
    1e-05), bools, None, containers, ints beyond +-2**53 and strings the engine would truncate.
    """
    kind = type(value)  # the common cases first: this runs for every field of every fact
    if kind is int and -INT_LIMIT <= value <= INT_LIMIT:
        return value
    if kind is str and len(value) <= _SHORT and value.isascii():
        return value
    return _checked_value(value)


def _checked_value(value: object) -> Value:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _Refused(
            f"{value!r} is a {type(value).__name__}: only str and int enter the engine "
            "(pass exact quantities as scaled ints)"
        )
    if isinstance(value, int):
        if not -INT_LIMIT <= value <= INT_LIMIT:
            raise _Refused(f"{value} is beyond +-2**53")
        return int(value)
    text = value if value.isascii() else unicodedata.normalize("NFC", value)
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:
            raise _Refused(f"{value!r} is not encodable as UTF-8") from None
    if len(text) > _SHORT and len(json.dumps(text, ensure_ascii=False).encode()) - 2 > STR_LIMIT:
        raise _Refused(f"a string of {len(text)} characters is over {STR_LIMIT} escaped bytes")
    return text if type(text) is str else str.__str__(text)


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
    field, value = _one_field(key, argument, where)
    if key in _PRESENCE:
        if value != 1 or type(value) is not int:
            raise DemozoneBug(f"{where}: {key} takes {{field: 1}}, got {argument!r}")
        _declare(types, field, None, where)
        return {key: {field: 1}}, 0
    try:
        value = _engine_value(value)
    except _Refused as refused:
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


class _Spec:
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
            _OPEN_RULE: {"$ex": {_OPEN: 1}},
            _SINK_RULE: {"$ex": {_FACT: 1}},  # a field only facts carry: never the session state
        }
        for name, condition in self.conditions.items():
            rules[name] = {"$and": [{"$ex": {_FACT: 1}}, condition]}
        return rules

    def definition(self) -> str:
        rules = {name: {"all": [{"m": cond}]} for name, cond in self.engine_rules().items()}
        return json.dumps(rules, ensure_ascii=False)


# --- ids ----------------------------------------------------------------------------------------


def _counting() -> Iterator[str]:
    """Engine ids and session ids in order: "1", "2", ... (a test feeds a colliding pair here)."""
    return map(str, itertools.count(1))


class _Ids:
    """Engine ids whose FNV-1a hash no live id has: the engine tells ids apart only by that hash."""

    def __init__(self, live: Iterable[str] = ()) -> None:
        self._candidates = _counting()
        self._live = {fnv1a_32(engine_id) for engine_id in live}

    def take(self) -> str:
        for candidate in self._candidates:
            digest = fnv1a_32(candidate)
            if digest not in self._live:
                self._live.add(digest)
                return candidate
        raise DemozoneBug("engine ids ran out")

    def release(self, engine_id: str) -> None:
        self._live.discard(fnv1a_32(engine_id))

    def __len__(self) -> int:
        return len(self._live)


# --- serialisation ------------------------------------------------------------------------------

_LOCK = threading.Lock()
_THREAD = threading.local()


def _refuse_reentry() -> None:
    """on_fire runs under the engine lock: calling back in is a bug, reported, not a deadlock."""
    if getattr(_THREAD, "inside", False):
        raise DemozoneBug("the rules engine was called from inside on_fire")


@contextmanager
def _engine_calls() -> Iterator[None]:
    """Hold the process-wide engine lock: durable-rules is not thread-safe."""
    _refuse_reentry()
    with _LOCK:
        _THREAD.inside = True
        try:
            yield
        finally:
            _THREAD.inside = False


# --- facts --------------------------------------------------------------------------------------


class _Staging:
    """Checks the facts of one run and projects each onto the fields the rules name."""

    def __init__(self, types: dict[str, type | None]) -> None:
        self._types = types
        self._ids: set[Value] = set()

    def facts(self, facts: object, where: str) -> list[tuple[Mapping, dict[str, Value]]]:
        if isinstance(facts, str | bytes | Mapping) or not isinstance(facts, Iterable):
            raise DemozoneBug(f"{where}: expected an iterable of facts, got {facts!r}")
        return [self._fact(fact, where) for fact in facts]

    def _fact(self, fact: object, where: str) -> tuple[Mapping, dict[str, Value]]:
        if not isinstance(fact, Mapping) or "id" not in fact:
            raise DemozoneBug(f"{where}: a fact is a mapping with an explicit id, got {fact!r}")
        if "sid" in fact:
            raise DemozoneBug(f"{where}: fact {fact['id']!r} has a sid; the adapter owns sessions")
        projected = {}
        for field, value in fact.items():
            try:
                if type(field) is not str:
                    raise _Refused(f"field name {field!r} is not a str")
                clean = _engine_value(value)
            except _Refused as refused:
                raise DemozoneBug(f"{where}: fact {fact['id']!r}: {refused}") from None
            if field in self._types:
                projected[field] = self._typed(fact, field, clean, where)
        if fact["id"] in self._ids:
            raise DemozoneBug(f"{where}: fact id {fact['id']!r} is used twice in one run")
        self._ids.add(fact["id"])
        return fact, projected

    def _typed(self, fact: Mapping, field: str, value: Value, where: str) -> Value:
        kind = self._types[field]
        if kind is not None and type(value) is not kind:
            raise DemozoneBug(
                f"{where}: fact {fact['id']!r} field {field!r} is {value!r}, but the rules compare "
                f"it with {kind.__name__} values (the engine compares numbers with numeric strings "
                "as text, wrongly); pass ints"
            )
        return value


# --- sessions -----------------------------------------------------------------------------------


class _Session:
    """One engine session: opened by a marker whose no-op rule fires, deleted when done."""

    def __init__(self, ruleset: Ruleset, staging: _Staging) -> None:
        self._handle = ruleset._handle
        self._callers = ruleset._spec.callers
        self._staging = staging
        self._sids = ruleset._sids
        self.sid = self._sids.take()
        self._ids = _Ids(live=[f"sid-{self.sid}"])  # the session's state fact has this id
        self._facts: dict[str, Mapping] = {}
        self._fired: set[tuple[str, str]] = set()

    def play(self, first: list, on_fire: OnFire) -> int:
        """Assert, fire and chain to the end; delete the session whatever happens."""
        opened = False
        try:
            self._open()
            opened = True
            return self._fire_all(first, on_fire)
        except _engine.error as error:
            raise DemozoneBug(f"durable-rules failed in session {self.sid}: {error}") from error
        finally:
            if opened:  # else the session is left alive: deleting it could segfault
                _engine.delete_state(self._handle, self.sid)
                self._sids.release(self.sid)

    def _open(self) -> None:
        marker = {"sid": self.sid, "id": self._ids.take(), _OPEN: 1}
        code, state = _engine.assert_fact(self._handle, json.dumps(marker))
        if code != 0 or self._drain(state) != [(_OPEN_RULE, marker["id"])]:
            raise DemozoneBug(f"the open marker of session {self.sid} did not fire (code {code})")

    def _fire_all(self, batch: list, on_fire: OnFire) -> int:
        fired = 0
        while batch:
            matches = self._assert(batch)
            batch = []
            for rule, engine_id in matches:
                if rule == _SINK_RULE or (rule, engine_id) in self._fired:
                    continue  # an $or fires once per true branch: once is the answer
                self._fired.add((rule, engine_id))
                fact = self._facts[engine_id]
                for name in self._callers[rule]:
                    fired += 1
                    batch += self._staging.facts(on_fire(name, fact), f"on_fire({name!r})")
        return fired

    def _assert(self, batch: list) -> list[tuple[str, str]]:
        """Assert a non-empty batch of facts; the firings it causes, in engine order."""
        payload = []
        for fact, projected in batch:
            engine_id = self._ids.take()
            self._facts[engine_id] = fact
            payload.append({"sid": self.sid, "id": engine_id, _FACT: 1, **projected})
        code, state = _engine.assert_facts(self._handle, json.dumps(payload, ensure_ascii=False))
        matches = self._drain(state)
        sunk = sorted(engine_id for rule, engine_id in matches if rule == _SINK_RULE)
        if code != 0 or sunk != sorted(entry["id"] for entry in payload):
            raise DemozoneBug(f"the engine did not take every fact of a batch (code {code})")
        return matches

    def _drain(self, state: int) -> list[tuple[str, str]]:
        """Run the session's agenda to its end; no callback runs meanwhile."""
        matches = []
        started = _engine.start_action_for_state(self._handle, state)
        message = started[1] if started else None
        while message is not None:
            matches.append(_firing(message))
            message = _engine.complete_and_start_action(self._handle, state)
        return matches


# An action message is {"<rule>":{"m":<the fact as the adapter wrote it>}}, and the adapter writes
# sid and id first: reading just those two is most of the adapter's own cost saved. Anything else
# is parsed in full.
_MESSAGE = re.compile(r'\{"(\w+)":\{"m":\{"sid": "\d+", "id": "(\d+)"[,}]')


def _firing(message: str) -> tuple[str, str]:
    """(engine rule, engine id) of one action message."""
    quick = _MESSAGE.match(message)
    if quick:
        return quick.group(1), quick.group(2)
    ((rule, match),) = json.loads(message).items()
    return rule, match["m"]["id"]


# --- rulesets -----------------------------------------------------------------------------------

_REGISTRY = threading.RLock()
_RULESETS: dict[str, Ruleset] = {}


class Ruleset:
    """Single-fact rules compiled once into a durable-rules ruleset."""

    def __init__(self, name: str, rules: Mapping[str, Mapping]) -> None:
        """rules: rule name -> durable-rules JSON condition for ONE fact (what goes under
        "all": [{"m": <condition>}]), e.g.
        {"$and": [{"kind": "case"}, {"rule": "r-3"}, {"$gte": {"r_lo": 80000}}]}.

        Compiled once; the durable ruleset name is unique in the process (a second Ruleset of the
        same name raises DemozoneBug: use get_ruleset). Raises DemozoneBug, before the engine sees
        anything, for any condition outside the safe subset described in the module docstring.
        """
        _refuse_reentry()
        if not isinstance(name, str) or not name:
            raise DemozoneBug(f"ruleset name {name!r} must be a non-empty str")
        self.name = name
        self._spec = _Spec(rules)
        self._sids = _Ids()
        with _REGISTRY:
            if name in _RULESETS:
                raise DemozoneBug(f"ruleset {name!r} already exists in this process")
            with _engine_calls():
                try:
                    self._handle = _engine.create_ruleset(name, self._spec.definition())
                except _engine.error as error:
                    raise DemozoneBug(f"durable-rules refused ruleset {name!r}: {error}") from None
            _RULESETS[name] = self

    @property
    def definition(self) -> str:
        """The checked, normalised definition as canonical JSON (what get_ruleset compares)."""
        return self._spec.canonical

    @property
    def live_sessions(self) -> int:
        """Sessions not deleted: 0 between runs, unless opening a session failed in the engine."""
        return len(self._sids)

    def run(self, facts: Sequence[Mapping[str, str | int]], on_fire: OnFire) -> int:
        """One session: assert `facts`, call on_fire(rule_name, fact) once per match (fact as the
        caller gave it, with the caller's own `id`), assert into the same session whatever
        on_fire returns (chaining, to any depth), then delete the session. Returns the number of
        firings. Raises the first exception on_fire raised.

        on_fire returns an iterable of facts, empty when nothing follows (None is a bug). Every
        fact, asserted or returned, is a mapping with a unique `id` (str or int) and str/int
        values; the fields the rules compare carry the type the rules compare them with (ints for
        quantities: never numeric strings). A fact no rule matches is fine. on_fire runs while
        the engine is idle and holds the process-wide engine lock: it must not call the engine
        (DemozoneBug). Nothing reaches the engine when `facts` is empty, and nothing of a run is
        asserted before all of `facts` passed the checks.
        """
        _refuse_reentry()
        staging = _Staging(self._spec.types)
        first = staging.facts(facts, f"ruleset {self.name!r}")
        if not first:
            return 0
        with _engine_calls():
            return _Session(self, staging).play(first, on_fire)


def get_ruleset(name: str, rules: Mapping[str, Mapping]) -> Ruleset:
    """The process's one Ruleset of this name, compiled on first use.

    Asking again with a different definition under the same name is a bug (DemozoneBug): a name
    must not silently mean two rule sets.
    """
    _refuse_reentry()  # before the registry lock, which a constructor holds while it waits
    with _REGISTRY:
        existing = _RULESETS.get(name)
        if existing is None:
            return Ruleset(name, rules)
    if existing.definition != _Spec(rules).canonical:
        raise DemozoneBug(f"ruleset {name!r} is already compiled with a different definition")
    return existing
