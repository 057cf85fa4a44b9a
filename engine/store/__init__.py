"""Where assessments live: the store interface (`base`), its terms (`terms`), sealing an
assessment (`seal`), the embedded Oxigraph store (`embedded`), a SPARQL server (`remote`),
opening one by its location (`location`), the bulk loader, `store check` and the history of a
submission.

May import: the layers below (common ... provenance)."""
