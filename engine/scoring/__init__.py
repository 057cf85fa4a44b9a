"""Scoring: derivation of cases, direct evaluation, compilation to durable-rules and its adapter,
adding up to indicators, levels and the verdict, and the results as tables and JSON.

May import: demozone.common, demozone.kb, demozone.rules, demozone.submission."""
