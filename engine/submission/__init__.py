"""Submissions: the values a county submits, their strict reader, synthetic submissions.

May import: demozone.common, demozone.kb, demozone.rules."""
