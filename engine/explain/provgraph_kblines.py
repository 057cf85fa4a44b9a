"""The knowledge base's triples for a provenance graph, read subject by subject from the cached
N-Triples lines of kb/ (`kb.graph.kb_lines_by_subject`) as the graph asks for them."""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import XSD

from demozone.kb.graph import literal_of_parts
from demozone.provenance.rdfterms import to_rdflib

_XSD_STRING = str(XSD.string)
# integer types whose canonical lexical forms rdflib keeps as they are, with their values
_INTEGERS = {
    f"^^<{XSD.integer}>": (XSD.integer, re.compile(r"0|-?[1-9][0-9]*")),
    f"^^<{XSD.nonNegativeInteger}>": (XSD.nonNegativeInteger, re.compile(r"0|[1-9][0-9]*")),
}
_ESCAPES = {b"t": b"\t", b"b": b"\b", b"n": b"\n", b"r": b"\r", b"f": b"\f"}
_ESCAPES |= {b'"': b'"', b"'": b"'", b"\\": b"\\"}
_ESCAPED = re.compile(rb"\\([tbnrf\"'\\])")  # N-Triples' ECHAR; \u is parsed
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)*")


class KbLines:
    """Answers `objects`, `value` and `in` as an rdflib graph (or `rdfterms.TripleIndex`) of the
    knowledge base's triples would, in the same order (that of the lines). Only the subjects
    asked about are split into predicates and objects, and only the objects asked for become
    rdflib terms: a provenance graph reads a few hundred of the knowledge base's nodes, not
    the excerpt an export holds. For the nodes an assessment names and what they lead to
    (anchors, selectors, sources) it answers what the excerpt `assessment.resolve._cited` would.
    """

    def __init__(self, lines: dict[str, bytes]) -> None:
        self._lines = lines
        self._parsed: dict[str, dict[str, dict]] = {}  # subject -> predicate -> object texts
        self._terms: dict[bytes, object] = {}  # an object's N-Triples text -> its rdflib term

    def _predicates(self, subject) -> dict[str, dict]:
        key = str(subject)
        found = self._parsed.get(key)
        if found is None:
            found = self._parsed[key] = {}
            text = self._lines.get(key) if isinstance(subject, URIRef) else None
            for line in text.splitlines() if text else ():
                # the lines rdflib wrote: "<subject> <predicate> object ." (no space in an IRI)
                start = line.index(b"> <") + 3
                end = line.index(b"> ", start)
                found.setdefault(line[start:end].decode("utf-8"), {})[line[end + 2 : -2]] = line
        return found

    def objects(self, subject, predicate):
        """The objects of (subject, predicate, ?), as rdflib terms."""
        found = self._predicates(subject).get(str(predicate))
        if not found:
            return iter(())
        terms = self._terms
        converted = []
        for text, line in found.items():
            term = terms.get(text)
            if term is None:
                term = terms[text] = _term(text, line)
            converted.append(term)
        return iter(converted)

    def value(self, subject, predicate):
        """The first object of (subject, predicate, ?), None when there is none."""
        return next(self.objects(subject, predicate), None)

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        return o in set(self.objects(s, p))


def _term(text: bytes, line: bytes):
    """The rdflib term of an object written `text` in N-Triples (from `line`): what pyoxigraph
    and `rdfterms.to_rdflib` make of it. An IRI without escapes, and a plain or language-tagged
    literal or a canonical integer without \\u escapes, are made directly (rdflib would check
    and parse them again); anything else is parsed."""
    if text.startswith(b"<") and text.endswith(b">") and b"\\" not in text:
        return str.__new__(URIRef, text[1:-1].decode("utf-8"))
    if text.startswith(b'"') and b"\\u" not in text and b"\\U" not in text:
        close = text.rindex(b'"')
        lexical = _ESCAPED.sub(_unescaped, text[1:close]).decode("utf-8")
        suffix = text[close + 1 :].decode("utf-8")
        if not suffix or suffix == f"^^<{_XSD_STRING}>":
            return literal_of_parts(lexical, None, None, lexical, None)
        if suffix.startswith("@") and _LANGUAGE.fullmatch(suffix[1:]):
            return literal_of_parts(lexical, suffix[1:], None, lexical, None)
        datatype, canonical = _INTEGERS.get(suffix, (None, None))
        if canonical is not None and canonical.fullmatch(lexical):
            return literal_of_parts(lexical, None, datatype, int(lexical), False)
    [triple] = ox.parse(line, format=ox.RdfFormat.N_TRIPLES)
    return to_rdflib(triple.object)


def _unescaped(match: re.Match) -> bytes:
    return _ESCAPES[match.group(1)]
