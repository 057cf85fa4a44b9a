"""Submissions: the values a county submits (`model`), loading a file (`load`) through the
strict reader (`reader`), the catalog of the knowledge base's systems (`catalog`), synthetic
submissions (`synthetic`), a submission document with a why-not entry's `needs` applied
(`whatif`), and submissions as Excel/WPS workbooks (`workbook`: templates, .xlsx read into the
same document as YAML, conversion).

May import: demozone.common, demozone.kb, demozone.rules."""
