"""How a system reads in words, in Chinese or English: the pass rule, the lineage, the status,
a level's or indicator's label and its points. `demozone systems`/`show` and the web workspace
say these the same way."""

from __future__ import annotations

WORDS = {
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


def system_words(lang: str) -> dict:
    """The words of systems and indicators in `lang` (Chinese unless "en")."""
    return WORDS["en" if lang == "en" else "zh"]


def label_text(entry: dict, lang: str) -> str:
    """A level's or indicator's label (the Chinese verbatim; the English when asked and known)."""
    return (entry.get("label_en") or entry["label"]) if lang == "en" else entry["label"]


def lineage_text(row: dict, lang: str) -> str:
    """What a system derives from (extends / revises), or "-"."""
    t = system_words(lang)
    if row.get("extends"):
        return t["extends"].format(id=row["extends"])
    if row.get("revision_of"):
        return t["revises"].format(id=row["revision_of"])
    return "-"


def pass_rule_text(rule: dict | None, lang: str, short: bool = False) -> str:
    """A pass rule ({total_at_least, first_level_rate_at_least}) in words."""
    rule = rule or {}
    return system_words(lang)["pass_short" if short else "pass"].format(
        total=rule.get("total_at_least"), rate=rule.get("first_level_rate_at_least")
    )


def status_text(status: str | None, lang: str) -> str:
    """A system's status (trial, draft, local) in words."""
    return system_words(lang)["status"].get(status, status or "-")


def points_text(points: object, lang: str) -> str:
    """Points as the system states them ("2分", "2 pts")."""
    return system_words(lang)["points"].format(p=points)
