"""What changed between two rules that score corresponding clauses, said in Chinese and English.

`compare_rules` lists the differences of two compiled rules (kind, quantities, operators,
comparators, thresholds, bands, caps, per-item and per-year points, tiers, region-class
thresholds); `describe_rule` says what one rule awards, for a rule that was added or removed.
Values are rendered the way the source documents write them: "8%–15% 1分，≥15% 2分".
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from demozone.common.numbers import fmt_points, fmt_rate
from demozone.kb.metrics import metric_label, metric_vocabulary
from demozone.rules.model import Band, ItemFilter, Quantity, Rule, Test


@dataclass(frozen=True)
class Text:
    """A short text in Chinese and English; str() is the Chinese, text["en"] the English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class RuleChange:
    """One difference of a rule pair: its topic, the words, and the two values as rendered."""

    topic: str  # kind | quantity | compare | comparator | threshold | bands | award | cap | ...
    text: Text
    before: Text | None
    after: Text | None


KIND_WORDS = {
    "yearly_comparison": Text("逐年比较", "year-by-year comparison"),
    "ratio_bands": Text("比值分档", "ratio bands"),
    "conditions": Text("条件达标", "conditions"),
    "judged": Text("评审认定", "assessors' judgment"),
    "any_judged": Text("任一条款认定", "any one clause judged"),
    "items": Text("按项计分", "points per item"),
}
COMPARE_WORDS = {
    ">": Text("超过", "more than"),
    ">=": Text("达到", "at least"),
    "<": Text("低于", "less than"),
    "<=": Text("不超过", "at most"),
    "=": Text("等于", "equal to"),
}
REGION_WORDS = {
    "east": Text("东部地区", "east"),
    "central": Text("中部地区", "central"),
    "west": Text("西部地区", "west"),
    "northeast": Text("东北地区", "northeast"),
}
# fields of submitted items (docs/submission-format.md) as a reader names them
FIELD_WORDS = {
    "annual_sales": Text("年度销售额（亿元）", "annual sales (100 million yuan)"),
    "kind": Text("类别", "kind"),
    "level": Text("级别", "level"),
    "type": Text("类型", "type"),
    "form": Text("形式", "form"),
}
ITEM_WORDS = {
    "operators": Text("网络交易经营者", "operators"),
    "evidence": Text("证明材料", "evidence items"),
}


def points(value: Fraction, lang: str) -> str:
    if lang == "zh":
        return f"{fmt_points(value)}分"
    return f"{fmt_points(value)} pt" + ("" if value == 1 else "s")


def both(render) -> Text:
    """A Text from a function of the language."""
    return Text(render("zh"), render("en"))


# --- values as people write them ----------------------------------------------------------------


def quantity_words(q: Quantity, lang: str) -> str:
    if q.form == "reference" and q.args[0].startswith("national_"):
        # a national comparator the submission supplies: national_<metric>
        metric = q.args[0].removeprefix("national_")
        if metric in metric_vocabulary():
            label = metric_label(metric, lang)
            return f"全国{label}" if lang == "zh" else f"national {label}"
    names = "/".join(metric_label(a, lang) for a in q.args)
    if lang == "zh":
        return {
            "growth": f"{names}同比增速",
            "national_growth": f"全国{names}同比增速",
            "ratio": f"{names}",
            "national_ratio": f"全国{names}",
            "reference": f"{names}",
            "judged": f"条款{q.args[0]}经评审认定满足",
        }.get(q.form, names)
    return {
        "growth": f"growth of {names}",
        "national_growth": f"national growth of {names}",
        "national_ratio": f"national {names}",
        "judged": f"clause {q.args[0]} judged satisfied",
    }.get(q.form, names)


def constant_words(test: Test) -> str:
    """A threshold as written: a rate as a percentage, a count or amount as a number."""
    return fmt_rate(test.constant) if test.left.is_rate else fmt_points(test.constant)


def right_words(test: Test, lang: str) -> str:
    return quantity_words(test.right, lang) if test.right is not None else constant_words(test)


