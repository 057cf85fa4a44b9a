"""Provenance: an assessment as PROV-O, the reproducibility receipt, the export document.

May import: the layers below (common, kb, rules, submission, scoring)."""
