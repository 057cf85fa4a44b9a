"""What may enter durable-rules, for the adapter in demozone.scoring.rete (which alone calls the
engine): its hash of names and ids, the values it compares correctly, the ids it tells apart,
and the facts of one run checked and cut down to the fields the rules name."""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterable, Iterator, Mapping

from demozone.common.errors import DemozoneBug

Value = str | int

INT_LIMIT = 2**53
STR_LIMIT = 65_535  # bytes of JSON-escaped UTF-8; the engine keeps string lengths in 16 bits


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


class Refused(ValueError):
    """A value that must not enter the engine; the caller adds where it was found."""


# --- values -------------------------------------------------------------------------------------

_SHORT = STR_LIMIT // 6  # JSON escaping makes at most 6 bytes of a character


def engine_value(value: object) -> Value:
    """The value as the engine will see it: a plain int within +-2**53 or an NFC str.

    Raises Refused for floats (the engine compares IEEE doubles and rejects exponents such as
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
        raise Refused(
            f"{value!r} is a {type(value).__name__}: only str and int enter the engine "
            "(pass exact quantities as scaled ints)"
        )
    if isinstance(value, int):
        if not -INT_LIMIT <= value <= INT_LIMIT:
            raise Refused(f"{value} is beyond +-2**53")
        return int(value)
    text = value if value.isascii() else unicodedata.normalize("NFC", value)
    if not text.isascii():
        try:
            text.encode()
        except UnicodeEncodeError:
            raise Refused(f"{value!r} is not encodable as UTF-8") from None
    if len(text) > _SHORT and len(json.dumps(text, ensure_ascii=False).encode()) - 2 > STR_LIMIT:
        raise Refused(f"a string of {len(text)} characters is over {STR_LIMIT} escaped bytes")
    return text if type(text) is str else str.__str__(text)


# --- ids ----------------------------------------------------------------------------------------


def id_candidates() -> Iterator[str]:
    """The ids `Ids` tries, in order: "1", "2", ... The one source of engine and session ids, so
    that a colliding pair can be fed in to show that `Ids` skips an id whose hash is live."""
    return map(str, itertools.count(1))


class Ids:
    """Engine ids whose FNV-1a hash no live id has: the engine tells ids apart only by that hash."""

    def __init__(self, live: Iterable[str] = ()) -> None:
        self._candidates = id_candidates()
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


# --- facts --------------------------------------------------------------------------------------


class Staging:
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
                    raise Refused(f"field name {field!r} is not a str")
                clean = engine_value(value)
            except Refused as refused:
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
