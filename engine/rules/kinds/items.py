"""items: points for the submitted items that qualify, operators or evidence (each, by
category, or by tiers of their count), up to a cap ("有1家得0.5分，最高分3分";
"法规3分/件，规章2分/件，规范性文件或标准1分/件，最高分3分")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction

from demozone.common.numbers import fmt_points
from demozone.rules.kinds.base import RuleKind
from demozone.rules.kinds.diffwords import RuleChange, Text, both, points
from demozone.rules.kinds.itemswhynot import items_why_not
from demozone.rules.kinds.itemwords import item_account, item_reasons
from demozone.rules.kinds.plan import PlanChange
from demozone.rules.kinds.shared import RuleProblem, comparison, number
from demozone.rules.kinds.whynot import WhyNot
from demozone.rules.kinds.wording import item_value
from demozone.rules.model import Branch, Condition, ItemFilter, Rule, Tier

ITEM_SOURCES = {"operators", "evidence"}
_NUMERIC_ITEM_FIELDS = {"operators": {"annual_sales"}, "evidence": set()}
_TEXT_ITEM_FIELDS = {"operators": {"name"}, "evidence": {"kind", "level", "type", "form"}}


class Items(RuleKind):
    name = "items"
    keys = frozenset({"of", "where", "points_each", "points_by", "tiers", "cap"})
    workbook = (
        ("points", ("points_each", "points_by", "tiers")),
        ("thresholds", ("of", "where")),
        ("cap", ("cap",)),
    )
    words = Text("按项计分", "points per item")

    def parse(self, spec: Mapping, parameters: Mapping) -> dict:
        of = spec.get("of")
        if of not in ITEM_SOURCES:
            raise RuleProblem(
                "of",
                f"items come from {', '.join(sorted(ITEM_SOURCES))}",
                "items 的来源应为 operators 或 evidence",
            )
        equals, filters, assessed = _where(spec.get("where") or {}, of, parameters)
        modes = [k for k in ("points_each", "points_by", "tiers") if k in spec]
        if len(modes) != 1:
            raise RuleProblem(
                "",
                "items need exactly one of points_each, points_by, tiers",
                "items 需要且只能有 points_each、points_by、tiers 之一",
            )
        base = tuple(Condition(f"a_{f}", "=", v) for f, v in equals)
        if assessed:
            base += (Condition("a_assessed", "=", "yes"),)
        base += tuple(Condition(f"o{i}", f.compare, Fraction(0)) for i, f in enumerate(filters))
        result: dict = {
            "items_of": of,
            "item_equals": equals,
            "item_filters": filters,
            "item_assessed_years": assessed,
            "cap": number(spec["cap"], "cap") if "cap" in spec else None,
        }
        return result | _scoring(spec, of, base)

    def cases(self, rule: Rule, derivation) -> list:
        """One case per submitted operator or evidence item."""
        return list(derivation.item_cases(rule))

    def reasons(self, outcome, lang: str = "zh") -> list[str]:
        return item_reasons(outcome, lang)

    def account(self, outcome, lang: str = "zh") -> list[str]:
        return item_account(outcome, lang)

    def single_case(self, rule: Rule) -> bool:
        return False

    def plan_options(self, rule: Rule, submission) -> list[PlanChange]:
        """One more qualifying evidence item, as many times as could still add points (an item
        of each category for points_by); operators are the economy's, not a plan's."""
        if rule.items_of != "evidence":
            return []
        best = rule.cap if rule.cap is not None else Fraction(3)
        choices = []
        # every item costs the same: an item of the best-paid category does at least as much as
        # any other, so only that category is proposed
        top = max(rule.branches, key=lambda b: b.award)
        for branch in (top,):
            fields = tuple(
                (c.operand[2:], str(c.value))
                for c in branch.conditions
                if c.operand.startswith("a_")
            )
            if rule.tiers:
                copies = max(t.at_least for t in rule.tiers)
            else:
                copies = -(-best // branch.award) if branch.award > 0 else 0
            choices += [(fields, n) for n in range(1, min(int(copies), 4) + 1)]
        return [
            PlanChange(
                "evidence", f"{rule.id}:{'/'.join(v for _, v in fields)}", fields=fields, copy=n
            )
            for fields, n in choices
        ]

    def why_not(self, outcome, submission) -> list[WhyNot]:
        """One more qualifying item (the one that adds most), or as many as the next tier needs."""
        return items_why_not(outcome, submission, self.best(outcome.rule, submission))

    def lint(self, rule: Rule, flag) -> Iterator:
        """Tiers that never change the score. (What items the submission contract allows and
        which region classes the knowledge base has are lint's to check.)"""
        return _tier_findings(rule, flag)

    def describe(self, rule: Rule, lang: str) -> str:
        return f"{item_selection_words(rule, lang)}; {item_scoring_words(rule, lang)}"

    def changes(self, a: Rule, b: Rule) -> list[RuleChange]:
        changes = []
        if (a.items_of, a.item_equals, a.item_assessed_years) != (
            b.items_of,
            b.item_equals,
            b.item_assessed_years,
        ):
            changes.append(
                RuleChange(
                    "items",
                    Text("计数对象", "items counted"),
                    both(lambda lang: item_selection_words(a, lang)),
                    both(lambda lang: item_selection_words(b, lang)),
                )
            )
        changes += _filter_changes(a, b)
        before = both(lambda lang: item_scoring_words(a, lang))
        after = both(lambda lang: item_scoring_words(b, lang))
        if before != after:
            topic = "tiers" if a.tiers or b.tiers else "award"
            changes.append(RuleChange(topic, Text("计分标准", "points per item"), before, after))
        return changes


def _filter_changes(a: Rule, b: Rule) -> list[RuleChange]:
    changes = []
    filters_b = {f.field: f for f in b.item_filters}
    for item_filter in a.item_filters:
        other = filters_b.get(item_filter.field)
        if other is not None and other != item_filter:
            topic = "region_class" if item_filter.by_region_class else "threshold"
            changes.append(
                RuleChange(
                    topic,
                    Text(
                        f"{_field(item_filter.field, 'zh')}门槛",
                        f"threshold on {_field(item_filter.field, 'en')}",
                    ),
                    both(lambda lang, f=item_filter: region_words(f, lang)),
                    both(lambda lang, f=other: region_words(f, lang)),
                )
            )
    return changes


def _tier_findings(rule: Rule, flag) -> Iterator:
    for i, tier in enumerate(rule.tiers):
        earlier = [
            other
            for j, other in enumerate(rule.tiers)
            if j != i
            and other.points >= tier.points
            and (other.at_least < tier.at_least or (other.at_least == tier.at_least and j < i))
        ]
        if earlier:
            other = earlier[0]
            yield flag(
                "warning",
                "tier-never-decides",
                "tiers",
                i,
                f"rule {rule.id}: the tier 'at least {tier.at_least} -> {fmt_points(tier.points)}' "
                f"never changes the score: 'at least {other.at_least} -> "
                f"{fmt_points(other.points)}' already gives as much",
                f"规则 {rule.id}：“至少{tier.at_least}项得{fmt_points(tier.points)}分”一档不起作用，"
                f"“至少{other.at_least}项得{fmt_points(other.points)}分”已给出同等或更高分值",
            )


def _scoring(spec: Mapping, of: str, base: tuple[Condition, ...]) -> dict:
    """How qualifying items score: by their category, by tiers of their count, or each alike."""
    if "points_by" in spec:
        by = spec["points_by"]
        field = by.get("field") if isinstance(by, dict) else None
        if field not in _TEXT_ITEM_FIELDS[of]:
            raise RuleProblem(
                "points_by.field",
                f"unknown field {field!r}",
                f"未知字段 {field!r}",
                ", ".join(sorted(_TEXT_ITEM_FIELDS[of])),
            )
        branches = tuple(
            Branch(
                f"{field}={value}",
                (*base, Condition(f"a_{field}", "=", str(value))),
                number(pts, f"points_by.points.{value}"),
                _category_label(field, str(value)),
            )
            for value, pts in by.get("points", {}).items()
        )
        return {"category_field": field, "branches": branches}
    if "tiers" in spec:
        tiers = tuple(
            Tier(int(t["at_least"]), number(t["points"], f"tiers[{i}].points"))
            for i, t in enumerate(spec["tiers"])
        )
        return {
            "tiers": tiers,
            "branches": (Branch("qualifies", base, Fraction(1), "符合条件的项目"),),
        }
    award = number(spec["points_each"], "points_each")
    return {"branches": (Branch("qualifies", base, award, "符合条件的项目"),)}


def _where(where: dict, of: str, parameters: dict):
    equals, filters, assessed = [], [], False
    for field, condition in where.items():
        if field == "year" and of == "operators":
            if condition != "assessed":
                raise RuleProblem(
                    "where.year", "year filter must be `assessed`", "年份条件应为 assessed"
                )
            assessed = True
        elif field in _TEXT_ITEM_FIELDS[of]:
            equals.append((field, str(condition)))
        elif (
            field in _NUMERIC_ITEM_FIELDS[of]
            and isinstance(condition, dict)
            and len(condition) == 1
        ):
            filters.append(_filter(field, condition, parameters))
        else:
            raise RuleProblem(
                f"where.{field}",
                f"unknown item field {field!r}",
                f"未知字段 {field!r}",
                ", ".join(sorted(_TEXT_ITEM_FIELDS[of] | _NUMERIC_ITEM_FIELDS[of])),
            )
    return tuple(equals), tuple(filters), assessed


def _filter(field: str, condition: dict, parameters: dict) -> ItemFilter:
    ((compare, threshold),) = condition.items()
    compare = comparison(compare, f"where.{field}")
    if isinstance(threshold, dict) and "by_region_class" in threshold:
        name = threshold["by_region_class"]
        table = parameters.get(name)
        if not isinstance(table, dict):
            raise RuleProblem(
                f"where.{field}", f"unknown parameter {name!r}", f"未定义的参数 {name!r}"
            )
        by_class = tuple((str(k), number(v, f"parameters.{name}.{k}")) for k, v in table.items())
        return ItemFilter(field, compare, by_region_class=by_class, parameter=name)
    return ItemFilter(field, compare, threshold=number(threshold, f"where.{field}"))


# --- in words, for diff -------------------------------------------------------------------

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


_CATEGORY_WORDS = {"level": "级别", "type": "类型", "form": "形式", "kind": "类别"}


def _category_label(field: str, value: str) -> str:
    """A points_by branch as a reader states it: 形式为领导批示, 级别为中央 (no operators)."""
    return f"{_CATEGORY_WORDS.get(field, field)}为{item_value(field, value, 'zh')}"
