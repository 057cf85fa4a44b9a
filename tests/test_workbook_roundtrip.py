"""`demozone convert` loses nothing: YAML -> .xlsx -> YAML gives the same submission for 200
generated submissions of both national systems, and JSON does too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.api import convert
from demozone.cli import main_group
from demozone.rules.lookup import rules_of
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.synthetic import synthetic_document
from demozone.submission.workbook.document import yaml_text

from .conftest import ROOT
from .workbook_helpers import meaning

SYSTEMS = {
    "national-2022": ("east", "central", "west"),
    "national-2024-draft": ("east", "central", "west", "northeast"),
}
PER_SYSTEM = 100


@pytest.mark.parametrize("system", sorted(SYSTEMS))
def test_yaml_to_xlsx_to_yaml_is_the_same_submission_for_generated_ones(system, tmp_path):
    rule_set = rules_of(system)
    catalog = catalog_from_kb()
    differing = []
    for seed in range(PER_SYSTEM):
        doc = synthetic_document(rule_set, seed, region_classes=SYSTEMS[system])
        source = tmp_path / f"{seed}.yaml"
        source.write_text(yaml_text(doc), "utf-8")
        convert(source, tmp_path / f"{seed}.xlsx")
        convert(tmp_path / f"{seed}.xlsx", tmp_path / f"{seed}-back.yaml")
        before = load_submission(source, catalog)
        after = load_submission(tmp_path / f"{seed}-back.yaml", catalog)
        if meaning(before) != meaning(after):
            differing.append(seed)
    assert differing == []


@pytest.mark.parametrize("name", ["national-2022", "national-2024-draft", "hejin-2023"])
def test_an_example_goes_through_json_and_xlsx_and_back_unchanged(name, tmp_path):
    source = ROOT / "examples" / name / "submission.yaml"
    original = load_submission(source, catalog_from_kb())
    shutil.copytree(
        source.parent / "evidence", tmp_path / "evidence"
    )  # read only inside its folder
    convert(source, tmp_path / "a.json")
    convert(tmp_path / "a.json", tmp_path / "b.xlsx")
    convert(tmp_path / "b.xlsx", tmp_path / "c.yaml")
    for path in ("a.json", "b.xlsx", "c.yaml"):
        assert meaning(load_submission(tmp_path / path, catalog_from_kb())) == meaning(original)


def test_evidence_paths_are_kept_when_the_evidence_is_copied_beside_the_output(tmp_path):
    source = ROOT / "examples" / "national-2022" / "submission.yaml"
    shutil.copytree(source.parent / "evidence", tmp_path / "elsewhere" / "evidence")
    convert(source, tmp_path / "elsewhere" / "s.yaml")
    moved = load_submission(tmp_path / "elsewhere" / "s.yaml", catalog_from_kb())
    assert (
        moved.evidence["E1"].sha256
        == load_submission(source, catalog_from_kb()).evidence["E1"].sha256
    )


def test_the_convert_command_reports_what_it_wrote(tmp_path):
    source = ROOT / "examples" / "national-2024-draft" / "submission.yaml"
    target = tmp_path / "s.xlsx"
    result = CliRunner().invoke(main_group, ["convert", str(source), "-o", str(target), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == "xlsx" and target.exists()


@pytest.mark.parametrize("target", ["s.txt", "s.csv", "missing-folder/s.yaml"])
def test_the_convert_command_refuses_an_unusable_output(target, tmp_path):
    source = ROOT / "examples" / "national-2024-draft" / "submission.yaml"
    result = CliRunner().invoke(main_group, ["convert", str(source), "-o", str(tmp_path / target)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not Path(tmp_path / target).exists()


def test_the_convert_command_has_help():
    result = CliRunner().invoke(main_group, ["convert", "--help"])
    assert result.exit_code == 0 and ".xlsx" in result.output
