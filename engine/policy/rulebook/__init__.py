"""The rule workbook for policy staff: `demozone rules export SYSTEM -o rules.xlsx` writes a
rule set as a workbook (one row per rule, the pass rule, the region-class parameters), and
`demozone rules import rules.xlsx --base SYSTEM -o my-variant.yaml` turns an edited workbook
back into a commented YAML variant holding only what differs from the base.

Which keys of a rule go into which column is its kind's (`RuleKind.workbook`); this package
writes and reads the cells (`cells`), the workbook (`export`, `importer`) and the variant
(`variant`).

May import: the layers below (common ... explain) and demozone.policy.lint."""
