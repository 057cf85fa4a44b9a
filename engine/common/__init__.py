"""Common pieces every layer uses: exact numbers and their text, strict YAML and its key check,
errors as values, diagnostics (Severity, Location, Finding), paths, RDF vocabulary, file and tree
hashes.

May import: nothing of demozone."""
