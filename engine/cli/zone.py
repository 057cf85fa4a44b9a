"""`demozone zone add|list|event` and `demozone status ZONE`: a zone's path through the SAMR
measures' procedure (申请创建 → 初审推荐 → 同意创建 → 开展创建 → 自评 → 评估申请 → 评估初审 → 评估 →
公示 → 认定 → 动态管理), recorded as attributed provenance in the store."""

from __future__ import annotations

import click

from demozone import api
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    store_option,
)


@main_group.group("zone")
def zone_group() -> None:
    """Zones (创建对象) and the events of their procedure."""


@zone_group.command("add")
@click.argument("zone")
@click.option("--name", required=True, help="The zone's name, e.g. 河津市.")
@store_option
@lang_option
@json_option
@handles_user_errors
def zone_add(zone: str, name: str, store: str | None, lang: str, as_json: bool) -> None:
    """Add ZONE (a short lowercase ASCII id) to the store."""
    added = api.add_zone(zone, name, store)
    if as_json:
        emit_json(added)
    else:
        click.echo(f"added zone {added['id']} {added['name']}")


@zone_group.command("list")
@store_option
@lang_option
@json_option
@handles_user_errors
def zone_list(store: str | None, lang: str, as_json: bool) -> None:
    """The zones in the store."""
    found = api.list_zones(store)
    if as_json:
        emit_json(found)
        return
    for zone in found:
        click.echo(f"{zone['id']}\t{zone['name']}\t{zone['added']}")
    if not found:
        click.echo("no zones (demozone zone add ZONE --name NAME)", err=True)


@zone_group.command("event")
@click.argument("zone")
@click.argument("event")
@click.option("--date", "on", required=True, help="When it happened, YYYY-MM-DD.")
@click.option("--by", default=None, help="The organisation that acted (default: per event).")
@click.option("--assessment", default=None, help="The assessment the event rests on.")
@click.option("--result", type=click.Choice(["pass", "fail"]), default=None, help="Its result.")
@store_option
@lang_option
@json_option
@handles_user_errors
def zone_event_cmd(
    zone: str,
    event: str,
    on: str,
    by: str | None,
    assessment: str | None,
    result: str | None,
    store: str | None,
    lang: str,
    as_json: bool,
) -> None:
    """Record EVENT of ZONE: apply, recommend, approve, self-assess, apply-evaluation,
    province-check, evaluate, publicise, recognise, interview, warn, revoke (or 申请创建, 初审推荐,
    同意创建, 自评, 评估申请, 评估初审, 评估, 公示, 认定, 约谈, 警示, 取消资格).

    An event the procedure does not allow is refused with the article that forbids it (exit 2)
    and nothing is recorded."""
    done = api.zone_event(zone, event, on, by=by, assessment=assessment, result=result, store=store)
    if as_json:
        emit_json(done)
        return
    click.echo(
        f"{zone} #{done['number']} {done['date']} {done['event']} by {done['by']}: "
        f"{done['from']} → {done['to']} {done['label']}\n"
        f"  {api.article_line(done['article'], lang)}"
    )


def _status(
    zone: str, on: str | None, holidays: bool, store: str | None, as_json: bool, lang: str = "zh"
) -> None:
    found = api.zone_status(zone, on, holidays=holidays, store=store)
    if as_json:
        emit_json(found)
        return
    lines = [
        f"{found['zone']['id']} {found['zone']['name']} on {found['on']}: "
        f"{found['label']} ({found['state']})  {api.article_line(found['article'], lang)}"
    ]
    for entry in found["dates"]:
        when = entry["date"] or "尚未确定/not fixed yet"
        lines.append(f"  {entry['label']}: {when}  {api.article_line(entry['article'], lang)}")
    for entry in found["overdue"]:
        late = "overdue" if lang == "en" else "逾期/overdue"
        lines.append(
            f"  {late} {entry['label']} since {entry['date']}  {api.article_line(entry['article'], lang)}"
        )
    nexts = ", ".join(sorted({n["event"] for n in found["next"]})) or "none"
    lines.append(f"  next events: {nexts}")
    click.echo("\n".join(lines))


_on = click.option("--on", default=None, help="The date to look from, YYYY-MM-DD (default today).")
_holidays = click.option(
    "--holidays",
    is_flag=True,
    help="Move a period ending on a statutory holiday to the next working day (民法典第二百零三条).",
)


@main_group.command("status")
@click.argument("zone")
@_on
@_holidays
@store_option
@lang_option
@json_option
@handles_user_errors
def status_cmd(
    zone: str, on: str | None, holidays: bool, store: str | None, lang: str, as_json: bool
) -> None:
    """Where ZONE stands: its state, the dates that matter (end of the creation period, earliest
    and latest evaluation, end of publicity) and what is overdue, each with its article."""
    _status(zone, on, holidays, store, as_json, lang)


zone_group.add_command(status_cmd, "status")  # `zone status ZONE`, the same command
