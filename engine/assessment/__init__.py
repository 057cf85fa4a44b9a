"""One assessment end to end: load, validate, score and record (`assess`), many at once
(`batch`), and finding an assessment again from a file or the store (`resolve`).

May import: the layers below (common ... store)."""
