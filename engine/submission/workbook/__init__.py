"""Submissions as Excel/WPS workbooks (.xlsx): the template of a system, a submission written as
a workbook, and a workbook read back into the same document a YAML file gives.

`layout` names the sheets, their columns and the Chinese words a clerk writes (shared by reader
and writer); `plan` says what one system's workbook holds (its metrics, national comparators and
judged clauses, from the knowledge base and the rules); `write` builds the workbook; `cells`
reads cells as a clerk means them (cached formula values, full-width digits, merged cells,
trailing spaces); `read` turns a workbook into a submission document with the cell of every
field; `document` writes a loaded submission back as a document (YAML, JSON or a workbook), which
`convert` uses.

May import: demozone.common, demozone.kb, demozone.rules and the rest of demozone.submission.
"""
