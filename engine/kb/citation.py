"""A citation: where a passage of a source document is, in the one naming every output uses.

An anchor of the knowledge base says which source and which code points; a `Citation` adds what
tools need to find the passage without the knowledge base: the source's file name in kb/sources/
and the same span in bytes of the file's UTF-8 encoding (most tools and byte-oriented readers
count bytes, not code points). Offsets are 0-based and end-exclusive, so
`text[char_start:char_end] == quote` and `data[byte_start:byte_end] == quote.encode()`.

The fields carry the same names everywhere: in JSON (`show --json`, `explain --json`) as the
snake_case keys of `FIELDS`, in RDF (`export`, the knowledge-base graph) as the dz: properties of
`RDF_NAMES` on the anchor node (dz:sourceId, dz:sourceFile, dz:charStart, dz:charEnd,
dz:byteStart, dz:byteEnd), and in text (`show`, `explain`, reports) as `where` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from demozone.kb.model import KB, Anchor

# JSON key -> local name of the dz: property on an anchor node
RDF_NAMES = {
    "source_id": "sourceId",
    "source_file": "sourceFile",
    "char_start": "charStart",
    "char_end": "charEnd",
    "byte_start": "byteStart",
    "byte_end": "byteEnd",
}
FIELDS = tuple(RDF_NAMES)

_WHERE = {
    "zh": "{source_id}（{source_file}）第{char_start}–{char_end}字，第{byte_start}–{byte_end}字节",
    "en": "{source_id} ({source_file}) chars {char_start}–{char_end}, "
    "bytes {byte_start}–{byte_end}",
}


@dataclass(frozen=True)
class Citation:
    """A passage of a source file: its source id and file name, its span in code points and in
    bytes of the file (both end-exclusive), the role the anchor gives it and the verbatim quote."""

    source_id: str
    source_file: str
    title: str
    role: str
    char_start: int
    char_end: int
    byte_start: int
    byte_end: int
    quote: str

    def to_json(self) -> dict:
        """The citation as JSON: the keys of `FIELDS` and title, role and quote."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping) -> Citation:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})

    def where(self, lang: str = "zh") -> str:
        """Source, file and both ranges as people read them (`citation_text`)."""
        return citation_text(self.to_json(), lang)


def cite(kb: KB, anchor: Anchor) -> Citation:
    """The citation of an anchor, its byte offsets counted in the source file's UTF-8 text
    (the file is kept byte-identical and decoded without newline changes, so encoding the
    text before an offset gives exactly the file's bytes before it). An anchor on a source
    the knowledge base does not have keeps its code points and has no file and no bytes (-1)."""
    doc = kb.sources.get(anchor.source)
    if doc is None:
        return Citation(
            anchor.source,
            "",
            anchor.source,
            anchor.role,
            anchor.start,
            anchor.end,
            -1,
            -1,
            anchor.quote,
        )
    byte_start = len(doc.text[: anchor.start].encode("utf-8"))
    byte_end = byte_start + len(doc.text[anchor.start : anchor.end].encode("utf-8"))
    return Citation(
        anchor.source,
        doc.file,
        doc.title,
        anchor.role,
        anchor.start,
        anchor.end,
        byte_start,
        byte_end,
        anchor.quote,
    )


def citation_text(citation: Mapping, lang: str = "zh") -> str:
    """A citation's place in words, from its JSON (`Citation.to_json`):
    "wanrong（000_caf23c3167bd217c.txt）第522–610字，第1034–1298字节" in Chinese,
    "wanrong (000_caf23c3167bd217c.txt) chars 522–610, bytes 1034–1298" in English."""
    return _WHERE["en" if lang == "en" else "zh"].format(**{k: citation[k] for k in FIELDS})
