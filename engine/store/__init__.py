"""Where assessments live: the store interface, the embedded Oxigraph store, a SPARQL server,
the bulk loader, `store check` and the history of a submission.

May import: the layers below (common ... provenance)."""
