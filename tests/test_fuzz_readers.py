"""Fuzz tests (Hypothesis) of the readers of user input (issue 19): the submission reader, the
submission workbook reader and the rule loader. Whatever they are given — a valid file with one value replaced by anything YAML can
hold, or arbitrary text — they end in a result or an InputError (a clear problem), never another
exception, within the limits of time. Bounded for CI: a fixed number of examples, derandomized.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from demozone.api import convert
from demozone.common.errors import InputError
from demozone.rules.load import load_rule_set
from demozone.rules.model import RuleSet
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission
from demozone.submission.model import Submission

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "national-2022" / "submission.yaml"
RULES = ROOT / "rules" / "national-2022.yaml"
BOUNDED = settings(
    max_examples=int(__import__("os").environ.get("DEMOZONE_FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str),
    st.text(max_size=30),
    st.sampled_from(["150%", "-0.2%", "1e999999999", "017", "0x1A", "1:30", ".inf", "97.5%",
                     "../../etc/passwd", "evidence/\x00", "E1\n", "\x1b[2J", "2024-03-01"]),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(doc, prefix=()):
    """Every path to a value of a document (keys and list positions)."""
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _paths(value, (*prefix, index))


def _replaced(doc, path, value):
    changed = copy.deepcopy(doc)
    if not path:
        return value
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def _plain(value):
    """YAML-dumpable: Decimals as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


SUBMISSION = yaml.safe_load(EXAMPLE.read_text("utf-8"))
SUBMISSION_PATHS = list(_paths(SUBMISSION))
RULE_DOC = yaml.safe_load(RULES.read_text("utf-8"))
RULE_PATHS = list(_paths(RULE_DOC))
CATALOG = catalog_from_kb()


FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-"))  # the examples' evidence beside each file read
shutil.copytree(EXAMPLE.parent / "evidence", FOLDER / "evidence")


def _read_submission(text: str) -> None:
    path = FOLDER / "submission.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        assert isinstance(load_submission(path, CATALOG), Submission)
    except InputError as err:
        assert err.problems and all(p.message for p in err.problems)


def _read_rules(text: str) -> None:
    path = FOLDER / "fuzzed-rules.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        assert isinstance(load_rule_set(path), RuleSet)
    except InputError as err:
        assert err.problems and all(p.message for p in err.problems)


@BOUNDED
@given(st.sampled_from(SUBMISSION_PATHS), values)
def test_a_submission_with_any_value_anywhere_reads_or_is_refused(path, value):
    doc = _replaced(SUBMISSION, path, _plain(value))
    _read_submission(yaml.safe_dump(doc, allow_unicode=True))


@BOUNDED
@given(st.text(max_size=400))
def test_any_text_as_a_submission_reads_or_is_refused(text):
    _read_submission(text)


@BOUNDED
@given(st.sampled_from(RULE_PATHS), values)
def test_a_rule_file_with_any_value_anywhere_loads_or_is_refused(path, value):
    doc = _replaced(RULE_DOC, path, _plain(value))
    _read_rules(yaml.safe_dump(doc, allow_unicode=True))


@BOUNDED
@given(st.text(max_size=400))
def test_any_text_as_a_rule_file_loads_or_is_refused(text):
    _read_rules(text)


WORKBOOK = FOLDER / "example.xlsx"
convert(EXAMPLE, WORKBOOK)
WORKBOOK_CELLS = [
    (sheet.title, cell.coordinate)
    for sheet in openpyxl.load_workbook(WORKBOOK).worksheets
    for row in sheet.iter_rows()
    for cell in row
    if cell.value is not None
]
cell_values = st.one_of(
    scalars.filter(lambda v: not isinstance(v, str) or "\x00" not in v),
    st.sampled_from(["=1/0", "=A1", "=SUM(1,2)", "对", "是否", "９７.３％", "  E1  ", "#REF!"]),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _read_workbook(path: Path) -> None:
    try:
        assert isinstance(load_submission(path, CATALOG), Submission)
    except InputError as err:
        assert err.problems and all(p.message for p in err.problems)


@BOUNDED
@given(st.sampled_from(WORKBOOK_CELLS), cell_values)
def test_a_workbook_with_any_value_in_any_cell_reads_or_is_refused(where, value):
    book = openpyxl.load_workbook(WORKBOOK)
    try:
        book[where[0]][where[1]].value = value
    except (
        ValueError,
        TypeError,
        IllegalCharacterError,
    ):  # openpyxl itself refuses to store it: nothing to read
        return
    path = FOLDER / "fuzzed.xlsx"
    book.save(path)
    _read_workbook(path)


@BOUNDED
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_workbook_read_or_are_refused(data):
    path = FOLDER / "fuzzed-bytes.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)  # a zip's magic, so it is taken for a workbook
    _read_workbook(path)
