"""Submissions: the values a county submits (`model`), loading a file (`load`) through the
strict reader (`reader`), the catalog of the knowledge base's systems (`catalog`), synthetic
submissions (`synthetic`), and a submission document with a why-not entry's `needs` applied
(`whatif`).

May import: demozone.common, demozone.kb, demozone.rules."""
