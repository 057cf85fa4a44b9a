"""The rule workbook for policy staff: `demozone rules export` and `rules import` (issue 16,
item 5). Export then import without edits gives an empty variant; one edited band gives a
variant whose diff shows exactly that band; what cannot be a variant's change is refused
naming sheet and cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from demozone.api import diff_systems, export_rules, import_rules, lint
from demozone.cli import main_group
from demozone.common.errors import InputError
from demozone.common.yamlio import load_yaml
from demozone.rules.kinds import KINDS
from demozone.rules.lookup import rules_of

SYSTEMS = ["national-2022", "national-2024-draft", "hejin-2023", "wanrong-2022", "liangdang-2022"]
SYSTEMS += ["national-2022-strict"]


def _cell(book, sheet: str, rule_id: str, header: str):
    rows = book[sheet]
    headers = [c.value for c in rows[1]]
    for row in rows.iter_rows(min_row=2):
        if row[headers.index("规则编号")].value == rule_id:
            return row[headers.index(header)]
    raise AssertionError(rule_id)


@pytest.mark.parametrize("system", SYSTEMS)
def test_export_then_import_without_edits_gives_an_empty_variant(system, tmp_path):
    book = export_rules(system, tmp_path / "rules.xlsx")
    done = import_rules(book, system, tmp_path / "mine.yaml")
    assert done["changes"] == 0
    doc = load_yaml(tmp_path / "mine.yaml")
    assert set(doc) == {"system", "extends", "kb_system"}
    assert doc["extends"] == system and doc["system"] == "mine"
    mine, base = rules_of(str(tmp_path / "mine.yaml")), rules_of(system)
    assert mine.indicators == base.indicators and mine.pass_rule == base.pass_rule
    assert mine.parameters == base.parameters


def test_the_workbook_has_a_row_per_rule_with_clause_text_and_kind_columns(tmp_path):
    book = load_workbook(export_rules("national-2022", tmp_path / "rules.xlsx"))
    assert book.sheetnames == ["说明", "规则", "合格标准", "地区类别参数"]
    rules = book["规则"]
    assert rules.max_row - 1 == len(rules_of("national-2022").rules())
    assert "占比8%-15%得1分" in _cell(book, "规则", "n22-3", "条款原文").value
    assert _cell(book, "规则", "n22-3", "规则类型").value == "ratio_bands"
    assert '{from: "8%", to: "15%", points: 1}' in _cell(book, "规则", "n22-3", "分档").value
    assert _cell(book, "规则", "n22-1", "上限").value == "{cap: 2}"
    assert rules["H1"].comment.text.startswith("points")
    assert next([c.value for c in r] for r in book["合格标准"].iter_rows(min_row=2))[::2] == [
        "total_at_least",
        "85",
    ]
    regions = [[c.value for c in r] for r in book["地区类别参数"].iter_rows(min_row=2)]
    assert ["large_operator_sales", "west", "0.5"] in regions


def test_every_kind_places_each_of_its_keys_in_one_workbook_column():
    for kind in KINDS.values():
        placed = [key for _column, keys in kind.workbook for key in keys]
        assert sorted(placed) == sorted(kind.keys), kind.name


def test_one_edited_band_gives_a_variant_whose_diff_shows_exactly_that_band(tmp_path):
    path = export_rules("national-2022", tmp_path / "rules.xlsx")
    book = load_workbook(path)
    cell = _cell(book, "规则", "n22-3", "分档")
    cell.value = cell.value.replace('"8%"', '"10%"', 1)
    book.save(path)
    out = tmp_path / "share-10.yaml"
    done = import_rules(path, "national-2022", out)
    assert done["changes"] == 1 and list(done["override"]) == ["n22-3"]
    text = out.read_text("utf-8")
    assert "# 指标 3 规则 n22-3 分档（规则!" in text and '原为 / was: [{from: "8%"' in text
    diff = diff_systems("national-2022", str(out))
    changes = diff.changes()
    assert [(c.a, c.b) for c in changes] == [("3", "3")]
    assert changes[0].topic == "bands" and changes[0].rule_b == "n22-3"
    assert "8%–15%" in changes[0].before.zh and "10%–15%" in changes[0].after.zh
    assert not diff.pass_rule and all(r.ok for r in lint([str(out)]))


def test_edited_pass_rule_and_region_class_values_become_the_variant(tmp_path):
    path = export_rules("national-2022", tmp_path / "rules.xlsx")
    book = load_workbook(path)
    book["合格标准"]["C3"].value = "80%"
    regions = book["地区类别参数"]
    row = next(r for r in regions.iter_rows(min_row=2) if r[1].value == "east")
    row[2].value = 3  # typed into Excel as a number
    book.save(path)
    done = import_rules(path, "national-2022", tmp_path / "v.yaml")
    assert done["pass_rule"] == {"first_level_rate_at_least": "80%"}
    assert "# unfix:" not in (tmp_path / "v.yaml").read_text("utf-8")  # nothing fixed changed
    variant = rules_of(str(tmp_path / "v.yaml"))
    assert variant.parameters["large_operator_sales"]["east"] == 3
    assert str(variant.pass_rule.first_level_rate_at_least) == "4/5"


def test_what_a_variant_cannot_say_is_refused_naming_sheet_and_cell(tmp_path):
    path = export_rules("national-2022", tmp_path / "rules.xlsx")
    book = load_workbook(path)
    _cell(book, "规则", "n22-1", "规则类型").value = "conditions"  # read-only column
    _cell(book, "规则", "n22-2", "分值").value = "{points_per_year: [1"  # not YAML
    _cell(book, "规则", "n22-3", "分档").value = "{bands: [], colour: red}"  # unknown key
    _cell(book, "规则", "n22-4", "规则编号").value = "n22-404"  # unknown rule
    book.save(path)
    with pytest.raises(InputError) as raised:
        import_rules(path, "national-2022", tmp_path / "v.yaml")
    where = [p.path for p in raised.value.problems]
    kind_col, points_col, bands_col, id_col = "G", "H", "I", "D"
    assert where[:4] == [
        f"规则!{kind_col}2",
        f"规则!{points_col}3",
        f"规则!{bands_col}4",
        f"规则!{id_col}5",
    ]
    assert any("n22-4" in p.message for p in raised.value.problems)  # its row is now missing
    assert not (tmp_path / "v.yaml").exists()


def test_a_missing_sheet_and_a_changed_header_are_named(tmp_path):
    path = export_rules("national-2022", tmp_path / "rules.xlsx")
    book = load_workbook(path)
    del book["合格标准"]
    book["规则"]["I1"].value = "bands"
    book.save(path)
    with pytest.raises(InputError) as raised:
        import_rules(path, "national-2022", tmp_path / "v.yaml")
    assert {p.path for p in raised.value.problems} == {"规则!I1", "合格标准"}


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    bad = tmp_path / "rules.xlsx"
    bad.write_text("not a workbook", "utf-8")
    result = CliRunner().invoke(
        main_group,
        ["rules", "import", str(bad), "--base", "national-2022", "-o", str(tmp_path / "v.yaml")],
    )
    assert result.exit_code == 2 and "不是可读取的 .xlsx 工作簿" in result.stderr


def test_the_cli_round_trips_a_variant_kept_in_its_own_folder(tmp_path):
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "gansu.yaml").write_text(
        "system: gansu\nextends: national-2022\nkb_system: national-2022\n"
        "override: {n22-3: {inclusive: both}}\n",
        "utf-8",
    )
    runner = CliRunner()
    book = tmp_path / "gansu.xlsx"
    exported = runner.invoke(
        main_group, ["rules", "export", "gansu", "-o", str(book), "--rules", str(folder)]
    )
    assert exported.exit_code == 0, exported.output
    out = tmp_path / "again.yaml"
    imported = runner.invoke(
        main_group,
        [
            "rules",
            "import",
            str(book),
            "--base",
            "gansu",
            "-o",
            str(out),
            "--rules",
            str(folder),
            "--json",
        ],
    )
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["changes"] == 0
    assert load_yaml(out)["extends"] == "gansu"


def test_help_of_the_rules_verbs():
    for verb in (["rules"], ["rules", "export"], ["rules", "import"]):
        result = CliRunner().invoke(main_group, [*verb, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.stdout


def test_the_workbook_module_has_no_kind_names():
    text = Path(__file__).resolve().parent.parent.joinpath("engine/policy/rulebook").glob("*.py")
    for module in text:
        source = module.read_text("utf-8")
        assert not any(f'"{name}"' in source for name in KINDS), module


def test_a_change_of_a_fixed_entry_comes_with_a_commented_unfix_to_fill_in(tmp_path):
    path = export_rules("national-2022", tmp_path / "rules.xlsx")
    book = load_workbook(path)
    book["合格标准"]["C2"].value = 88
    book.save(path)
    out = tmp_path / "v.yaml"
    import_rules(path, "national-2022", out)
    text = out.read_text("utf-8")
    assert '# unfix:\n#   pass_rule.total_at_least: "理由 / reason"' in text
    assert [f.code for r in lint([str(out)]) for f in r.findings if f.severity == "error"] == [
        "fixed-changed"
    ]
    out.write_text(
        text.replace(
            "# unfix:\n#   pass_rule.total_at_least", "unfix:\n  pass_rule.total_at_least"
        ),
        "utf-8",
    )
    [report] = lint([str(out)])
    assert report.ok and "fixed-unfixed" in [f.code for f in report.findings]
