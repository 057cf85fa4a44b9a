"""Tools for policy staff: `lint` a rule set, `diff` two systems, the `impact` of a change,
and rule tests in data.

May import: the layers below (common ... explain)."""
