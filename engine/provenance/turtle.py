"""rdflib's Turtle writer with its repeated work remembered: the same text, written faster.

An export names the same few thousand IRIs over and over (every case, fact and passage is
cited several times), and rdflib's writer works out each one's prefixed name anew on every
mention, asks the graph's store for each subject's triples and encodes every piece of text as
it writes it. `turtle_text` runs rdflib's own writer (TurtleSerializer: its order of subjects,
predicates and objects, its prefixes and escapes) with the prefixed name and the written form
of each term remembered after the first time, the triples read from the store once into plain
dictionaries, and the text encoded once at the end, so the text is the one
`Graph.serialize(format="turtle")` gives, byte for byte (tests/test_export.py).
"""

from __future__ import annotations

from io import BytesIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.turtle import OBJECT, VERB, TurtleSerializer

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
        self._by_subject: dict = {}
        self._parts: list[str] = []

    def preprocess(self) -> None:
        # one pass over the store: the store's own order (subject, then predicate, then object
        # as added), which is the order `triples((subject, None, None))` gives each subject
        if self.base is not None:  # predicates under the base are skipped: rdflib's own way
            by_subject = self._by_subject
            for triple in self.store.triples((None, None, None)):
                s, p, o = triple
                by_subject.setdefault(s, {}).setdefault(p, []).append(o)
                self.preprocessTriple(triple)
            self._all_seen = True
            return
        # what rdflib's preprocessTriple does for each triple, with the terms whose prefixed
        # name is known already (a repeat call would change nothing) and those that are no IRI
        # (no prefixed name) passed over
        by_subject, references, subjects = self._by_subject, self._references, self._subjects
        known = self._pnames
        keywords, get_pname = self.keywords, self.get_pname
        for s, p, o in self.store.triples((None, None, None)):
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
            references[o] += 1
            subjects[s] = True
            if isinstance(s, URIRef) and known.get((s, False)) is None:
                get_pname(s, False)
            if isinstance(p, BNode):
                references[p] += 1
            elif p not in keywords and known.get((p, True)) is None:
                get_pname(p, True)
            if isinstance(o, URIRef):
                if known.get((o, False)) is None:
                    get_pname(o, False)
            elif isinstance(o, Literal) and o.datatype and known.get((o.datatype, False)) is None:
                get_pname(o.datatype, False)
        self._all_seen = True

    def buildPredicateHash(self, subject):
        # copies: the writer sorts the lists in place
        return {p: list(objects) for p, objects in self._by_subject.get(subject, {}).items()}

    def predicateList(self, subject, newline: bool = False) -> None:
        # rdflib's predicateList, verb, objectList and path in one loop, an IRI or literal
        # written straight away; a blank node goes through rdflib's own path (it may nest)
        properties = self.buildPredicateHash(subject)
        write, label, path = self._parts.append, self.label, self.path
        for n, predicate in enumerate(self.sortProperties(properties)):
            if n:
                write(" ;\n" + self.indent(1))
            if isinstance(predicate, BNode):
                path(predicate, VERB, newline or n > 0)
            else:
                write(label(predicate, VERB) if newline or n else " " + label(predicate, VERB))
            objects = properties[predicate]
            depthmod = 0 if len(objects) == 1 else 1
            self.depth += depthmod
            for m, obj in enumerate(objects):
                if m:
                    write(",\n" + self.indent(1))
                if isinstance(obj, BNode):
                    path(obj, OBJECT, m > 0)
                else:
                    write(label(obj, OBJECT) if m else " " + label(obj, OBJECT))
            self.depth -= depthmod

    def write(self, text: str) -> None:
        self._parts.append(text)

    def written(self) -> bytes:
        """Everything `write` was given, encoded as rdflib's `write` encodes each piece."""
        return "".join(self._parts).encode(self.encoding, "replace")

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
    writer = _RememberingTurtle(graph)
    writer.serialize(stream, base=graph.base, encoding="utf-8")
    # the writer puts only the closing newline on the stream itself, after everything written
    return (writer.written() + stream.getvalue()).decode("utf-8")
