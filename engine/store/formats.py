"""The file formats of a store's backup: N-Quads (.nq) or TriG (.trig), by name or suffix."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from demozone.common.errors import StoreError
from demozone.store.terms import DZ, ID, PROV, RDFS, XSD

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


def trig_prefixes(rdf_format: ox.RdfFormat) -> dict[str, str] | None:
    if rdf_format != ox.RdfFormat.TRIG:
        return None
    return {"dz": DZ, "id": ID, "prov": PROV, "rdfs": RDFS, "xsd": XSD}


def backup_format(path: Path, fmt: str | None) -> ox.RdfFormat:
    if fmt:
        named = {"nquads": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS}
        named["trig"] = ox.RdfFormat.TRIG
        if fmt.lower() not in named:
            raise StoreError(f"unknown backup format {fmt!r}: use nquads or trig")
        return named[fmt.lower()]
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise StoreError(
            f"cannot tell the format of {path.name}: name it .nq (N-Quads) or .trig (TriG)"
        )
    return FORMATS[suffix]
