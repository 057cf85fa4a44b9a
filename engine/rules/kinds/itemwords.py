"""How an items rule scored, in sentences: the items that qualified with their points, and the
others summarised in one line, grouped by why they do not count (符合条件的证明材料0项：E1 综合
材料（文件）不是表彰认可…), instead of every condition of every item.

Reads a rule's outcome and its cases by their public names (see `accounts`).
"""

from __future__ import annotations

from fractions import Fraction

from demozone.rules.kinds import wording as w
from demozone.rules.kinds.reasonwords import holds

_FIELD_WORDS = {
    "level": ("级别", "level"),
    "type": ("类型", "type"),
    "form": ("形式", "form"),
    "kind": ("类别", "kind"),
}


def _things(rule, lang: str) -> tuple[str, str]:
    """What is counted and its measure word: 证明材料/项, 经营者/家."""
    if rule.items_of == "operators":
        return w.say("规模以上网络交易经营者", "large online operators", lang), w.say(
            "家", "", lang
        )
    return w.say("证明材料", "evidence items", lang), w.say("项", "", lang)


def _count(n: int, rule, lang: str) -> str:
    things, unit = _things(rule, lang)
    if lang == "en" and n == 1:
        things = things.removesuffix("s")
    return w.say(f"{things}{n}{unit}", f"{n} {things}", lang)


def item_name(case, lang: str) -> str:
    """An item as the account names it: E7 省委领导批示（表彰认可，领导批示）/ 某公司（2023年，0.86亿元）."""
    fact = case.inputs[0]
    if case.rule.items_of == "operators":
        name = case.attributes.get("a_name", fact.label)
        sales = w.metric_value("online_retail", Fraction(fact.value), lang)
        return w.say(f"{name}（{case.year}年，{sales}）", f"{name} ({case.year}, {sales})", lang)
    evidence = fact.evidence[0] if fact.evidence else ""
    details = [w.evidence_kind(case.attributes.get("a_kind", ""), lang)]
    for field in ("form", "level", "type"):
        raw = case.attributes.get(f"a_{field}", "")
        if raw:
            details.append(w.item_value(field, raw, lang))
    inner = ("，" if lang != "en" else ", ").join(details)
    return w.say(f"{evidence} {fact.label}（{inner}）", f"{evidence} {fact.label} ({inner})", lang)


def why_not_counted(case, lang: str) -> str:
    """The first reason an item does not count, in words."""
    rule = case.rule
    if not case.complete:
        return w.say("缺少适用的门槛，无法判断", "no threshold applies: cannot be judged", lang)
    for field, wanted in rule.item_equals:
        have = case.attributes.get(f"a_{field}", "")
        if have != wanted:
            if field == "kind":
                kind = w.evidence_kind(wanted, lang)
                return w.say(f"不是{kind}", f"is not a {kind}", lang)
            name = w.say(*_FIELD_WORDS.get(field, (field, field)), lang)
            want = w.item_value(field, wanted, lang)
            return w.say(f"{name}不是{want}", f"its {name} is not {want}", lang)
    if rule.item_assessed_years and case.attributes.get("a_assessed") != "yes":
        return w.say("不在评估年度内", "not in an assessed year", lang)
    for i, item_filter in enumerate(rule.item_filters):
        operand = case.operands.get(f"o{i}")
        if operand is not None and not holds(operand.value, item_filter.compare, Fraction(0)):
            sales = w.metric_value("online_retail", operand.right, lang)
            return w.say(f"低于门槛{sales}", f"below the threshold of {sales}", lang)
    if rule.category_field:
        field = rule.category_field
        name = w.say(*_FIELD_WORDS.get(field, (field, field)), lang)
        options = w.joined([b.name.split("=", 1)[1] for b in rule.branches], lang)
        have = case.attributes.get(f"a_{field}", "")
        if not have:
            return w.say(f"未注明{name}", f"states no {name}", lang)
        return w.say(f"{name}不属于{options}", f"its {name} is none of {options}", lang)
    return w.say("不符合计分条件", "does not meet the rule", lang)


def _groups(outcome) -> list[tuple[str, list]]:
    fired = {f.case_key for f in outcome.firings}
    groups: dict[str, list] = {}
    for case in outcome.cases:
        if case.key not in fired:
            groups.setdefault(why_not_counted(case, "zh"), []).append(case)
    return list(groups.items())


