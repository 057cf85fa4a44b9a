"""`demozone rules export|import`: rule sets as workbooks for policy staff, and back."""

from __future__ import annotations

from pathlib import Path

import click

from demozone import api  # the workbook functions load openpyxl: only when a verb runs
from demozone.cli.common import (
    emit_json,
    handles_user_errors,
    json_option,
    lang_option,
    main_group,
    rules_option,
)


@main_group.group("rules")
def rules_group() -> None:
    """Rule workbooks: export a rule set to .xlsx, import an edited one as a YAML variant."""


@rules_group.command("export")
@click.argument("system")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write (.xlsx).",
)
@rules_option
@lang_option
@json_option
@handles_user_errors
def export_cmd(system: str, output: Path, lang: str, as_json: bool) -> None:
    """Write SYSTEM's rules (an id or a rule file's path) as a workbook: one row per rule
    (indicator, clause and its verbatim text, kind, points, bands, thresholds, cap), the pass
    rule, and the region-class parameters. Edit the yellow columns, then `demozone rules
    import`."""
    written = api.export_rules(system, output)
    if as_json:
        emit_json({"file": str(written), "system": system})
    else:
        click.echo(f"wrote {written}" if lang == "en" else f"已写出规则表 / wrote {written}")


@rules_group.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--base", required=True, help="The rule set the workbook was exported from.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The variant rule file to write (.yaml).",
)
@click.option("--id", "system", default=None, help="The variant's id (default: the file's name).")
@rules_option
@lang_option
@json_option
@handles_user_errors
def import_cmd(
    workbook: Path, base: str, output: Path, system: str | None, lang: str, as_json: bool
) -> None:
    """Write the variant an edited WORKBOOK makes of --base: a commented YAML rule file that
    extends the base and holds only the differences (none: an empty variant). Every problem is
    named by sheet and cell (规则!I7); nothing is written then (exit 2). Check the variant with
    `demozone lint` and `demozone diff BASE VARIANT.yaml`."""
    done = api.import_rules(workbook, base, output, system)
    if as_json:
        emit_json(done)
    else:
        said = f"wrote {done['file']} ({done['system']} extends {done['base']})"
        if lang == "en":
            click.echo(f"{said}: {done['changes']} changes")
        else:
            click.echo(f"已写出变体 / {said}: {done['changes']} 处修改 / changes")
