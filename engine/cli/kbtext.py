"""The text of `demozone systems` and `demozone show`, in Chinese or English: titles, levels by
the system's own level names, indicators with their points, the pass rule in words."""

from __future__ import annotations

from demozone import api

_WORDS = {
    "zh": {
        "header": ("编号", "状态", "指标数", "分值", "合格标准", "沿革", "来源 / 标题"),
        "pass": "总分不低于{total}分，且每个一级指标得分率不低于{rate}",
        "pass_short": "不低于{total}分/{rate}",
        "summary": "{n}项指标，合计{points}分（满分{total}分）；合格标准：{rule}",
        "extends": "分解自 {id}",
        "revises": "修订自 {id}",
        "points": "{p}分",
        "decomposes": "（分解自 {system} 第{number}项）",
        "level": "所属层级",
        "nature": "性质",
        "methods": "评估方式",
        "sources": "数据来源",
        "metrics": "填报数据",
        "units": "责任单位",
        "criterion": "评估内容",
        "rule": "计分标准",
        "clause": "条款{id}（{points}）：",
        "no_points": "未写明分值",
        "anchors": "原文锚点",
        "differs": "  !! 与原文不一致",
        "sep": "、",
        "status": {"trial": "试行", "draft": "征求意见稿", "local": "地方分解"},
    },
    "en": {
        "header": (
            "id",
            "status",
            "indicators",
            "points",
            "pass rule",
            "lineage",
            "sources / title",
        ),
        "pass": "a total of at least {total} points, and at least {rate} in every first-level indicator",
        "pass_short": "at least {total} / {rate}",
        "summary": "{n} indicators, {points} of {total} points; pass: {rule}",
        "extends": "extends {id}",
        "revises": "revises {id}",
        "points": "{p} pts",
        "decomposes": "  (decomposes {system} {number})",
        "level": "level",
        "nature": "nature",
        "methods": "methods",
        "sources": "data sources",
        "metrics": "figures submitted",
        "units": "responsible units",
        "criterion": "criterion",
        "rule": "scoring rule",
        "clause": "clause {id} ({points}): ",
        "no_points": "no points stated",
        "anchors": "anchors",
        "differs": "  !! differs from the source",
        "sep": ", ",
        "status": {"trial": "trial", "draft": "draft", "local": "local"},
    },
}


def _pad(text: object, width: int, right: bool = False) -> str:
    """Pad to a display width where CJK characters take two columns."""
    text = str(text)
    gap = " " * max(width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in text), 0)
    return gap + text if right else text + gap


def _t(lang: str) -> dict:
    return _WORDS["en" if lang == "en" else "zh"]


def _label(entry: dict, lang: str) -> str:
    return (entry.get("label_en") or entry["label"]) if lang == "en" else entry["label"]


def _lineage(row: dict, lang: str) -> str:
    t = _t(lang)
    if row["extends"]:
        return t["extends"].format(id=row["extends"])
    if row["revision_of"]:
        return t["revises"].format(id=row["revision_of"])
    return "-"


def systems_lines(rows: list[dict], lang: str) -> list[str]:
    t = _t(lang)
    h = t["header"]
    lines = [
        f"{_pad(h[0], 22)}{_pad(h[1], 12)}{_pad(h[2], 11, True)}{_pad(h[3], 9, True)}  "
        f"{_pad(h[4], 24)}{_pad(h[5], 28)}{h[6]}"
    ]
    for row in rows:
        rule = row["pass_rule"] or {}
        pass_text = t["pass_short"].format(
            total=rule.get("total_at_least"), rate=rule.get("first_level_rate_at_least")
        )
        points = f"{row['points']}/{row['total_points']}"
        sources = ", ".join(s["id"] for s in row["sources"])
        status = t["status"].get(row["status"], row["status"])
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
    rule = s["pass_rule"] or {}
    rule_text = t["pass"].format(
        total=rule.get("total_at_least"), rate=rule.get("first_level_rate_at_least")
    )
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
    return f"{a['role']:<12} {api.citation_text(a, lang)} {text}{mark}"
