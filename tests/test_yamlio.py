"""The strict YAML reader every data file goes through: exact numbers, every repeated key
reported, and values YAML would turn into floats or dates kept as text for the field's reader."""

from decimal import Decimal

import pytest

from demozone.common.errors import InputError
from demozone.common.yamlio import Text, load_yaml_text
from demozone.rules.load import load_rule_set


def test_floats_are_exact_decimals():
    assert load_yaml_text("a: 0.1\nb: 1_000.5", "f.yaml") == {
        "a": Decimal("0.1"),
        "b": Decimal("1000.5"),
    }


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", "1:30", "0x1A", "017", "2024-01-01"])
def test_infinities_sexagesimals_and_dates_stay_as_the_text_written(written):
    value = load_yaml_text(f"a: {written}", "f.yaml")["a"]
    assert isinstance(value, str) and value == written


def test_plain_integers_are_integers():
    assert load_yaml_text("a: 1_000\nb: -3\nc: 0", "f.yaml") == {"a": 1000, "b": -3, "c": 0}


def test_every_repeated_key_is_reported_with_its_line():
    with pytest.raises(InputError) as err:
        load_yaml_text("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    assert [(p.path, p.line) for p in err.value.problems] == [("a", 2), ("c", 5)]


def test_a_rule_file_with_an_infinite_pass_mark_is_refused_by_the_rule_reader(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "system: bad\nextends: national-2022\npass_rule:\n  total_at_least: .inf\n", "utf-8"
    )
    with pytest.raises(InputError) as err:
        load_rule_set(path)
    problem = err.value.problems[0]
    assert problem.path.endswith("total_at_least") and ".inf" in problem.message
    assert isinstance(Text(".inf"), str)
