"""Who owes what: a plan (the JSON shape of `plangroups.plan_json`) as one row per change and
responsible unit, the one table the text, the report's 整改计划 sheet and the plan workbook show.

Under a local variant a row per unit the locality's decomposition names for the task the change
serves (its text and deadline with it); under the national systems a row per change, the units
those systems name (none, so far) in one cell. None of the decompositions dates its tasks, so a
row's deadline is null and its words say the source sets none, never "None".
"""

from __future__ import annotations

NO_DEADLINE = "来源未规定期限"
NO_DEADLINE_EN = "no deadline set by the source"
NO_TASK = "无对应任务"
NO_UNIT = "（未列明责任单位）"

COLUMNS = (  # (key, Chinese header, English header)
    ("unit", "责任单位", "Responsible unit"),
    ("indicator", "指标", "Indicator"),
    ("target", "条款/数据项", "Clause or figure"),
    ("text", "整改内容", "What to change"),
    ("cost", "成本", "Cost"),
    ("task", "对应任务", "Task of the decomposition"),
    ("deadline", "期限", "Deadline"),
)


def plan_rows(shaped: dict, unit_names: dict[str, list[str]] | None = None) -> list[dict]:
    """The rows of a plan: unit, indicator(s), the clause or figure changed, what to change, its
    cost, the decomposition's task (number and title, or "无对应任务") and its deadline (null
    where the source sets none, with `deadline_text` saying so). `unit_names`: indicator ->
    its units, for a plan not grouped by unit."""
    changes = {c["key"]: c for c in shaped.get("changes", [])}
    if "by_unit" in shaped:
        rows = []
        for group in shaped["by_unit"]:
            for item in group["items"]:
                rows.append(_row(group["unit"], [item["indicator"]], changes[item["change"]], item))
        return rows
    return [
        _row(None, change["indicators"], change, None, unit_names)
        for change in shaped.get("changes", [])
    ]


def _row(unit, indicators, change, item, unit_names=None) -> dict:
    task = item["task"] if item else None
    named = unit is not None
    if unit is None:
        names = sorted({u for n in indicators for u in (unit_names or {}).get(n, [])})
        unit, named = ("、".join(names), True) if names else (NO_UNIT, False)
    deadline = task.get("deadline") if task else None
    return {
        "unit": unit,
        "unit_named": named,
        "indicator": "、".join(str(n) for n in indicators),
        "change": change["key"],
        "kind": change["kind"],
        "target": change["target"],
        "text": change["text"],
        "cost": change["cost"],
        "task": f"任务{task['number']} {task['title']}" if task else NO_TASK,
        "task_text": task.get("text") if task else None,
        "deadline": deadline,
        "deadline_text": deadline_words(deadline, has_task=task is not None),
    }


def deadline_words(deadline, *, has_task: bool = True) -> str:
    """A task's deadline as words: the date, or "来源未规定期限" when the source sets none."""
    if deadline:
        return str(deadline)
    return NO_DEADLINE if has_task else "—"
