"""Provenance: an assessment as PROV-O, the reproducibility receipt, the export document, and
terms between rdflib and pyoxigraph (`rdfterms`).

May import: the layers below (common, kb, rules, submission, scoring)."""
