"""Spans and anchors over one source text, and the small parsers every table shares.

A source is read as UTF-8 into a `str`; every offset here is a code-point index into it, end
exclusive, so an anchor's `quote` is always `text[start:end]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "kb"

# A points marker as the tables write it: （2分） (2分) and, damaged, 2分) without the opening one.
POINTS_END = re.compile(r"[（(]?(\d+(?:\.\d+)?)分[）)]$")
POINTS_FULL = re.compile(r"[（(](\d+(?:\.\d+)?)分[）)]")
BLANK_LINE = re.compile(r"\n[ \t\xa0\u3000]*\n")


def number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


@dataclass
class Source:
    id: str
    text: str

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """The span without surrounding whitespace (a blank span collapses to (start, start))."""
        t = self.text
        while start < end and t[start].isspace():
            start += 1
        while end > start and t[end - 1].isspace():
            end -= 1
        return start, end

    def pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """The span cut at blank lines (page breaks, split cells), each piece trimmed."""
        out, pos = [], start
        for m in BLANK_LINE.finditer(self.text, start, end):
            s, e = self.trim(pos, m.start())
            if e > s:
                out.append((s, e))
            pos = m.end()
        s, e = self.trim(pos, end)
        if e > s:
            out.append((s, e))
        return out

    def anchor(self, role: str, start: int, end: int) -> dict:
        quote = self.text[start:end]
        if not quote or quote != quote.strip():
            raise ValueError(f"{self.id}: bad {role} anchor {start}:{end} {quote!r}")
        return {"source": self.id, "role": role, "start": start, "end": end, "quote": quote}

    def anchors(self, role: str, spans: list[tuple[int, int]]) -> list[dict]:
        return [self.anchor(role, s, e) for s, e in spans]

    def joined(self, spans: list[tuple[int, int]]) -> str:
        """The real text of a split span: its pieces joined without the break."""
        return "".join(self.text[s:e] for s, e in spans)

    def find(self, needle: str, start: int = 0, end: int | None = None, nth: int = 0) -> int:
        pos = start - 1
        for _ in range(nth + 1):
            pos = self.text.find(needle, pos + 1, len(self.text) if end is None else end)
            if pos < 0:
                raise ValueError(f"{self.id}: {needle!r} not found")
        return pos

    def find_all(self, needle: str) -> list[int]:
        out, pos = [], self.text.find(needle)
        while pos >= 0:
            out.append(pos)
            pos = self.text.find(needle, pos + 1)
        return out

    def line_span(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end


def load_sources() -> dict[str, Source]:
    entries = yaml.safe_load((KB / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    return {
        sid: Source(sid, (KB / "sources" / e["file"]).read_bytes().decode("utf-8"))
        for sid, e in entries.items()
    }


@dataclass
class Clause:
    k: int
    text: list[tuple[int, int]]  # the clause's text, one piece per split
    points: tuple[int, int] | None = None  # the (N分) marker
    value: int | float | None = None


@dataclass
class Row:
    """One indicator as one source's table writes it."""

    number: int
    nature: tuple[int, int]
    label: list[tuple[int, int]]
    points: list[tuple[int, int]]
    value: int | float
    criterion: list[tuple[int, int]]
    methods: list[tuple[int, int]] = field(default_factory=list)
    data_sources: list[tuple[int, int]] = field(default_factory=list)
    units: tuple[int, int] | None = None
    clauses: list[Clause] = field(default_factory=list)
    rule_text: tuple[int, int] | None = None
    first_level: str | None = None  # the label of the level heading in force
    second_level: str | None = None


@dataclass
class Heading:
    label: tuple[int, int]
    points: list[tuple[int, int]]
    value: int
    row: int  # the number of the indicator the heading stands on