def test_words(test: Test, lang: str) -> str:
    if test.left.form == "judged":
        return quantity_words(test.left, lang)
    return f"{quantity_words(test.left, lang)} {test.compare} {right_words(test, lang)}"


def bands_words(bands: tuple[Band, ...], lang: str) -> str:
    """Bands as the source states them: "8%–15% 1分，≥15% 2分"."""
    parts = []
    for band in bands:
        if band.lower is not None and band.upper is not None:
            span = f"{fmt_rate(band.lower)}–{fmt_rate(band.upper)}"
        elif band.lower is not None:
            span = f"{'≥' if band.lower_inclusive else '>'}{fmt_rate(band.lower)}"
        elif band.upper is not None:
            span = f"{'≤' if band.upper_inclusive else '<'}{fmt_rate(band.upper)}"
        else:
            span = "*"
        parts.append(f"{span} {points(band.points, lang)}")
    return ("，" if lang == "zh" else ", ").join(parts)


def interval_words(bands: tuple[Band, ...]) -> str:
    """The intervals the bands resolve to, boundaries included or not: "8% <= r < 15%: 1"."""
    parts = []
    for band in bands:
        text = "r"
        if band.lower is not None:
            text = f"{fmt_rate(band.lower)} {'<=' if band.lower_inclusive else '<'} r"
        if band.upper is not None:
            text += f" {'<=' if band.upper_inclusive else '<'} {fmt_rate(band.upper)}"
        parts.append(f"{text}: {fmt_points(band.points)}")
    return "; ".join(parts)


def region_words(item_filter: ItemFilter, lang: str) -> str:
    if not item_filter.by_region_class:
        return f"{item_filter.compare} {fmt_points(item_filter.threshold)}"
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        f"{REGION_WORDS[k][lang] if k in REGION_WORDS else k} {item_filter.compare} {fmt_points(v)}"
        for k, v in item_filter.by_region_class
    )


def item_scoring_words(rule: Rule, lang: str) -> str:
    """How an items rule turns qualifying items into points."""
    zh = lang == "zh"
    if rule.tiers:
        sep = "，" if zh else ", "
        return sep.join(
            (
                f"{t.at_least}项及以上{points(t.points, lang)}"
                if zh
                else f"{t.at_least}+ items: {points(t.points, lang)}"
            )
            for t in rule.tiers
        )
    if rule.category_field:
        sep = "，" if zh else ", "
        return sep.join(f"{b.name.split('=', 1)[1]} {points(b.award, lang)}" for b in rule.branches)
    award = rule.branches[0].award
    return f"每项{points(award, lang)}" if zh else f"{points(award, lang)} per item"


def item_selection_words(rule: Rule, lang: str) -> str:
    parts = [ITEM_WORDS[rule.items_of][lang] if rule.items_of in ITEM_WORDS else str(rule.items_of)]
    parts += [f"{_field(f, lang)} = {v}" for f, v in rule.item_equals]
    if rule.item_assessed_years:
        parts.append("创建期内新增" if lang == "zh" else "new in the assessed years")
    parts += [f"{_field(f.field, lang)}: {region_words(f, lang)}" for f in rule.item_filters]
    return ("，" if lang == "zh" else ", ").join(parts)


def _field(name: str, lang: str) -> str:
    return FIELD_WORDS[name][lang] if name in FIELD_WORDS else name


