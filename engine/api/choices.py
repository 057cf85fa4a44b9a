"""The fixed choices a command line offers (engines, output formats), importable without the
engine: the CLI builds its options from them before any heavy part is loaded.

Each tuple is the engine's own (tests/test_startup.py checks they agree)."""

from __future__ import annotations

ENGINES = ("rete", "direct")  # demozone.scoring.aggregate.ENGINES
GRAPH_FORMATS = ("graphml", "dot", "json", "html")  # demozone.explain.provgraph.FORMATS
GRAPH_SUFFIXES = {  # demozone.explain.provgraph.SUFFIXES
    ".graphml": "graphml",
    ".dot": "dot",
    ".gv": "dot",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}
EXPORT_FORMATS = ("ttl", "jsonld", "provn", "provjson")  # demozone.provenance.export.FORMATS
REPORT_FORMATS = ("html", "pdf", "docx")  # what demozone.api.report writes
AUDIT_QUESTIONS = ("assessor", "passage", "verdicts")  # demozone.store.query.AUDIT_QUESTIONS
