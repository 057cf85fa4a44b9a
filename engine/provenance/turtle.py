"""rdflib's Turtle writer with its repeated work remembered: the same text, written faster.

An export names the same few thousand IRIs over and over (every case, fact and passage is
cited several times), and rdflib's writer works out each one's prefixed name anew on every
mention, asks the graph's store for each subject's triples and encodes every piece of text as
it writes it. `turtle_text` runs rdflib's own writer (TurtleSerializer: its order of subjects,
predicates and objects, its prefixes and escapes) with the prefixed name and the written form
of each term remembered after the first time, the triples read from the store once into plain
dictionaries, and the text encoded once at the end, so the text is the one
`Graph.serialize(format="turtle")` gives, byte for byte (tests/test_export.py).

The triples may also come as a list beside a graph that holds only the prefixes: the text is
then the one a graph of those triples with those prefixes gives, and no graph of them is built
(an export's 25,000 triples cost more to put into an rdflib graph than to write).
"""

from __future__ import annotations

from collections import Counter
from io import BytesIO

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.turtle import OBJECT, VERB, TurtleSerializer

__all__ = ["turtle_text"]


class _RememberingTurtle(TurtleSerializer):
    """TurtleSerializer remembering `get_pname` and `label` per term.

    A prefixed name once found stays the same (rdflib's namespace manager keeps it), and a later
    call for the same term would only register the prefix it uses again, which changes nothing.
    "No prefixed name" is remembered only once every triple has been looked at: until then a
    prefix made up for a predicate could still give one."""

    def __init__(self, store: Graph, triples: list[tuple] | None = None) -> None:
        self._given = triples  # the triples, each once, when not those of `store`
        super().__init__(store)

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
        given = self.store.triples((None, None, None)) if self._given is None else self._given
        if self.base is not None:  # predicates under the base are skipped: rdflib's own way
            by_subject = self._by_subject
            for triple in given:
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
        for s, p, o in given:
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

    def orderSubjects(self):
        if self._given is None:
            return super().orderSubjects()
        # rdflib's order, with the members of its top classes found in the triples given
        tops = []
        for cls in self.topClasses:
            members = sorted(
                {
                    s
                    for s, objects in self._by_subject.items()
                    if cls in set(objects.get(RDF.type, ()))
                }
            )
            tops += members
            self._topLevels.update(dict.fromkeys(members, True))
        rest = [
            (isinstance(s, BNode), self._references[s], s)
            for s in self._subjects
            if s not in self._topLevels
        ]
        return tops + [s for _bnode, _refs, s in sorted(rest)]

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

    def given_text(self) -> str:
        """What `serialize` writes for the triples given (no base, no blank node), decoded: the
        same steps without rdflib's calls per triple. Each distinct term is looked at once for
        its prefix (so the prefixes declared are those rdflib declares), each written form is
        found once, and each subject's lines are put together in one loop."""
        self.reset()
        self.encoding = "utf-8"
        by_subject = self._by_subject
        for s, p, o in self._given:
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        predicates = dict.fromkeys(p for objects in by_subject.values() for p in objects)
        objects = Counter(o for s, p, o in self._given)
        nodes = [*by_subject, *predicates, *objects]
        if any(isinstance(node, BNode) for node in nodes):
            raise ValueError("blank nodes are written from a graph, not from a list of triples")
        get_pname = self.get_pname
        for s in by_subject:
            get_pname(s, False)
        for p in predicates:
            if p not in self.keywords:
                get_pname(p, True)
        for o in objects:
            if isinstance(o, Literal):
                if o.datatype:
                    get_pname(o.datatype, False)
            else:
                get_pname(o, False)
        self._all_seen = True
        self._subjects = dict.fromkeys(by_subject, True)
        self._references.update(objects)
        written = self._parts
        self.startDocument()
        # a node's written form as a subject is its form as an object (no prefix is made up)
        labels = {node: self.label(node, OBJECT) for node in [*by_subject, *objects]}
        verbs = {p: self.label(p, VERB) for p in predicates}
        first = self.predicateOrder  # rdflib's sortProperties: these first, then the others
        for subject in self.orderSubjects():
            properties = by_subject[subject]  # its lists are sorted in place, as rdflib's are
            order = [p for p in first if p in properties]
            skip = set(order)  # looked up by hash, not compared with each
            order += sorted(p for p in properties if p not in skip)
            lines = ["\n", labels[subject]]
            for n, predicate in enumerate(order):
                lines.append((" ;\n    " if n else " ") + verbs[predicate])
                objects_ = properties[predicate]
                if len(objects_) > 1:
                    objects_.sort()
                lines.append(" " + labels[objects_[0]])
                lines += [",\n        " + labels[obj] for obj in objects_[1:]]
            lines.append(" .\n")
            written.append("".join(lines))
        written.append("\n")
        # encoded and decoded as rdflib's `write` encodes each piece ("replace": a lone
        # surrogate becomes "?")
        return "".join(written).encode(self.encoding, "replace").decode(self.encoding)

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


def turtle_text(graph: Graph, triples: list[tuple] | None = None) -> str:
    """`graph.serialize(format="turtle")`, the same text. With `triples` (each once, no blank
    node: a blank node's nesting asks the graph; ValueError), the text of a graph of `triples`
    with the prefixes of `graph` (whose own triples are not read)."""
    writer = _RememberingTurtle(graph, triples)
    if triples is not None and graph.base is None:
        return writer.given_text()
    stream = BytesIO()
    writer.serialize(stream, base=graph.base, encoding="utf-8")
    # the writer puts only the closing newline on the stream itself, after everything written
    return (writer.written() + stream.getvalue()).decode("utf-8")
