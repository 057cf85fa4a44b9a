"""Common pieces every layer uses: exact numbers, strict YAML, errors as values, paths, RDF vocabulary,
file and tree hashes.

May import: nothing of demozone."""
