"""Scoring rules: the rule model, rule files and their variants, the rule kinds, responsible units.

May import: demozone.common, demozone.kb."""
