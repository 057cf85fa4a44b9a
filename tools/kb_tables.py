"""Parsers of the four indicator tables, one per source layout.

Each returns (rows, headings): the indicators as that source writes them (`kb_text.Row`) and the
level headings it prints, in order. Headings repeated on a page break are returned too; the caller
keeps the one that stands inside its level's range.
"""

from __future__ import annotations

import re

from kb_text import (
    POINTS_END,
    Heading,
    Row,
    Source,
    chunks,
    methods_and_sources,
    number,
    numbered_clauses,
    split_heading,
    split_title,
    tab_cells,
)


def _heading(src: Source, span: tuple[int, int], row: int, extra=None) -> Heading:
    label, marker, value = split_heading(src, *span)
    points = [marker] if marker else []
    if extra:
        points.append(extra[0])
        value = extra[1]
    return Heading(label, points, value, row)


def wanrong(src: Source):
    """000: one cell per tab; a row is 8 cells (一级, 二级, 编号, 性质, 三级, 说明, 方式, 单位)."""
    cells = tab_cells(src, 0, len(src.text))
    body, pass_rule = cells[8:-1], cells[-1]
    if len(body) != 41 * 8:
        raise ValueError(f"000: {len(body)} cells, expected 41 rows of 8")
    rows, l1s, l2s = [], [], []
    for i in range(0, len(body), 8):
        l1, l2, num, nature, title, crit, meth, units = body[i : i + 8]
        n = int(src.text[num[0] : num[1]])
        if l1[1] > l1[0]:
            l1s.append(_heading(src, l1, n))
        if l2[1] > l2[0]:
            l2s.append(_heading(src, l2, n))
        label, marker, value = split_title(src, *title)
        methods, data_sources = methods_and_sources(src, *meth)
        clauses, rule = numbered_clauses(src, *crit)
        rows.append(
            Row(
                n,
                nature,
                [label],
                [marker],
                value,
                src.pieces(*crit),
                methods,
                data_sources,
                units,
                clauses,
                rule,
            )
        )
    return rows, l1s, l2s, pass_rule


def liangdang(src: Source):
    """002: one cell per paragraph, but split cells (a title's "2分)" or a clause's "1分)" on
    a paragraph of their own) and one paragraph per responsible unit."""
    t = src.text
    table = src.find("\n一级指标\n")
    stop = src.find("是否详细阅读")
    cs = chunks(src, table, stop)
    cs = cs[cs.index(next(c for c in cs if t[c[0] : c[1]] == "责任单位")) + 1 :]
    cs = [c for c in cs if not t[c[0] : c[1]].startswith("1、1.")]
    rows: list[Row] = []
    l1s, l2s = [], []
    l1_labels = {"促进发展", "规范监管", "优化服务", "探索创新", "综合保障"}
    heading = re.compile(r"^(\S+?)\((\d+)分\)$")
    bare_points = re.compile(r"^(\d+(?:\.\d+)?)分\)$")
    i = 0

    def text(c):
        return t[c[0] : c[1]]

    while i < len(cs):
        c = cs[i]
        s = text(c)
        m = heading.match(s)
        if m or s in {"服务网络消费"}:
            extra = None
            if not m and i + 1 < len(cs) and bare_points.match(text(cs[i + 1])):
                nxt = cs[i + 1]
                extra = (nxt, number(bare_points.match(text(nxt)).group(1)))
                i += 1
            label = m.group(1) if m else s
            h = _heading(src, c, len(rows) + 1, extra)
            (l1s if label in l1_labels else l2s).append(h)
            i += 1
            continue
        if not re.fullmatch(r"\d+", s):
            raise ValueError(f"002: unexpected paragraph {s!r} at {c}")
        n = int(s)
        nature = cs[i + 1]
        label, marker, value = split_title(src, *cs[i + 2])
        points = [marker]
        i += 3
        if marker is None:
            pm = bare_points.match(text(cs[i]))
            if not pm:
                raise ValueError(f"002: no points for indicator {n}")
            points, value = [cs[i]], number(pm.group(1))
            i += 1
        crit_start = cs[i][0]
        while not text(cs[i]).startswith("方式"):
            i += 1
        crit_end = cs[i - 1][1]
        methods, data_sources = methods_and_sources(src, *cs[i])
        i += 1
        unit_start = cs[i][0]
        unit_end = unit_start
        while i < len(cs):
            s = text(cs[i])
            if re.fullmatch(r"\d+", s) or heading.match(s) or s == "服务网络消费":
                break
            unit_end = cs[i][1]
            i += 1
        clauses, rule = numbered_clauses(src, crit_start, crit_end)
        rows.append(
            Row(
                n,
                nature,
                [label],
                points,
                value,
                src.pieces(crit_start, crit_end),
                methods,
                data_sources,
                (unit_start, unit_end),
                clauses,
                rule,
            )
        )
    return rows, l1s, l2s


