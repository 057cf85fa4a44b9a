"""PROV-N and PROV-JSON through the W3C `prov` library for Python.

The export's RDF (Turtle, with its PROV types and a prefix for every IRI base, see
`provtypes`) is read by `prov.model.ProvDocument.deserialize(format="rdf")` as any PROV tool
would read it, without help; the document it yields is then written as PROV-N
(`get_provn()`) or PROV-JSON (`serialize(format="json")`). `read_prov` reads any of the three
back (the test of a round trip).
"""

from __future__ import annotations

import io
import json
import warnings

from rdflib import Graph

PROV_FORMATS = ("provn", "provjson")
_PROV_NAMES = {"provn": "provn", "provjson": "json", "rdf": "rdf"}


def prov_document(turtle: str):
    """The `prov` library's document of an exported Turtle text. Any warning of the library
    (a record it could not convert) is an error: the export must read without loss."""
    from prov.model import ProvDocument

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        return ProvDocument.deserialize(content=turtle, format="rdf", rdf_format="turtle")


def prov_text(graph: Graph, fmt: str) -> str:
    """An export graph as PROV-N or PROV-JSON (PROV-JSON in one order whatever the run)."""
    document = prov_document(graph.serialize(format="turtle"))
    if fmt == "provn":
        return document.get_provn() + "\n"
    if fmt == "provjson":
        out = io.StringIO()
        document.serialize(out, format="json", ensure_ascii=False)
        return json_text(_renumbered(json.loads(out.getvalue()))) + "\n"
    raise ValueError(f"unknown PROV format {fmt!r}")


def canonical(value):
    """A JSON value with every object's keys and every array's items in sorted order: the
    arrays of JSON-LD (without @list) and PROV-JSON are sets, which the libraries writing them
    fill in an order that changes from run to run."""
    if isinstance(value, dict):
        return {
            key: [canonical(i) for i in item] if key == "@list" else canonical(item)
            for key, item in sorted(value.items())
        }
    if isinstance(value, list):
        return sorted((canonical(item) for item in value), key=json_text)
    return value


def json_text(value) -> str:
    """`canonical(value)` as indented JSON, Chinese as it is."""
    return json.dumps(canonical(value), ensure_ascii=False, indent=1, sort_keys=True)


def _renumbered(document: dict) -> dict:
    """PROV-JSON with its unnamed relations (`_:id<n>`, numbered by the library in the order
    it met them) numbered again in the order of what they say."""
    found = []
    for kind, records in document.items():
        if kind == "prefix" or not isinstance(records, dict):
            continue
        for name in [n for n in records if n.startswith("_:id")]:
            found.append((kind, json_text(records[name]), records.pop(name)))
    for n, (kind, _text, record) in enumerate(sorted(found, key=lambda f: f[:2]), start=1):
        document[kind][f"_:id{n}"] = record
    return document


def read_prov(text: str, fmt: str):
    """A PROV-N, PROV-JSON (or RDF Turtle: "rdf") text read back by the `prov` library."""
    from prov.model import ProvDocument

    if fmt == "rdf":
        return prov_document(text)
    return ProvDocument.deserialize(content=text, format=_PROV_NAMES[fmt])