def _others_line(outcome, lang: str, *, limit: int | None = None) -> str:
    """The items that do not count, grouped by why: E1 甲（文件）、E2 乙（文件）不是表彰认可."""
    parts, shown = [], 0
    for _, cases in _groups(outcome):
        names = [item_name(c, lang) for c in cases]
        if limit is not None:
            names = names[: max(limit - shown, 0)]
        shown += len(names)
        if not names:
            continue
        why = why_not_counted(cases[0], lang)
        parts.append(
            w.say(f"{w.joined(names, lang)}{why}", f"{w.joined(names, lang)}: {why}", lang)
        )
    return w.sentences(parts, lang)


def item_account(outcome, lang: str) -> list[str]:
    """Two lines: the items that count with their points, then the others in one line."""
    rule = outcome.rule
    fired: dict[str, Fraction] = {}
    for f in outcome.firings:
        fired[f.case_key] = fired.get(f.case_key, Fraction(0)) + f.award
    counted = [c for c in outcome.cases if c.key in fired]
    head = w.say(
        f"符合条件的{_count(len(counted), rule, lang)}",
        f"{_count(len(counted), rule, lang)} {_qualify(len(counted))}",
        lang,
    )
    if counted and not rule.tiers:
        items = [
            w.say(
                f"{item_name(c, lang)}计{w.points(fired[c.key], lang)}",
                f"{item_name(c, lang)}: {w.points(fired[c.key], lang)}",
                lang,
            )
            for c in counted
        ]
        head += w.say("：", ": ", lang) + w.sentences(items, lang)
    elif counted:
        head += w.say("：", ": ", lang) + w.joined([item_name(c, lang) for c in counted], lang)
    lines = [w.stop(head, lang)]
    others = len(outcome.cases) - len(counted)
    if others:
        lines.append(
            w.stop(
                w.say(
                    f"不符合条件的{others}{_things(rule, lang)[1]}：",
                    f"{others} do not qualify: ",
                    lang,
                )
                + _others_line(outcome, lang),
                lang,
            )
        )
    lines.append(w.stop(_total(outcome, len(counted), lang), lang))
    return lines


def _total(outcome, counted: int, lang: str) -> str:
    rule = outcome.rule
    if rule.tiers:
        reached = [t for t in rule.tiers if counted >= t.at_least]
        if not reached:
            return w.say("未达到任何计分档，不得分", "no tier reached: no points", lang)
        tier = max(reached, key=lambda t: t.points)
        return w.say(
            f"按{tier.at_least}{_things(rule, lang)[1]}及以上档计{w.points(tier.points, lang)}",
            f"the tier of {tier.at_least} or more gives {w.points(tier.points, lang)}",
            lang,
        )
    if rule.cap is not None and outcome.raw > rule.cap:
        return w.say(
            f"合计{w.points(outcome.raw, lang)}，本项最高{w.points(rule.cap, lang)}，计{w.points(outcome.score, lang)}",
            f"together {w.points(outcome.raw, lang)}; at most {w.points(rule.cap, lang)} here: {w.points(outcome.score, lang)}",
            lang,
        )
    most = (
        w.say(f"（最高{w.points(rule.cap, lang)}）", f" (at most {w.points(rule.cap, lang)})", lang)
        if rule.cap is not None
        else ""
    )
    if outcome.score == 0:
        return w.say(f"不得分{most}", f"no points{most}", lang)
    return w.say(
        f"计{w.points(outcome.score, lang)}{most}", f"{w.points(outcome.score, lang)}{most}", lang
    )


def item_reasons(outcome, lang: str) -> list[str]:
    """Short: how many items count and what that gives against the most; with none, why the
    first ones do not count."""
    rule = outcome.rule
    best = rule.cap if rule.cap is not None else max((t.points for t in rule.tiers), default=None)
    counted = len({f.case_key for f in outcome.firings})
    if not outcome.firings:
        text = w.say(
            f"符合条件的{_count(0, rule, lang)}", f"no {_things(rule, lang)[0]} qualify", lang
        )
        if outcome.cases:
            more = len(outcome.cases) > 2
            others = _others_line(outcome, lang, limit=2)
            text += w.say(
                f"：{others}{'…' if more else ''}", f": {others}{'…' if more else ''}", lang
            )
        return [
            w.stop(
                w.say(f"{text}，不得分", f"{text}; no points", lang) if not outcome.cases else text,
                lang,
            )
        ]
    if best is not None and outcome.score < best:
        return [
            w.stop(
                w.say(
                    f"符合条件的{_count(counted, rule, lang)}，计{w.points(outcome.score, lang)}（最高{w.points(best, lang)}）",
                    f"{_count(counted, rule, lang)} {_qualify(counted)}: {w.points(outcome.score, lang)} (at most {w.points(best, lang)})",
                    lang,
                ),
                lang,
            )
        ]
    return []


def _qualify(n: int) -> str:
    return "qualifies" if n == 1 else "qualify"
