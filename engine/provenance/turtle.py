"""rdflib's Turtle writer with its repeated work remembered: the same text, written faster.

An export names the same few thousand IRIs over and over (every case, fact and passage is
cited several times), and rdflib's writer works out each one's prefixed name anew on every
mention, which is most of its time. `turtle_text` runs rdflib's own writer (TurtleSerializer:
its order of subjects, predicates and objects, its prefixes and escapes) with the prefixed
name and the written form of each term remembered after the first time, so the text is the
one `Graph.serialize(format="turtle")` gives, byte for byte (tests/test_export.py).
"""

from __future__ import annotations

from io import BytesIO

from rdflib import Graph
from rdflib.plugins.serializers.turtle import TurtleSerializer

__all__ = ["turtle_text"]


class _RememberingTurtle(TurtleSerializer):
    """TurtleSerializer remembering `get_pname` and `label` per term.

    A prefixed name once found stays the same (rdflib's namespace manager keeps it), and a later
    call for the same term would only register the prefix it uses again, which changes nothing.
    "No prefixed name" is remembered only once every triple has been looked at: until then a
    prefix made up for a predicate could still give one."""

    def reset(self) -> None:
        super().reset()
        self._pnames: dict = {}
        self._labels: dict = {}
        self._all_seen = False

    def preprocess(self) -> None:
        super().preprocess()
        self._all_seen = True

    def get_pname(self, uri, gen_prefix: bool = True):
        key = (uri, gen_prefix)
        try:
            return self._pnames[key]
        except KeyError:
            found = super().get_pname(uri, gen_prefix)
            if found is not None or self._all_seen:
                self._pnames[key] = found
            return found

    def label(self, node, position: int) -> str:
        key = (node, position)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = super().label(node, position)
        return found


def turtle_text(graph: Graph) -> str:
    """`graph.serialize(format="turtle")`, the same text."""
    stream = BytesIO()
    _RememberingTurtle(graph).serialize(stream, base=graph.base, encoding="utf-8")
    return stream.getvalue().decode("utf-8")
