"""PROV-N and PROV-JSON through the W3C `prov` library for Python.

The export's RDF (Turtle, with its PROV types and a prefix for every IRI base, see
`provtypes`) is read by `prov.model.ProvDocument.deserialize(format="rdf")` as any PROV tool
would read it, without help; the document it yields is then written as PROV-N
(`get_provn()`) or PROV-JSON (`serialize(format="json")`). `read_prov` reads any of the three
back (the test of a round trip).
"""

from __future__ import annotations

import io
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
    """An export graph as PROV-N or PROV-JSON."""
    document = prov_document(graph.serialize(format="turtle"))
    if fmt == "provn":
        return document.get_provn() + "\n"
    if fmt == "provjson":
        out = io.StringIO()
        document.serialize(out, format="json", indent=1, ensure_ascii=False)
        return out.getvalue() + "\n"
    raise ValueError(f"unknown PROV format {fmt!r}")


def read_prov(text: str, fmt: str):
    """A PROV-N, PROV-JSON (or RDF Turtle: "rdf") text read back by the `prov` library."""
    from prov.model import ProvDocument

    if fmt == "rdf":
        return prov_document(text)
    return ProvDocument.deserialize(content=text, format=_PROV_NAMES[fmt])
