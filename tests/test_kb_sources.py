"""The source documents in kb/sources/ are byte-identical to the originals."""

import hashlib
from pathlib import Path

SOURCES = Path(__file__).resolve().parent.parent / "kb" / "sources"
# sha256 of the five original seed documents, pinned when they were copied into kb/sources/
ORIGINALS = {
    "000_caf23c3167bd217c.txt": "32fb7a6a01d3571859166cff9ba1aeeda3f95cf428ce40bf8012772abf495d48",
    "001_643c854740309497.txt": "086f9fb841c44b82161d35726fc62adeda9ae8e6cbf41d59105ff832597c7bed",
    "002_7cc7ca1fffc88393.txt": "419200fe8687c9db72ee510d38fd136d026c7dd661291d6c6cbbdac4cdb2d919",
    "003_9cb48cdc64fb4dac.txt": "29f9981d1b53a8970db3e4697ac3df15c747dd6b1935b990664554e36c297fb6",
    "004_8217cbe455a27f5a.txt": "338c27fcc3b33ffae6f851d559faf428d592f3404c37205ae7b0556253af6c98",
}


def test_every_source_is_byte_identical_to_its_original():
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SOURCES.glob("*.txt")}
    assert found == ORIGINALS
