"""The text of `demozone systems` and `demozone show`, in Chinese or English: titles, levels by
the system's own level names, indicators with their points, the pass rule in words."""

from __future__ import annotations

from demozone import api  # the words live in the engine (kb.wording): the web says them too


def _pad(text: object, width: int, right: bool = False) -> str:
    """Pad to a display width where CJK characters take two columns."""
    text = str(text)
    gap = " " * max(width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in text), 0)
    return gap + text if right else text + gap


def _t(lang: str) -> dict:
    return api.system_words(lang)


def _label(entry: dict, lang: str) -> str:
    return api.label_text(entry, lang)


def _lineage(row: dict, lang: str) -> str:
    return api.lineage_text(row, lang)


def systems_lines(rows: list[dict], lang: str) -> list[str]:
    t = _t(lang)
    h = t["header"]
    lines = [
        f"{_pad(h[0], 22)}{_pad(h[1], 12)}{_pad(h[2], 11, True)}{_pad(h[3], 9, True)}  "
        f"{_pad(h[4], 24)}{_pad(h[5], 28)}{h[6]}"
    ]
    for row in rows:
        pass_text = api.pass_rule_text(row["pass_rule"], lang, short=True)
        points = f"{row['points']}/{row['total_points']}"
        sources = ", ".join(s["id"] for s in row["sources"])
        status = api.status_text(row["status"], lang)
        title = row.get("title_en") or row["title"] if lang == "en" else row["title"]
        lines.append(
            f"{_pad(row['id'], 22)}{_pad(status, 12)}{_pad(row['indicators'], 11, True)}"
            f"{_pad(points, 9, True)}  {_pad(pass_text, 24)}{_pad(_lineage(row, lang), 28)}"
            f"{sources}: {title}"
        )
    return lines


def system_lines(s: dict, lang: str) -> list[str]:
    t = _t(lang)
    names = s.get("level_names", {}).get("en" if lang == "en" else "zh", [])
    title = s["title_en"] or s["title"] if lang == "en" else s["title"]
    lines = [f"{s['id']}  {title}"]
    if lang != "en" and s["title_en"]:
        lines.append(f"  {s['title_en']}")
    rule_text = api.pass_rule_text(s["pass_rule"], lang)
    lines.append(
        "  "
        + t["summary"].format(
            n=s["indicators"], points=s["points"], total=s["total_points"], rule=rule_text
        )
    )
    if s["extends"] or s["revision_of"]:
        lines.append(f"  {_lineage(s, lang)}")
    if names:
        lines.append("  " + " > ".join(names))
    for level in s["levels"]:
        points = t["points"].format(p=level["points"])
        lines.append(f"{level['number'] or ''} {_label(level, lang)} ({points})  [{level['id']}]")
        lines += _indicators(level["indicators"], lang)
        for sub in level["second_level"]:
            points = t["points"].format(p=sub["points"])
            lines.append(f"  {_label(sub, lang)} ({points})  [{sub['id']}]")
            lines += _indicators(sub["indicators"], lang)
    return lines


def _indicators(indicators: list[dict], lang: str) -> list[str]:
    t = _t(lang)
    return [
        f"    {ind['number']:>3}. {_label(ind, lang)} ({t['points'].format(p=ind['points'])})"
        for ind in indicators
    ]


def indicator_lines(d: dict, lang: str) -> list[str]:
    t = _t(lang)
    base = (
        t["decomposes"].format(system=d["base"]["system"], number=d["base"]["number"])
        if d["base"]
        else ""
    )
    points = t["points"].format(p=d["points"])
    lines = [f"{d['system']} {d['number']}. {_label(d, lang)} ({points}){base}"]
    if lang != "en" and d["label_en"]:
        lines.append(f"  {d['label_en']}")
    second = f" / {_label(d['second_level'], lang)}" if d["second_level"] else ""
    lines.append(f"  {t['level']}: {_label(d['first_level'], lang)}{second}")
    lines.append(f"  {t['nature']}: {d['nature']}   {t['methods']}: {'、'.join(d['methods'])}")
    lines.append(f"  {t['sources']}: {'、'.join(d['data_sources'])}")
    if d["metrics"]:
        lines.append(f"  {t['metrics']}: " + t["sep"].join(m["label"] for m in d["metrics"]))
    if d["units"]:
        lines.append(f"  {t['units']}: " + "、".join(u["name"] for u in d["units"]))
    lines.append(f"  {t['criterion']}:")
    lines += [f"    {line}" for line in d["criterion"].splitlines()]
    if d["rule_text"]:
        lines.append(f"  {t['rule']}: {d['rule_text']}")
    for clause in d["clauses"]:
        shown = (
            t["points"].format(p=clause["points"])
            if clause["points"] is not None
            else t["no_points"]
        )
        text = clause["text"].replace("\n", "\n      ")
        lines.append("  " + t["clause"].format(id=clause["id"], points=shown) + text)
        lines += [f"      {anchor_line(a, lang)}" for a in clause["anchors"]]
    lines.append(f"  {t['anchors']}:")
    lines += [f"    {anchor_line(a, lang)}" for a in d["anchors"]]
    return lines


def anchor_line(a: dict, lang: str = "zh") -> str:
    mark = "" if a["verified"] else _t(lang)["differs"]
    text = a["source_text"].replace("\n", "⏎")
    return f"{a['role']:<12} {a['source']}[{a['start']}:{a['end']}] {text}{mark}"