def describe_rule(rule: Rule, lang: str) -> str:
    """What one rule awards, in a line: kind, condition, points, cap."""
    zh = lang == "zh"
    kind = KIND_WORDS.get(rule.kind, Text(rule.kind, rule.kind))[lang]
    if rule.kind == "yearly_comparison":
        body = (
            f"{test_words(rule.tests[0], lang)}，" if zh else f"{test_words(rule.tests[0], lang)}, "
        )
        body += (
            f"每年{points(rule.branches[0].award, lang)}"
            if zh
            else f"{points(rule.branches[0].award, lang)} per year"
        )
    elif rule.kind == "ratio_bands":
        body = f"{quantity_words(rule.ratio, lang)}: {bands_words(rule.bands, lang)}"
    elif rule.kind == "conditions":
        joined = (" 且 " if zh else " and ").join(test_words(t, lang) for t in rule.tests)
        body = f"{joined} → {points(rule.branches[0].award, lang)}"
    elif rule.kind == "items":
        body = f"{item_selection_words(rule, lang)}; {item_scoring_words(rule, lang)}"
    elif rule.kind == "any_judged":
        clauses = "、".join(rule.clauses)
        body = (
            f"条款{clauses}任一满足 → {points(rule.branches[0].award, lang)}"
            if zh
            else f"any of clauses {clauses} → {points(rule.branches[0].award, lang)}"
        )
    else:
        satisfied = "经评审认定满足" if zh else "judged satisfied"
        body = f"{satisfied} → {points(rule.branches[0].award, lang)}"
    cap = ""
    if rule.cap is not None and rule.kind != "any_judged":
        cap = f"，最高{points(rule.cap, lang)}" if zh else f", at most {points(rule.cap, lang)}"
    return f"{kind}: {body}{cap}"


# --- comparing two rules -------------------------------------------------------------------------


def compare_rules(a: Rule, b: Rule) -> list[RuleChange]:
    """Every difference between rule `a` (before) and rule `b` (after)."""
    if a.kind != b.kind:
        return [
            _change(
                "kind",
                Text("计分方式改变", "scoring method changed"),
                both(lambda lang: describe_rule(a, lang)),
                both(lambda lang: describe_rule(b, lang)),
            )
        ]
    changes = _BY_KIND.get(a.kind, lambda a, b: [])(a, b)
    changes += _cap(a, b)
    return changes


def _change(topic: str, text: Text, before: Text | None, after: Text | None) -> RuleChange:
    return RuleChange(topic, text, before, after)


def _same(value: str) -> Text:
    return Text(value, value)


def _award(a: Rule, b: Rule, per: Text | None = None) -> list[RuleChange]:
    before, after = a.branches[0].award, b.branches[0].award
    if before == after:
        return []
    label = per or Text("得分", "points")
    return [
        _change(
            "award",
            label,
            both(lambda lang: points(before, lang)),
            both(lambda lang: points(after, lang)),
        )
    ]


def _cap(a: Rule, b: Rule) -> list[RuleChange]:
    if a.cap == b.cap or a.kind == "any_judged":
        return []

    def show(value: Fraction | None, lang: str) -> str:
        if value is None:
            return "不设上限" if lang == "zh" else "no cap"
        return points(value, lang)

    return [
        _change(
            "cap",
            Text("最高分", "cap"),
            both(lambda lang: show(a.cap, lang)),
            both(lambda lang: show(b.cap, lang)),
        )
    ]


def _tests(a: tuple[Test, ...], b: tuple[Test, ...]) -> list[RuleChange]:
    """Tests paired by what they compare (their left quantity), in order."""
    changes = []
    rest = list(b)
    for test in a:
        other = next((t for t in rest if t.left == test.left), None)
        if other is None:
            changes.append(
                _change(
                    "condition",
                    Text("删除条件", "condition removed"),
                    both(lambda lang, t=test: test_words(t, lang)),
                    None,
                )
            )
            continue
        rest.remove(other)
        changes += _test_pair(test, other)
    for test in rest:
        changes.append(
            _change(
                "condition",
                Text("新增条件", "condition added"),
                None,
                both(lambda lang, t=test: test_words(t, lang)),
            )
        )
    return changes


