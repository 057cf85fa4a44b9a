"""Between evaluations (demozone.procedure): zones and their procedure, the planner, targets.

Zones: `add_zone`, `list_zones`, `zone_event` (an event the procedure allows, recorded as
attributed provenance; a forbidden one raises InputError citing the article, nothing written),
`zone_status` (the state on a date, the dates that matter, what is overdue). The planner:
`plan_submission` (the cheapest changes that make a submission pass), `apply_plan_file`.
Targets: `locality_targets`.
"""

from __future__ import annotations

from datetime import date

from demozone.common.errors import InputError, Problem
from demozone.procedure import records
from demozone.procedure.zone import Proposed, decide, procedure, status
from demozone.store.location import open_store


def parse_date(text: str, field: str = "--date") -> date:
    """A calendar date YYYY-MM-DD, or InputError."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [Problem("", field, f"{text!r} is not a date", f"{text!r} 不是日期", "YYYY-MM-DD")]
        ) from None


def add_zone(zone: str, name: str, store: str | None = None) -> dict:
    with open_store(store) as target:
        return records.add_zone(target, zone, name).to_dict()


def list_zones(store: str | None = None) -> list[dict]:
    with open_store(store) as target:
        return [z.to_dict() for z in records.zones(target)]


def zone_event(
    zone: str,
    event: str,
    on: str,
    *,
    by: str | None = None,
    assessment: str | None = None,
    result: str | None = None,
    store: str | None = None,
) -> dict:
    """Record `event` of `zone` on date `on` when the procedure allows it. An `assessment` must
    be in the store; an event that takes a result and is given none takes the assessment's
    verdict (a self-assessment scored by demozone)."""
    proc = procedure()
    when = parse_date(on)
    with open_store(store) as target:
        records.zone(target, zone)
        if assessment is not None:
            assessment, passed = _stored_verdict(target, assessment)
            named = proc.event_named(event)
            if result is None and named is not None and named.result != "none":
                result = "pass" if passed else "fail"
        proposed = Proposed(event, when, by, assessment, result)
        done = records.events(target, zone)
        record = decide(proc, done, proposed, zone)
        step = next(s for s in proc.steps if s.id == record.transition)
        records.write_event(target, record, step.cite.citation)
    return record.to_dict() | {
        "label": proc.states[record.target].label,
        "article": step.cite.to_dict(),
    }


def zone_status(
    zone: str, on: str | None = None, *, holidays: bool = False, store: str | None = None
) -> dict:
    proc = procedure()
    when = parse_date(on, "--on") if on else date.today()
    with open_store(store, create=False) as target:
        found = records.zone(target, zone)
        done = records.events(target, zone)
    return {"zone": found.to_dict(), "holidays": holidays} | status(
        proc, done, when, holidays=holidays
    )


def plan_submission(
    ref: str,
    *,
    system: str | None = None,
    costs: str | None = None,
    apply_out: str | None = None,
    store: str | None = None,
    submission: str | None = None,
    workbook: str | None = None,
) -> dict:
    """The cheapest changes that make a submission FILE (or a stored ASSESSMENT, re-scored from
    its submission file) pass; with `apply_out`, the submission with the plan applied is written
    there; with `workbook` (.xlsx), the plan as a workbook, one row per change and responsible
    unit. JSON-ready; `plan_table` renders it."""
    from pathlib import Path

    from demozone.assessment.assess import load_for_scoring
    from demozone.assessment.resolve import (
        is_submission_file,
        rescore,
        resolve_assessment,
        stored_record,
    )
    from demozone.kb.load import get_system
    from demozone.procedure.apply import APPLY_SUFFIXES, apply_to_file
    from demozone.procedure.costs import load_costs
    from demozone.procedure.plangroups import plan_json
    from demozone.procedure.planner import plan
    from demozone.rules.lookup import rules_of

    if workbook is not None and Path(workbook).suffix.lower() != ".xlsx":
        raise InputError(
            [
                Problem(
                    str(workbook),
                    "-o",
                    "the plan workbook must be an .xlsx file",
                    "整改计划工作簿须为 .xlsx 文件",
                    "plan.xlsx",
                )
            ]
        )
    if apply_out is not None and Path(apply_out).suffix.lower() not in APPLY_SUFFIXES:
        raise InputError(
            [
                Problem(
                    str(apply_out),
                    "--apply",
                    "the submission with the plan applied is written as .yaml, .json or .xlsx",
                    "应用整改计划后的申报材料须写为 .yaml、.json 或 .xlsx 文件",
                    ", ".join(APPLY_SUFFIXES),
                )
            ]
        )
    chosen_costs = load_costs(Path(costs) if costs else None)
    if is_submission_file(ref):
        loaded, rule_set, kb_system = load_for_scoring(Path(ref), system)
    else:
        resolved = resolve_assessment(ref, store)
        loaded = rescore(resolved, submission).submission
        rule_set = rules_of(system or stored_record(resolved).rule_set)
        kb_system = get_system(rule_set.kb_system)
    found = plan(loaded, rule_set, kb_system, chosen_costs)
    shaped = plan_json(found, loaded, rule_set, chosen_costs)
    if apply_out is not None and found.feasible:
        apply_to_file(Path(loaded.file), found.changes, loaded, Path(apply_out))
        if Path(apply_out).suffix.lower() == ".xlsx":
            from demozone.procedure.planbook import add_plan_sheet

            add_plan_sheet(Path(apply_out), shaped)
        shaped["applied_to"] = str(apply_out)
    if workbook is not None:
        from demozone.procedure.planbook import write_plan_workbook

        write_plan_workbook(Path(workbook), shaped)
        shaped["workbook"] = str(workbook)
    return shaped


def plan_table(shaped: dict, lang: str = "zh") -> str:
    from demozone.procedure.plangroups import plan_text

    return plan_text(shaped, lang)


def locality_targets(
    locality: str,
    ref: str,
    *,
    system: str | None = None,
    store: str | None = None,
    submission: str | None = None,
) -> dict:
    """A locality's plan targets against a submission FILE (or a stored ASSESSMENT re-scored from
    its submission file): met or not, by how much, which indicator each feeds."""
    from pathlib import Path

    from demozone.assessment.assess import load_for_scoring
    from demozone.assessment.resolve import is_submission_file, rescore, resolve_assessment
    from demozone.procedure.targets import compare_targets

    if is_submission_file(ref):
        loaded = load_for_scoring(Path(ref), system)[0]
    else:
        loaded = rescore(resolve_assessment(ref, store), submission).submission
    return compare_targets(locality, loaded)


def targets_table(shaped: dict, lang: str = "zh") -> str:
    from demozone.procedure.targets import targets_text

    return targets_text(shaped, lang)


def _stored_verdict(target, reference: str) -> tuple[str, bool]:
    """(id, passed) of a stored assessment named by its id or IRI, or InputError."""
    for info in target.assessments():
        if reference in (info.id, info.iri):
            return info.id, info.passed
    raise InputError(
        [
            Problem(
                "",
                "--assessment",
                f"no assessment {reference!r} in the store",
                f"存储中没有评估 {reference!r}",
                "an assessment id or IRI from `demozone score`",
            )
        ]
    )
