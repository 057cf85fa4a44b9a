"""Scoring rules: the rule model, rule files and their variants, the rule set of a system by its
id (`lookup`), the rule kinds, responsible units.

May import: demozone.common, demozone.kb."""