def hejin(src: Source):
    """001 附件2: one row per line, cells between tabs; the header repeats on every page; rows 24
    and 25 are shifted two cells left; row 37's "(2分)" stands on a row of its own."""
    t = src.text
    start = src.find("一级指标\t")
    end = src.find("本评估指标体系合格标准")
    rows: list[Row] = []
    l1s, l2s = [], []
    strays = []
    pos = start
    while pos < end:
        line_end = t.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        if "\t" in t[pos:line_end] and not t.startswith("一级指标", pos):
            cells = _line_cells(src, pos, line_end)
            vals = [t[a:b] for a, b in cells]
            if re.fullmatch(r"\d+", vals[0]):  # shifted: number in the first cell
                cells = [(pos, pos), (pos, pos), *cells[:1], *cells[2:]]
                vals = [t[a:b] for a, b in cells]
            l1, l2 = cells[0], cells[1]
            if not vals[2]:  # a continuation row: the points of the row above
                m = POINTS_END.search(vals[4])
                rows[-1].points.append(cells[4])
                rows[-1].value = number(m.group(1))
                if vals[1]:
                    strays.append(cells[1])
            else:
                n = int(vals[2])
                if vals[0]:
                    l1s.append(_heading(src, l1, n))
                if vals[1]:
                    l2s.append(_heading(src, l2, n))
                label, marker, value = split_title(src, *cells[4])
                crit = cells[5]
                ol = re.compile(r"<ol[^>]*>\s*")
                om = ol.match(t, crit[0], crit[1])
                if om:
                    crit = src.trim(om.end(), crit[1])
                methods, data_sources = methods_and_sources(src, *cells[6])
                clauses, rule = numbered_clauses(src, *crit)
                rows.append(
                    Row(
                        n,
                        cells[3],
                        [label],
                        [marker] if marker else [],
                        value,
                        [crit],
                        methods,
                        data_sources,
                        cells[7],
                        clauses,
                        rule,
                    )
                )
        pos = line_end + 1
    pass_rule = src.trim(end, src.line_span(end)[1])
    return rows, l1s, l2s, pass_rule, strays


def _line_cells(src: Source, start: int, end: int) -> list[tuple[int, int]]:
    t = src.text
    out, pos = [], start
    while True:
        nxt = t.find("\t", pos, end)
        out.append(src.trim(pos, end if nxt < 0 else nxt))
        if nxt < 0:
            return out
        pos = nxt + 1


def samr_2024(src: Source):
    """003 附件: one cell per tab; a row is 6 cells (一级, 编号, 二级 = the title, 说明, 性质, 方式)."""
    t = src.text
    table = src.find("\t一级指标")
    cells = tab_cells(src, table, len(t))
    body, pass_rule = cells[6:-1], cells[-1]
    if len(body) != 25 * 6:
        raise ValueError(f"003: {len(body)} cells, expected 25 rows of 6")
    rows, l1s = [], []
    for i in range(0, len(body), 6):
        l1, num, title, crit, nature, meth = body[i : i + 6]
        n = int(t[num[0] : num[1]])
        if l1[1] > l1[0]:
            l1s.append(_heading(src, l1, n))
        label, marker, value = split_title(src, *title)
        methods, data_sources = methods_and_sources(src, *meth)
        rows.append(
            Row(n, nature, [label], [marker], value, src.pieces(*crit), methods, data_sources)
        )
    return rows, l1s, pass_rule
