"""The knowledge base: indicator systems, clauses, anchors, sources, metrics and national figures.

Values (`model`), loading them once per directory (`load`), kept on disk by content (`cache`), their strict reading (`read`, one
file at a time through `reader`; indicator systems in `systems`, local decompositions resolved
in `local`), the RDF graph (`graph`) and SPARQL over it (`query`), the checks of
`demozone kb check` (`check`, `check_sums`, `check_report`) and the look-ups the CLI shows (`view`).

May import: demozone.common."""
