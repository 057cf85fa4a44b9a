"""Why a score is what it is: derivation trees, the provenance graph view, saved questions.

May import: the layers below (common ... assessment)."""
