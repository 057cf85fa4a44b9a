"""A plan for people: by indicator under the national systems, and under a local variant by
responsible unit (牵头单位/责任单位) from that locality's decomposition, with each task's text
and deadline, so each bureau sees its list. Text and JSON shapes."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from demozone.common.numbers import decimal_text, fmt_percent, fmt_points
from demozone.common.paths import KB_DIR
from demozone.common.yamlio import load_yaml
from demozone.kb.load import get_system
from demozone.kb.metrics import is_rate, metric_label
from demozone.procedure.planrows import deadline_words, plan_rows
from demozone.rules.units import responsible_units


def locality_tasks(kb_system_id: str) -> tuple[str | None, list[dict]]:
    """The locality of a local decomposition and its tasks ([] when none is known)."""
    system = get_system(kb_system_id)
    name = getattr(system, "locality", None)
    if not name:
        return None, []
    for path in sorted((KB_DIR / "localities").glob("*.yaml")):
        doc = load_yaml(path)
        if doc.get("locality") == name:
            return doc["id"], list(doc.get("tasks") or [])
    return None, []


_FIELD_WORDS = {"kind": ("类别", "kind"), "level": ("级别", "level"), "type": ("类型", "type")}
_FIELD_WORDS |= {"form": ("形式", "form")}


def change_words(change, lang: str = "zh") -> str:
    """A planned change in words: the clause judged, the item added, the figure moved."""
    en = lang == "en"
    if change.kind == "judgment":
        if en:
            return f"clause {change.target} judged satisfied after new work"
        return f"条款 {change.target} 通过新增工作经评审认定满足"
    if change.kind == "evidence":
        pairs = [(_FIELD_WORDS.get(k, (k, k))[1 if en else 0], v) for k, v in change.fields]
        if en:
            return (
                "one more qualifying evidence item ("
                + ", ".join(f"{k} {v}" for k, v in pairs)
                + ")"
            )
        return "新增一项符合条件的证明材料（" + "，".join(f"{k}为{v}" for k, v in pairs) + "）"
    value = f"{fmt_percent(change.value)}" if is_rate(change.target) else decimal_text(change.value)
    if en:
        return f"{metric_label(change.target, 'en')} of the last year raised to {value}"
    return f"{metric_label(change.target)}最近年度调整为 {value}"


def plan_json(plan, submission, rule_set, costs) -> dict:
    changes = [
        {
            "key": c.key,
            "kind": c.kind,
            "target": c.target,
            "value": decimal_text(c.value) if c.value is not None else None,
            "fields": dict(c.fields),
            "cost": decimal_text(costs.of(c, submission)),
            "indicators": plan.indicators[c.key],
            "text": change_words(c),
            "text_en": change_words(c, "en"),
        }
        for c in plan.changes
    ]
    shaped = {
        "submission": submission.id,
        "system": rule_set.system,
        "passes_already": plan.passes_before,
        "feasible": plan.feasible,
        "exact": plan.exact,
        "cost": decimal_text(plan.cost),
        "cost_exact": str(plan.cost),
        "costs_file": costs.file,
        "units": plan.units,
        "before": _scores(plan.before),
        "after": _scores(plan.after) if plan.after is not None else None,
        "changes": changes,
    }
    locality, tasks = locality_tasks(rule_set.kb_system)
    if locality is not None:
        shaped["locality"] = locality
        shaped["locality_name"] = get_system(rule_set.kb_system).locality
        shaped["by_unit"] = _by_unit(changes, rule_set, tasks)
        shaped["rows"] = plan_rows(shaped)
    else:
        shaped["by_indicator"] = _by_indicator(changes)
        numbers = {n for c in changes for n in c["indicators"]}
        shaped["rows"] = plan_rows(
            shaped, {n: list(responsible_units(rule_set, n)) for n in numbers}
        )
    return shaped


def _scores(result) -> dict:
    return {
        "total": decimal_text(result.total),
        "passed": result.passed,
        "first_level": {lv.id: fmt_percent(lv.rate) for lv in result.first_level},
    }


def _by_indicator(changes: list[dict]) -> list[dict]:
    grouped: dict[str, list] = defaultdict(list)
    for change in changes:
        for number in change["indicators"]:
            grouped[number].append(change["key"])
    return [{"indicator": n, "changes": keys} for n, keys in sorted(grouped.items(), key=_num)]


def _num(item) -> tuple:
    return (int(item[0]) if str(item[0]).isdigit() else 10**6, str(item[0]))


def _by_unit(changes: list[dict], rule_set, tasks: list[dict]) -> list[dict]:
    """unit -> its items: each change, the indicator, the task of the decomposition (its text,
    its deadline, or null where the decomposition states none) and the units named with it."""
    grouped: dict[str, list] = defaultdict(list)
    for change in changes:
        for number in change["indicators"]:
            found = [t for t in tasks if int(number) in (t.get("indicators") or [])]
            for task in found or [None]:
                units = (
                    list(task["units"]["names"])
                    if task
                    else list(responsible_units(rule_set, number))
                )
                item = {
                    "change": change["key"],
                    "text": change["text"],
                    "text_en": change["text_en"],
                    "indicator": number,
                    "task": _task(task),
                    "units": units,
                }
                for unit in units or ["（未列明责任单位）"]:
                    grouped[unit].append(item)
    return [{"unit": unit, "items": items} for unit, items in sorted(grouped.items())]


def _task(task: dict | None) -> dict | None:
    if task is None:
        return None
    return {
        "number": task.get("number"),
        "title": task.get("title"),
        "text": task.get("text"),
        "deadline": task.get("deadline"),  # none of the decompositions dates its tasks
        "deadline_text": deadline_words(task.get("deadline")),
    }


def plan_text(shaped: dict, lang: str = "zh") -> str:
    """The plan as lines of text; `lang` "en" for English only (the units' and tasks' names
    stay as the decomposition writes them)."""
    if lang == "en":
        return _plan_text_en(shaped)
    lines = [f"{shaped['submission']} under {shaped['system']}"]
    before = shaped["before"]
    if shaped["passes_already"]:
        return lines[0] + f": passes already (总分 {before['total']}), nothing to plan"
    if not shaped["feasible"]:
        return lines[0] + ": no set of the proposed changes makes it pass (无可行方案)"
    after = shaped["after"]
    named = {row["unit"] for row in shaped.get("rows", []) if row["unit_named"]}
    reach = (  # the units listed below, or the indicators where no unit is named
        f"{len(named)} responsible units"
        if named
        else f"{len({n for c in shaped['changes'] for n in c['indicators']})} indicators"
    )
    lines.append(
        f"cheapest plan: cost {shaped['cost']}, {len(shaped['changes'])} changes, "
        f"{reach}; 总分 {before['total']} → {after['total']}"
        + (
            ""
            if shaped["exact"]
            else " (a component was too large to search whole: not proven optimal)"
        )
    )
    for change in shaped["changes"]:
        lines.append(
            f"  - [{change['cost']}] 指标{','.join(change['indicators'])}: {change['text']}"
        )
    for group in shaped.get("by_unit", []):
        lines.append(f"{group['unit']}:")
        for item in group["items"]:
            task = item["task"]
            where = (
                f"任务{task['number']} {task['title']}（期限：{deadline_words(task['deadline'])}）"
                if task
                else "无对应任务"
            )
            lines.append(f"    指标{item['indicator']} {item['text']} — {where}")
    return "\n".join(lines)


def fmt_cost(value: Fraction) -> str:
    return fmt_points(value)


def _plan_text_en(shaped: dict) -> str:
    head = f"{shaped['submission']} under {shaped['system']}"
    before = shaped["before"]
    if shaped["passes_already"]:
        return f"{head}: passes already (total {before['total']}), nothing to plan"
    if not shaped["feasible"]:
        return f"{head}: no set of the proposed changes makes it pass"
    lines = [
        head,
        f"cheapest plan: cost {shaped['cost']}, {len(shaped['changes'])} changes, "
        f"{len(shaped['units'])} responsible units; total {before['total']} → "
        f"{shaped['after']['total']}"
        + (
            ""
            if shaped["exact"]
            else " (a component was too large to search whole: not proven optimal)"
        ),
    ]
    for change in shaped["changes"]:
        numbers = ",".join(change["indicators"])
        lines.append(f"  - [{change['cost']}] indicator {numbers}: {change['text_en']}")
    for group in shaped.get("by_unit", []):
        lines.append(f"{group['unit']}:")
        for item in group["items"]:
            task = item["task"]
            where = (
                f"task {task['number']} {task['title']} (deadline: {task['deadline'] or 'not stated'})"
                if task
                else "no matching task"
            )
            lines.append(f"    indicator {item['indicator']} {item['text_en']} — {where}")
    return "\n".join(lines)