def _test_pair(a: Test, b: Test) -> list[RuleChange]:
    subject = both(lambda lang: quantity_words(a.left, lang))
    changes = []
    if a.compare != b.compare:
        changes.append(
            _change(
                "compare",
                Text(f"{subject.zh}的比较符", f"operator on {subject.en}"),
                both(lambda lang: f"{a.compare}（{COMPARE_WORDS[a.compare][lang]}）"),
                both(lambda lang: f"{b.compare}（{COMPARE_WORDS[b.compare][lang]}）"),
            )
        )
    if a.right != b.right:
        changes.append(
            _change(
                "comparator",
                Text(f"{subject.zh}的比较基准", f"comparator of {subject.en}"),
                both(lambda lang: right_words(a, lang)),
                both(lambda lang: right_words(b, lang)),
            )
        )
    elif a.right is None and a.constant != b.constant:
        changes.append(
            _change(
                "threshold",
                Text(f"{subject.zh}的门槛", f"threshold of {subject.en}"),
                _same(constant_words(a)),
                _same(constant_words(b)),
            )
        )
    return changes


def _yearly(a: Rule, b: Rule) -> list[RuleChange]:
    (test_a,), (test_b,) = a.tests, b.tests
    changes = []
    if test_a.left != test_b.left:
        changes.append(
            _change(
                "quantity",
                Text("比较对象", "quantity compared"),
                both(lambda lang: quantity_words(test_a.left, lang)),
                both(lambda lang: quantity_words(test_b.left, lang)),
            )
        )
        test_b = Test(test_a.left, test_b.compare, test_b.constant, test_b.right)
    changes += _test_pair(test_a, test_b)
    return changes + _award(a, b, Text("每年得分", "points per year"))


def _bands(a: Rule, b: Rule) -> list[RuleChange]:
    changes = []
    if a.ratio != b.ratio:
        changes.append(
            _change(
                "quantity",
                Text("比值", "ratio"),
                both(lambda lang: quantity_words(a.ratio, lang)),
                both(lambda lang: quantity_words(b.ratio, lang)),
            )
        )
    if a.bands != b.bands:
        before = both(lambda lang: bands_words(a.bands, lang))
        after = both(lambda lang: bands_words(b.bands, lang))
        if before == after:  # the same numbers, other boundaries: show the intervals themselves
            before, after = _same(interval_words(a.bands)), _same(interval_words(b.bands))
        changes.append(_change("bands", Text("分档", "bands"), before, after))
    return changes


def _conditions(a: Rule, b: Rule) -> list[RuleChange]:
    return _tests(a.tests, b.tests) + _award(a, b)


def _judged(a: Rule, b: Rule) -> list[RuleChange]:
    return _award(a, b)


def _items(a: Rule, b: Rule) -> list[RuleChange]:
    changes = []
    if (a.items_of, a.item_equals, a.item_assessed_years) != (
        b.items_of,
        b.item_equals,
        b.item_assessed_years,
    ):
        changes.append(
            _change(
                "items",
                Text("计数对象", "items counted"),
                both(lambda lang: item_selection_words(a, lang)),
                both(lambda lang: item_selection_words(b, lang)),
            )
        )
    filters_b = {f.field: f for f in b.item_filters}
    for item_filter in a.item_filters:
        other = filters_b.get(item_filter.field)
        if other is not None and other != item_filter:
            topic = "region_class" if item_filter.by_region_class else "threshold"
            changes.append(
                _change(
                    topic,
                    Text(
                        f"{_field(item_filter.field, 'zh')}门槛",
                        f"threshold on {_field(item_filter.field, 'en')}",
                    ),
                    both(lambda lang, f=item_filter: region_words(f, lang)),
                    both(lambda lang, f=other: region_words(f, lang)),
                )
            )
    before = both(lambda lang: item_scoring_words(a, lang))
    after = both(lambda lang: item_scoring_words(b, lang))
    if before != after:
        topic = "tiers" if a.tiers or b.tiers else "award"
        changes.append(_change(topic, Text("计分标准", "points per item"), before, after))
    return changes


_BY_KIND = {
    "yearly_comparison": _yearly,
    "ratio_bands": _bands,
    "conditions": _conditions,
    "judged": _judged,
    "any_judged": _judged,
    "items": _items,
}
