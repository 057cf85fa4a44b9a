"""Rule files load into the rule model: kinds, band policies, variants and strict errors."""

from fractions import Fraction
from pathlib import Path

import pytest

from demozone.common.errors import InputError
from demozone.rules.kinds import resolve_bands
from demozone.rules.load import load_rule_set

RULES = Path(__file__).resolve().parent.parent / "rules"
EXAMPLE_2022 = RULES.parent / "examples" / "national-2022" / "submission.yaml"


def test_both_national_rule_sets_cover_every_indicator_and_add_up_to_100():
    assert [
        len(load_rule_set(RULES / f"{s}.yaml").indicators)
        for s in ("national-2022", "national-2024-draft")
    ] == [41, 25]
    for system in ("national-2022", "national-2024-draft"):
        rule_set = load_rule_set(RULES / f"{system}.yaml")
        assert sum(i.points for i in rule_set.indicators) == 100


def test_every_rule_kind_is_used():
    kinds = {
        r.kind
        for s in ("national-2022", "national-2024-draft")
        for r in load_rule_set(RULES / f"{s}.yaml").rules()
    }
    assert kinds == {
        "yearly_comparison",
        "ratio_bands",
        "conditions",
        "judged",
        "any_judged",
        "items",
    }


def test_inclusive_bands_with_tie_higher_give_a_shared_boundary_to_the_upper_band():
    bands = resolve_bands(
        [{"from": "8%", "to": "15%", "points": 1}, {"from": "15%", "points": 2}], "both", "higher"
    )
    assert (bands[0].lower, bands[0].lower_inclusive) == (Fraction(2, 25), True)
    assert (bands[0].upper, bands[0].upper_inclusive) == (Fraction(3, 20), False)
    assert (bands[1].lower, bands[1].lower_inclusive) == (Fraction(3, 20), True)


def test_tie_lower_gives_the_boundary_to_the_lower_band():
    bands = resolve_bands(
        [{"from": "8%", "to": "15%", "points": 1}, {"from": "15%", "points": 2}], "both", "lower"
    )
    assert bands[0].upper_inclusive and not bands[1].lower_inclusive


def test_a_local_variant_reuses_its_base_rules_under_its_own_name():
    rule_set = load_rule_set(RULES / "wanrong-2022.yaml")
    assert rule_set.system == "wanrong-2022" and rule_set.extends == "national-2022"
    assert len(rule_set.rules()) == len(load_rule_set(RULES / "national-2022.yaml").rules())


def test_renumbering_moves_indicators_and_clause_ids_to_the_variants_numbers():
    mapping = {str(n): str(n + 1 if n >= 5 else n) for n in range(1, 41)}
    rule_set = load_rule_set(RULES / "hejin-2023.yaml", renumbering=lambda _s: mapping)
    assert len(rule_set.indicators) == 40
    five = rule_set.indicator("5")
    assert five.base == "6" and five.rules[0].clause == "5.1" and five.rules[0].id == "n22-6"
    assert rule_set.indicator("27").rules[0].clauses == ("27.1", "27.2", "27.3")


def _write(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  kind: magic\n", "unknown rule kind 'magic'"),
        ("  kind: judged\n  points: 1\n  clause: '1.1'\n  color: red\n", "unknown key 'color'"),
        (
            "  kind: ratio_bands\n  ratio: [a, b]\n  bands: [{from: '8%', points: 1}]\n  tie: nearest\n",
            "unknown tie policy",
        ),
        (
            "  kind: conditions\n  tests: [{metric: x, compare: '~', value: 1}]\n  points: 1\n",
            "unknown comparison",
        ),
        ("  kind: judged\n  points: lots\n", "expected a decimal number"),
    ],
)
def test_broken_rules_are_reported_with_file_line_and_field(tmp_path, body, message):
    text = (
        "system: t\npass_rule: {total_at_least: 85, first_level_rate_at_least: '75%'}\n"
        "indicators:\n  '1':\n    points: 1\n    rules:\n      - id: r1\n"
        + "".join("      " + line + "\n" for line in body.rstrip("\n").split("\n"))
    )
    with pytest.raises(InputError) as err:
        load_rule_set(_write(tmp_path, text))
    assert message in str(err.value)
    assert "broken.yaml" in str(err.value) and "indicators.1.rules[0]" in str(err.value)


def test_duplicate_keys_are_errors_not_silently_the_last_one(tmp_path):
    path = _write(tmp_path, "system: t\nsystem: u\n")
    with pytest.raises(InputError, match="duplicate key 'system'"):
        load_rule_set(path)


def test_a_rule_set_and_its_receipt_name_its_files_as_they_were_read(tmp_path):
    import hashlib
    import shutil

    from demozone.assessment.assess import load_for_scoring
    from demozone.provenance.receipt import receipt

    for name in ("national-2022.yaml", "national-2022-strict.yaml"):
        shutil.copy(RULES / name, tmp_path / name)
    variant = tmp_path / "national-2022-strict.yaml"
    rule_set = load_rule_set(variant)
    read = tuple(hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in rule_set.files)
    assert [Path(f).name for f in rule_set.files] == ["national-2022.yaml", variant.name]
    assert rule_set.file_hashes == read

    variant.write_text(variant.read_text(encoding="utf-8") + "\n# edited later\n", "utf-8")
    submission, _rules, _system = load_for_scoring(EXAMPLE_2022)
    entries = receipt(submission, rule_set)
    assert entries[f"rules/{variant.name}"] == read[1]  # not the edited file's hash
    assert load_rule_set(variant).file_hashes[1] != read[1]
