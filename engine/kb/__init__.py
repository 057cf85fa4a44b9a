"""The knowledge base: indicator systems, clauses, anchors, sources, metrics and national figures.

Values (`model`), their strict reading (`read`, `systems`), the RDF graph (`graph`), the checks
of `demozone kb check` (`check`, `check_sums`, `check_report`) and the look-ups the CLI shows (`view`).

May import: demozone.common."""