def split_title(src: Source, start: int, end: int):
    """A title cell -> (label span without the final 。, points marker span or None, value)."""
    start, end = src.trim(start, end)
    cell = src.text[start:end]
    m = POINTS_END.search(cell)
    marker, value = None, None
    if m and (m.group(0)[0] in "（(" or m.start() == 0):
        marker, value = (start + m.start(), start + m.end()), number(m.group(1))
        end = src.trim(start, start + m.start())[1]
    while end > start and src.text[end - 1] in "。.":
        end -= 1
    return (start, end), marker, value


def split_heading(src: Source, start: int, end: int):
    """A level heading 促进发展（20分） -> (label span, marker span or None, value or None)."""
    label, marker, value = split_title(src, start, end)
    return label, marker, value


def methods_and_sources(src: Source, start: int, end: int):
    """评估方式及数据或资料来源 -> (method name spans, data-source name spans)."""
    t = src.text
    ds = t.find("数据或资料来源", start, end)
    m_start = start
    head = re.compile(r"方式[：:]")
    hm = head.search(t, start, ds)
    if hm:
        m_start = hm.end()
    methods = [
        src.trim(m.start(), m.end()) for m in re.compile(r"[^、。：:\s]+").finditer(t, m_start, ds)
    ]
    s_start = ds + len("数据或资料来源") + 1  # past the colon
    names = [
        (m.start(1), m.end(1))
        for m in re.compile(r"(?:\d\.)?\s*([^\s；;。:：\d][^\s；;。:：]*)").finditer(
            t, s_start, end
        )
    ]
    return methods, names


def unit_names(src: Source, start: int, end: int) -> list[tuple[int, int]]:
    """Responsible units: split on 、 ， , and line breaks or spaces, verbatim, trimmed."""
    return [(m.start(), m.end()) for m in re.compile(r"[^、，,\s]+").finditer(src.text, start, end)]


ITEM = re.compile(r"(?<![^\s>])([1-9])\.(?!\d) ?")
RULE_TEXT = re.compile(r"符合一项即可得(?:\d+)?分。")


def numbered_clauses(src: Source, start: int, end: int):
    """Clauses of a 2022 criterion: numbered items 1. 2. 3. each with its (N分), or one clause.

    Returns (clauses, rule_text span or None). A criterion without numbered items is one clause:
    the whole text, without a trailing (N分) marker.
    """
    t = src.text
    rule = RULE_TEXT.search(t, start, end)
    limit = rule.start() if rule else end
    starts, expected = [], 1
    for m in ITEM.finditer(t, start, limit):
        if int(m.group(1)) == expected:
            starts.append(m)
            expected += 1
    clauses = []
    if len(starts) >= 2:
        for i, m in enumerate(starts):
            item_end = starts[i + 1].start() if i + 1 < len(starts) else limit
            clauses.append(_peel(src, i + 1, m.end(), item_end, markers_need_paren=False))
    else:
        clauses.append(_peel(src, 1, start, limit, markers_need_paren=True))
    return clauses, (rule.start(), rule.end()) if rule else None


def _peel(src: Source, k: int, start: int, end: int, markers_need_paren: bool) -> Clause:
    start, end = src.trim(start, end)
    m = POINTS_END.search(src.text, start, end)
    if m and markers_need_paren and m.group(0)[0] not in "（(":
        m = None
    if m:
        text_end = src.trim(start, m.start())[1]
        return Clause(k, src.pieces(start, text_end), (m.start(), m.end()), number(m.group(1)))
    return Clause(k, src.pieces(start, end))


def tab_cells(src: Source, start: int, end: int) -> list[tuple[int, int]]:
    """Cells of a tab-flattened table: the text after each tab up to the next, trimmed."""
    t = src.text
    cells = []
    pos = t.find("\t", start, end)
    while pos >= 0:
        nxt = t.find("\t", pos + 1, end)
        cells.append(src.trim(pos + 1, end if nxt < 0 else nxt))
        pos = nxt
    return cells


def chunks(src: Source, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of non-blank lines (the cells of a table flattened one cell per paragraph)."""
    return src.pieces(start, end)
