"""The text of `demozone history` and `demozone compare` (and of the web audit room), in
Chinese or English: who changed which judgment (专家expert-liu：29.2 不满足 → 满足), then the
indicator, level and total points and the verdict it moved; two systems side by side through
their matching."""

from __future__ import annotations

_WORDS = {
    "zh": {
        "said": {True: "满足", False: "不满足", None: "（无）"},
        "verdict": {True: "合格", False: "不合格"},
        "indicator": "指标{number}：{a} → {b}（{delta}）",
        "level": "一级指标“{label}”：{a} → {b}（{delta}）",
        "total": "总分：{a} → {b}（{delta}）",
        "verdict_moved": "评估结论：{a} → {b}",
        "verdict_same": "评估结论未变：{v}",
        "side": "{side}  {id}  {system}  总分{total}/{max}  {verdict}",
        "same_system": "同一指标体系，逐项比较",
        "other_system": "不同指标体系，按指标对应关系比较（{how}）",
        "panels": "评审条款：A {a}项，B {b}项，对应{paired}项；专家组结论不同的{differ}项（满足:不满足）",
        "totals": "总分 A {a}（{va}），B {b}（{vb}）",
        "header": "申报材料 {submission}：评估记录{n}次",
        "run": "{k:>3}. {when}  {system}  总分{total}/{max}  {verdict}",
        "judgments": "评审意见{n}条，评审专家：{who}",
        "since": "与第{k}次相比：",
        "not_compared": "未比较：此前没有{system}下的评估记录（不同指标体系之间不按编号比较，可用 demozone compare A B）",
        "none": "{location} 中没有 {submission} 的评估记录",
    },
    "en": {
        "said": {True: "satisfied", False: "not satisfied", None: "(none)"},
        "verdict": {True: "pass", False: "fail"},
        "indicator": "indicator {number}: {a} → {b} ({delta})",
        "level": "level {label}: {a} → {b} ({delta})",
        "total": "total: {a} → {b} ({delta})",
        "verdict_moved": "verdict: {a} → {b}",
        "verdict_same": "verdict unchanged: {v}",
        "side": "{side}  {id}  {system}  total {total}/{max}  {verdict}",
        "same_system": "same system: indicator by indicator",
        "other_system": "different systems: indicators paired by the systems' matching ({how})",
        "panels": "judged clauses: A {a}, B {b}, paired {paired}; the panel's verdict differs on {differ} (satisfied:not satisfied)",
        "totals": "total A {a} ({va}), B {b} ({vb})",
        "header": "submission {submission}: {n} assessments",
        "run": "{k:>3}. {when}  {system}  total {total}/{max}  {verdict}",
        "judgments": "judgments: {n} by {who}",
        "since": "since {k}:",
        "not_compared": "not compared: no earlier assessment under {system} (systems are not compared by number; demozone compare A B)",
        "none": "no assessments of {submission} in {location}",
    },
}


def words(lang: str) -> dict:
    return _WORDS["en" if lang == "en" else "zh"]


def judgment_lines(judgments: dict, lang: str) -> list[str]:
    """Who turned which judgment: expert-wang：23.3 不满足 → 满足."""
    said, sep = words(lang)["said"], "：" if lang != "en" else ": "
    lines = [
        f"{j['author']}{sep}{j['clause']} {said[j['from']]} → {said[j['to']]}"
        for j in judgments["changed"]
    ]
    lines += [
        f"{j['author']}{sep}{j['clause']} {said[None]} → {said[j['satisfied']]}"
        for j in judgments["added"]
    ]
    lines += [
        f"{j['author']}{sep}{j['clause']} {said[j['satisfied']]} → {said[None]}"
        for j in judgments["removed"]
    ]
    return lines


def change_lines(change: dict, lang: str) -> list[str]:
    """A change between two assessments under one system: judgments, then what they moved."""
    t = words(lang)
    lines = judgment_lines(change["judgments"], lang)
    lines += [
        t["indicator"].format(
            number=i["number"], a=i["from"] or "-", b=i["to"] or "-", delta=i["delta"]
        )
        for i in change["indicators"]
    ]
    lines += [
        t["level"].format(
            label=lv["label"], a=lv["from"] or "-", b=lv["to"] or "-", delta=lv["delta"]
        )
        for lv in change["levels"]
    ]
    total, passed = change["total"], change["passed"]
    lines.append(t["total"].format(a=total["from"], b=total["to"], delta=total["delta"]))
    verdict = t["verdict"]
    if passed.get("changed", passed["from"] != passed["to"]):
        lines.append(t["verdict_moved"].format(a=verdict[passed["from"]], b=verdict[passed["to"]]))
    else:
        lines.append(t["verdict_same"].format(v=verdict[passed["to"]]))
    return lines


def compare_lines(result: dict, lang: str) -> list[str]:
    """`demozone compare` as lines of text."""
    t = words(lang)
    lines = []
    for side in ("a", "b"):
        s = result[side]
        lines.append(
            t["side"].format(
                side=side.upper(),
                id=s["id"],
                system=s["system"],
                total=s["total"],
                max=s["max_points"],
                verdict=t["verdict"][s["passed"]],
            )
        )
    if result["how"] == "same system":
        lines.append(t["same_system"])
        return lines + [f"  {line}" for line in change_lines(result["changes"], lang)]
    lines.append(t["other_system"].format(how=result["how"]))
    for pair in result["indicators"]:
        left = f"{pair['a']} {pair['a_score']}/{pair['a_points']}" if pair["a"] else "—"
        right = f"{pair['b']} {pair['b_score']}/{pair['b_points']}" if pair["b"] else "—"
        lines.append(f"  A {left:<14} ↔  B {right}")
    panels = result["panels"]
    lines.append(
        t["panels"].format(
            a=panels["judged"]["a"],
            b=panels["judged"]["b"],
            paired=panels["paired"],
            differ=len(panels["differ"]),
        )
    )
    lines += [
        f"  A {d['a']} {d['a_panel']}  ↔  B {d['b']} {d['b_panel']}" for d in panels["differ"]
    ]
    total, passed = result["total"], result["passed"]
    lines.append(
        t["totals"].format(
            a=total["a"], b=total["b"], va=t["verdict"][passed["a"]], vb=t["verdict"][passed["b"]]
        )
    )
    return lines


def history_lines(submission: str, result: dict, lang: str) -> list[str]:
    """`demozone history` as lines of text (the runs, oldest first, each with its change)."""
    t = words(lang)
    runs = result["assessments"]
    lines = [t["header"].format(submission=submission, n=len(runs))]
    changes = {change["to"]: change for change in result["changes"]}
    position = {run["iri"]: k + 1 for k, run in enumerate(runs)}
    for k, run in enumerate(runs):
        lines.append(
            t["run"].format(
                k=k + 1,
                when=run["recorded"] or run["started"],
                system=run["system"],
                total=run["total"],
                max=run["max_points"],
                verdict=t["verdict"][run["passed"]],
            )
        )
        lines.append(f"     {run['id']}")
        authors = sorted({j["author"] for j in run["judgments"] if j["author"]})
        if run["judgments"]:
            who = ("、" if lang != "en" else ", ").join(authors) or "-"
            lines.append("     " + t["judgments"].format(n=len(run["judgments"]), who=who))
        if run["iri"] in changes:
            change = changes[run["iri"]]
            lines.append("     " + t["since"].format(k=position[change["from"]]))
            lines += [f"     {line}" for line in change_lines(change, lang)]
        elif k > 0:
            lines.append("     " + t["not_compared"].format(system=run["system"]))
    return lines
