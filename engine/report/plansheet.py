"""The report's optional section 六、意见建议 (report-style.md: "this is where a plan belongs"): the
cheapest plan that makes the assessment pass, one row per change and responsible unit.

The plan comes in as plain values (the JSON shape of `demozone plan --json`, its `rows`), since
the planner sits above the report; this module only words it. The template plan.html.j2 lays it
out in HTML (and so PDF), report.docx in Word.
"""

from __future__ import annotations

from dataclasses import dataclass

_WORDS = {
    "zh": {
        "heading": "六、意见建议（整改计划）",
        "passes": "评估结果已达到示范区创建评估要求，无需整改。",
        "infeasible": "在所列整改方式范围内，没有可使评估达到要求的方案。",
        "plan": (
            "按成本最低的整改方案（总成本{cost}，整改{n}项，涉及责任单位{units}个），"
            "总分由{before}分提高到{after}分，总分和各一级指标得分率均达到要求。"
        ),
        "not_exact": "其中有一组指标的组合过多，未全部搜索，方案未证明成本最低。",
        "local": "责任单位和对应任务依据{locality}任务分解方案。",
        "undated": "分解方案未规定完成期限的任务，期限栏注明“来源未规定期限”。",
        "national": "指标体系未列明责任单位的，按指标列出。",
        "columns": ("责任单位", "指标", "条款/数据项", "整改内容", "成本", "对应任务", "期限"),
    },
    "en": {
        "heading": "6. Recommendations (remediation plan)",
        "passes": "The assessment meets the requirements; nothing needs to change.",
        "infeasible": "No combination of the listed changes makes the assessment pass.",
        "plan": (
            "The cheapest plan (cost {cost}, {n} changes, {units} responsible units) raises the "
            "total from {before} to {after}; the total and every first-level rate then pass."
        ),
        "not_exact": "One group of indicators had too many combinations to search whole: "
        "the plan is not proven cheapest.",
        "local": "Responsible units and tasks follow the decomposition of {locality}.",
        "undated": "Where the decomposition sets a task no deadline, the deadline column says "
        "so (来源未规定期限).",
        "national": "Where the system names no responsible unit, changes are listed by indicator.",
        "columns": (
            "Responsible unit",
            "Indicator",
            "Clause or figure",
            "What to change",
            "Cost",
            "Task",
            "Deadline",
        ),
    },
}
DOCX_WIDTHS = [26, 12, 18, 46, 12, 36, 24]  # millimetres, the columns of the Word table
_KEYS = ("unit", "indicator", "target", "text", "cost", "task", "deadline_text")


@dataclass(frozen=True)
class PlanSheet:
    heading: str
    paragraphs: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def plan_sheet(shaped: dict, lang: str = "zh") -> PlanSheet:
    """The section's words and table from a plan in the shape of `demozone plan --json`."""
    words = _WORDS["en" if lang == "en" else "zh"]
    if shaped["passes_already"]:
        paragraphs = [words["passes"]]
    elif not shaped["feasible"]:
        paragraphs = [words["infeasible"]]
    else:
        paragraphs = [
            words["plan"].format(
                cost=shaped["cost"],
                n=len(shaped["changes"]),
                units=len({r["unit"] for r in shaped.get("rows", []) if r["unit_named"]}),
                before=shaped["before"]["total"],
                after=shaped["after"]["total"],
            )
        ]
        if not shaped["exact"]:
            paragraphs.append(words["not_exact"])
        if "locality" in shaped:
            paragraphs.append(words["local"].format(locality=_locality_name(shaped)))
            if any(r["task_text"] and not r["deadline"] for r in shaped.get("rows", [])):
                paragraphs.append(words["undated"])
        else:
            paragraphs.append(words["national"])
    rows = tuple(
        tuple(str(row.get(key) if row.get(key) is not None else "—") for key in _KEYS)
        for row in shaped.get("rows", [])
    )
    return PlanSheet(words["heading"], tuple(paragraphs), words["columns"], rows)


def _locality_name(shaped: dict) -> str:
    return shaped.get("locality_name") or shaped["locality"]
