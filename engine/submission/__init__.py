"""Submissions: the values a county submits (`model`), loading a file (`load`) through the
strict reader (`reader`), the catalog of the knowledge base's systems (`catalog`), synthetic
submissions.

May import: demozone.common, demozone.kb, demozone.rules."""
