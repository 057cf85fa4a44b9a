"""Common pieces every layer uses: exact numbers, strict YAML, errors as values, paths, RDF vocabulary.

May import: nothing of demozone."""
