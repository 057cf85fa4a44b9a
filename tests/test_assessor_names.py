"""Assessors by name: the optional `assessors: {id: name}` of a submission (YAML, JSON or the
workbook's row 2) is recorded in the provenance (foaf:name, rdfs:label of the assessor) and
printed by explain, history and the report instead of the id; an unnamed assessor keeps its id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.api import assess
from demozone.cli import main_group

ROOT = Path(__file__).resolve().parent.parent
NAMES = "\nassessors:\n  expert-li: 李明\n  expert-wang: 王芳\n"
TURNED = (
    '{clause: "23.3", satisfied: false, evidence: [], assessor: expert-wang}',
    '{clause: "23.3", satisfied: true, evidence: [E2], assessor: expert-wang}',
)


def _cli(*args: str):
    return CliRunner().invoke(main_group, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def named(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("named") / "trial"
    shutil.copytree(ROOT / "examples" / "national-2022", folder)
    file = folder / "submission.yaml"
    file.write_text(file.read_text(encoding="utf-8") + NAMES, encoding="utf-8")
    store = str(folder.parent / "store")
    first = assess(file, store=store)
    text = file.read_text(encoding="utf-8")
    assert TURNED[0] in text
    file.write_text(text.replace(*TURNED), encoding="utf-8")
    turned = assess(file, store=store)
    return {"file": file, "store": store, "first": first, "turned": turned}


def test_the_provenance_records_each_named_assessor_as_an_agent_with_a_name(named):
    out = named["file"].parent / "a.ttl"
    result = _cli("export", named["first"].iri, "--store", named["store"], "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert 'foaf:name "李明"' in text and 'rdfs:label "王芳"@zh' in text
    assert "assessor:expert-zhao" in text and '"expert-zhao"' not in text  # unnamed: id only


def test_explain_names_the_assessors_and_keeps_the_id_of_an_unnamed_one(named):
    result = _cli("explain", str(named["file"]), "-i", "22", "--store", named["store"])
    assert result.exit_code == 0, result.output
    assert "李明认定" in result.output and "王芳认定" in result.output
    assert "expert-li" not in result.output and "expert-wang" not in result.output
    english = _cli("explain", str(named["file"]), "-i", "22", "--lang", "en")
    assert "李明: satisfied" in english.output or "李明: not satisfied" in english.output


def test_history_says_who_turned_the_judgment_by_name(named):
    text = _cli("history", "qinglan-2024", "--store", named["store"]).output
    assert "王芳：23.3 不满足 → 满足" in text
    assert "expert-zhao、李明、王芳" in text
    english = _cli("history", "qinglan-2024", "--store", named["store"], "--lang", "en").output
    assert "王芳: 23.3 not satisfied → satisfied" in english


def test_the_report_summarises_the_opinions_by_assessor_name(named):
    out = named["file"].parent / "r.html"
    result = _cli("report", named["turned"].iri, "--store", named["store"], "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "专家评审意见汇总" in html
    assert "李明：认定满足" in html and "王芳" in html
    assert "expert-li" not in html and "expert-zhao" in html


def test_names_survive_yaml_json_and_workbook_round_trips(named):
    folder = named["file"].parent  # beside the evidence the paths are relative to
    for suffix in ("json", "xlsx"):
        there, back = folder / f"s.{suffix}", folder / f"back-{suffix}.yaml"
        assert _cli("convert", str(named["file"]), "-o", str(there)).exit_code == 0
        assert _cli("convert", str(there), "-o", str(back)).exit_code == 0
        doc = yaml.safe_load(back.read_text(encoding="utf-8"))
        assert doc["assessors"] == {"expert-li": "李明", "expert-wang": "王芳"}, suffix


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("\nassessors:\n  expert-nobody: 某人\n", "expert-nobody"),
        ("\nassessors:\n  expert-li: ''\n", "assessors.expert-li"),
        ("\nassessors: [expert-li]\n", "assessors"),
    ],
)
def test_a_name_for_no_assessor_or_an_empty_name_is_refused(tmp_path, names, message):
    folder = tmp_path / "trial"
    shutil.copytree(ROOT / "examples" / "national-2022", folder)
    file = folder / "submission.yaml"
    file.write_text(file.read_text(encoding="utf-8") + names, encoding="utf-8")
    result = CliRunner().invoke(main_group, ["score", str(file), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2, result.output
    assert message in result.output
