"""Loading kb/ into frozen values: strict errors with file:line, and local decompositions."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from demozone.common.errors import InputError
from demozone.kb import load as kb

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "kb"


def test_the_fixture_loads_with_its_levels_indicators_clauses_and_pass_rule():
    base = kb.load_kb(FIXTURE).system("mini")
    assert [lv.id for lv in base.levels()] == ["promote", "scale"]
    assert [(i.number, i.points) for i in base.indicators] == [("1", 12), ("2", 8)]
    assert [c.id for c in base.indicator("2").clauses] == ["2.1", "2.2"]
    assert base.pass_rule.total_at_least == Decimal("17")
    assert base.pass_rule.first_level_rate_at_least == Decimal("0.75")
    assert base.indicator("1").anchors[0].line is not None


def test_a_local_decomposition_inherits_texts_and_points_under_its_own_numbers():
    local = kb.load_kb(FIXTURE).system("mini-local")
    first = local.indicator("1")
    assert (first.base, first.label, first.points) == ("2", "宣传工作", 8)
    assert [(c.id, c.base, c.points) for c in first.clauses] == [
        ("1.1", "2.1", 4),
        ("1.2", "2.2", 4),
    ]
    assert first.unit_ids == ("mini-u02",) and first.unit_names == ("天津市宣传部",)
    assert first.anchors[0].role == "units"  # its own anchor first, then the inherited ones
    assert {a.role for a in first.anchors} >= {"title", "points", "criterion"}
    assert local.pass_rule.total_at_least == 17 and local.total_points == 20
    assert kb.base_numbering("mini-local", FIXTURE) == {"1": "2", "2": "1"}
    assert kb.base_numbering("mini", FIXTURE) == {}


def test_values_are_frozen_and_one_kb_is_cached_per_directory():
    first = kb.load_kb(FIXTURE)
    assert kb.load_kb(FIXTURE) is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.system("mini").indicators[0].points = 3  # type: ignore[misc]


def test_the_digest_names_the_files_as_they_were_read_until_the_cache_is_cleared(kb_copy):
    from demozone.common.hashing import sha256_tree

    read = kb.digest(kb_copy)
    assert read == sha256_tree(kb_copy)
    some_file = next(p for p in sorted(kb_copy.rglob("*.yaml")))
    some_file.write_text(some_file.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
    assert kb.digest(kb_copy) == read  # what was loaded, and what a receipt names
    kb.clear_cache()
    assert kb.digest(kb_copy) == sha256_tree(kb_copy) != read


def test_the_anchor_uses_name_each_anchor_once_where_it_was_written():
    uses = list(kb.load_kb(FIXTURE).anchor_uses())
    assert len(uses) == 22
    assert {u.file for u in uses} == {"kb/systems/mini.yaml", "kb/systems/mini-local.yaml"}


# (what is broken, file, text replaced, replacement, words the message must contain)
BROKEN = [
    (
        "unknown key",
        "systems/mini.yaml",
        "    nature: 定量",
        "    natur: 定量",
        ["natur", "allowed", "nature"],
    ),
    (
        "duplicate key",
        "systems/mini.yaml",
        "    nature: 定量",
        "    nature: 定量\n    nature: 定性",
        ["duplicate", "nature"],
    ),
    (
        "points as text",
        "systems/mini.yaml",
        "    points: 12\n    nature",
        "    points: twelve\n    nature",
        ["expected a number", "twelve"],
    ),
    (
        "unknown first level",
        "systems/mini.yaml",
        "    first_level: promote\n    second_level: scale\n    label: 宣传工作",
        "    first_level: nowhere\n    second_level: scale\n    label: 宣传工作",
        ["unknown first level", "nowhere"],
    ),
    (
        "unknown metric",
        "systems/mini.yaml",
        "[online_retail]",
        "[online_retails]",
        ["unknown metric", "online_retails"],
    ),
    ("unquoted clause id", "systems/mini.yaml", 'id: "1.1"', "id: 1.1", ["clause ids are text"]),
    (
        "duplicate indicator",
        "systems/mini.yaml",
        "  - number: 2\n",
        "  - number: 1\n",
        ["duplicate indicator number"],
    ),
    (
        "unknown anchor source",
        "systems/mini.yaml",
        'source: "mini", role: "title"',
        'source: "maxi", role: "title"',
        ["unknown source", "maxi"],
    ),
    (
        "anchor without quote",
        "systems/mini.yaml",
        ', quote: "宣传工作"}',
        "}",
        ["missing required key", "quote"],
    ),
    ("bad rate", "systems/mini.yaml", '"75%"', '"75"', ["75%"]),
    (
        "unknown base",
        "systems/mini-local.yaml",
        "    base: 2",
        "    base: 9",
        ["no indicator", "9"],
    ),
    (
        "unknown extended system",
        "systems/mini-local.yaml",
        "extends: mini",
        "extends: midi",
        ["unknown system", "midi"],
    ),
    (
        "unit id and name differ",
        "systems/mini-local.yaml",
        "ids: [mini-u02]",
        "ids: [mini-u01]",
        ["mini-u01"],
    ),
    ("id differs from file name", "systems/mini.yaml", "id: mini\n", "id: mini2\n", ["file name"]),
    (
        "unknown metric key",
        "metrics.yaml",
        "per_year: true",
        "per_year: true\n    scale: 1",
        ["scale", "allowed"],
    ),
    ("not valid yaml", "sources.yaml", "sources:", "sources: [", ["not valid YAML"]),
]


@pytest.mark.parametrize(
    ("what", "file", "old", "new", "words"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_a_broken_file_is_an_input_error_naming_the_file_line_and_key(
    tmp_path, what, file, old, new, words
):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        kb.load_kb(root)
    rendered = "\n".join(p.render("en") for p in err.value.problems)
    assert f"kb/{file}" in rendered
    for word in words:
        assert word in rendered, rendered
    if what not in ("unknown extended system", "unknown base", "not valid yaml"):
        assert any(p.line for p in err.value.problems), rendered


def test_every_problem_of_a_load_is_reported_at_once(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    path = root / "systems" / "mini.yaml"
    text = path.read_text(encoding="utf-8").replace("    nature: 定量", "    natur: 定量")
    path.write_text(text.replace("[online_retail]", "[nothing]"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        kb.load_kb(root)
    assert len(err.value.problems) >= 2


def test_a_missing_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        kb.load_kb(tmp_path / "nowhere")


def test_the_real_systems_resolve_with_their_sizes():
    systems = kb.load_kb().systems
    assert {s: len(v.indicators) for s, v in systems.items()} == {
        "national-2022": 41,
        "national-2024-draft": 25,
        "hejin-2023": 40,
        "liangdang-2022": 41,
        "wanrong-2022": 41,
    }
    hejin = systems["hejin-2023"]
    assert hejin.indicator("5").base == "6" and hejin.indicator("5").clauses[0].id == "5.1"
    assert kb.get_system("nope") is None
