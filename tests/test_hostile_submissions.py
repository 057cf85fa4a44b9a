"""Hostile submissions (issue 19, items 1-3, 9 and 10): every one ends in a clear problem, fast,
naming its field, and never in a traceback on the terminal; evidence is read only inside its
folder, only as a regular file, and never hangs."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common import limits
from demozone.common.errors import InputError
from demozone.kb.metrics import metric_vocabulary
from demozone.submission.catalog import catalog_from_kb
from demozone.submission.load import load_submission

from .conftest import ROOT, copy_store

EXAMPLE = ROOT / "examples" / "national-2022"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A private copy of the example submission and its evidence."""
    target = tmp_path / "county"
    shutil.copytree(EXAMPLE, target)
    return target


def _doc(folder: Path) -> dict:
    return yaml.safe_load((folder / "submission.yaml").read_text("utf-8"))


def _write(folder: Path, doc: dict, name: str = "submission.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path, **kwargs) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_submission(path, catalog_from_kb(), **kwargs)
    return [f"{p.location.path}: {p.message}" for p in caught.value.problems]


def _cli(*args: str):
    result = CliRunner().invoke(main_group, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# -- 1. ids matched in full -------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["qinglan-2024\n", "qinglan-2024\r\n", "x" * 65, "a" * 1_000_000])
def test_an_id_with_a_final_newline_or_too_long_is_refused(folder, bad):
    doc = _doc(folder)
    doc["submission"]["id"] = bad
    problems = _problems(_write(folder, doc))
    assert any(p.startswith("submission.id:") for p in problems), problems


def test_a_block_scalar_id_is_refused_alone_and_in_a_batch(folder, tmp_path, kb_store_template):
    text = (folder / "submission.yaml").read_text("utf-8")
    (folder / "block.yaml").write_text(
        text.replace("  id: qinglan-2024\n", "  id: |\n    qinglan-2024\n"), encoding="utf-8"
    )
    assert any(p.startswith("submission.id:") for p in _problems(folder / "block.yaml"))
    store = copy_store(kb_store_template, tmp_path / "store")
    both = _cli("score", str(folder / "submission.yaml"), str(folder / "block.yaml"),
                "--store", str(store), "--json")  # fmt: skip
    assert both.exit_code == 2
    assert json.loads(both.stdout[both.stdout.index("{") :])["error"]["kind"] == "input"


# -- 2. small inputs that would exhaust the machine ------------------------------------------


def test_aliases_that_expand_to_billions_are_refused_before_they_are_built(folder):
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]\n" for k in range(1, 10)
    )
    text = (folder / "submission.yaml").read_text("utf-8")
    for field in ("region: 青岚县", "title: 网剑行动专项整治工作总结"):
        bomb = folder / "bomb.yaml"
        bomb.write_text(
            "x-laughs:\n  " + laughs.replace("\n", "\n  ") + "\n"
            + text.replace(field, field.split(":")[0] + ": *a9"),
            encoding="utf-8",
        )  # fmt: skip
        started = time.monotonic()
        problems = _problems(bomb)
        assert time.monotonic() - started < 5
        assert any("aliases" in p for p in problems), problems


def test_a_self_referring_alias_and_deep_nesting_are_refused(folder):
    (folder / "loop.yaml").write_text("submission: &s {id: *s}\n", encoding="utf-8")
    assert any("refers to" in p for p in _problems(folder / "loop.yaml"))
    (folder / "deep.yaml").write_text("submission: " + "[" * 500 + "]" * 500, encoding="utf-8")
    assert any("nested deeper" in p for p in _problems(folder / "deep.yaml"))


@pytest.mark.parametrize("number", ["1e999999999", "1e28", "1.0e+309", "-1e999999999", "1e-999999"])
def test_numbers_of_absurd_magnitude_are_refused_at_once(folder, number):
    text = (folder / "submission.yaml").read_text("utf-8")
    path = folder / "huge.yaml"
    path.write_text(text.replace("ecommerce_tax: 0.43", f"ecommerce_tax: {number}"), "utf-8")
    started = time.monotonic()
    problems = _problems(path)
    assert time.monotonic() - started < 5
    assert any(p.startswith("metrics.ecommerce_tax") for p in problems), problems


def test_a_huge_integer_and_a_huge_operator_amount_are_refused(folder):
    doc = _doc(folder)
    doc["metrics"]["market_entities"] = 10**40
    doc["operators"][0]["annual_sales"] = "1e28"
    problems = _problems(_write(folder, doc))
    assert any(p.startswith("metrics.market_entities") for p in problems), problems
    assert any(p.startswith("operators[0].annual_sales") for p in problems), problems


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(folder, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    assert any("larger than" in p for p in _problems(folder / "submission.yaml"))


def test_a_fifo_as_the_submission_does_not_hang(folder):
    os.mkfifo(folder / "pipe.yaml")
    assert any("not a regular file" in p for p in _problems(folder / "pipe.yaml"))


# -- 3. evidence outside its folder -----------------------------------------------------------


def _evidence_file(folder: Path, name: str) -> list[str]:
    doc = _doc(folder)
    doc["evidence"][0]["file"] = name
    doc["evidence"][0].pop("sha256", None)
    return _problems(_write(folder, doc))


@pytest.mark.parametrize("name", ["../../../../../../etc/passwd", "evidence/../../outside.txt"])
def test_evidence_through_dot_dot_is_refused(folder, name):
    (folder.parent / "outside.txt").write_text("secret")
    problems = _evidence_file(folder, name)
    assert any(p.startswith("evidence[0].file") and "outside" in p for p in problems), problems


def test_a_symlink_to_a_file_outside_is_refused_and_one_inside_is_read(folder):
    (folder.parent / "secret.txt").write_text("secret")
    (folder / "evidence" / "link.txt").symlink_to(folder.parent / "secret.txt")
    assert any("outside" in p for p in _evidence_file(folder, "evidence/link.txt"))
    (folder / "evidence" / "inside.txt").symlink_to(folder / "evidence" / "e01-joint-meeting.txt")
    doc = _doc(folder)
    doc["evidence"][0]["file"] = "evidence/inside.txt"
    load_submission(_write(folder, doc), catalog_from_kb())  # same bytes, same hash


def test_a_fifo_and_a_device_as_evidence_are_refused_without_hanging(folder):
    os.mkfifo(folder / "evidence" / "pipe")
    (folder / "evidence" / "zero").symlink_to("/dev/zero")
    started = time.monotonic()
    assert any("not a regular file" in p for p in _evidence_file(folder, "evidence/pipe"))
    assert any("outside" in p for p in _evidence_file(folder, "evidence/zero"))
    assert time.monotonic() - started < 10


def test_a_nul_in_an_evidence_path_is_a_problem_of_that_item(folder):
    problems = _evidence_file(folder, "evidence/e01\x00.txt")
    assert any(p.startswith("evidence[0].file") and "NUL" in p for p in problems), problems


def test_evidence_above_the_size_limit_is_refused(folder, monkeypatch):
    monkeypatch.setattr(limits, "MAX_EVIDENCE_BYTES", 10)
    problems = _problems(folder / "submission.yaml")
    assert any("larger than 10 bytes" in p for p in problems), problems


def test_evidence_is_hashed_in_chunks_never_read_whole(folder, monkeypatch):
    from demozone.submission import evidence_file

    big = folder / "evidence" / "e01-joint-meeting.txt"
    big.write_bytes(b"x" * (3 * evidence_file._CHUNK + 5))
    reads: list[int] = []
    real_read = os.read

    def read(fd, n):
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(evidence_file.os, "read", read)
    evidence_file.evidence_sha256(folder, "evidence/e01-joint-meeting.txt")
    assert reads and max(reads) == evidence_file._CHUNK and len(reads) >= 4


def test_evidence_root_resolves_evidence_and_keeps_it_inside(folder, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.move(folder / "submission.yaml", elsewhere / "submission.yaml")
    assert any("does not exist" in p for p in _problems(elsewhere / "submission.yaml"))
    load_submission(elsewhere / "submission.yaml", catalog_from_kb(), evidence_root=folder)
    done = _cli("score", str(elsewhere / "submission.yaml"), "--evidence-root", str(folder),
                "--no-store", "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    doc = _doc(folder) if (folder / "submission.yaml").exists() else None
    assert doc is None


def test_a_nul_in_evidence_does_not_abort_an_impact_run(folder):
    doc = _doc(folder)
    doc["evidence"][0]["file"] = "evidence/e01\x00.txt"
    _write(folder, doc, "nul.yaml")
    done = _cli("impact", "national-2022", "national-2022", str(folder / "nul.yaml"),
                str(folder / "submission.yaml"), "--json")  # fmt: skip
    assert done.exit_code in (0, 1), done.output
    assert "qinglan-2024" in done.stdout


# -- 9. values that mean nothing ---------------------------------------------------------------


@pytest.mark.parametrize("rate", ["150%", "9999%", "100.01%"])
def test_rates_above_100_percent_are_refused(folder, rate):
    doc = _doc(folder)
    doc["metrics"]["case_win_rate"] = rate
    problems = _problems(_write(folder, doc))
    assert any(p.startswith("metrics.case_win_rate") and "100%" in p for p in problems), problems


@pytest.mark.parametrize(
    ("where", "field"),
    [
        (("submission",), "region"),
        (("evidence", 0), "title"),
        (("evidence", 0), "issued_by"),
        (("operators", 0), "name"),
        (("judgments", 0), "note"),
        (("judgments", 0), "assessor"),
    ],
)
@pytest.mark.parametrize("shape", [{"a": 1}, ["a", "b"]])
def test_a_mapping_or_list_where_text_is_expected_is_refused(folder, where, field, shape):
    doc = _doc(folder)
    item = doc
    for step in where:
        item = item[step]
    item[field] = shape
    problems = _problems(_write(folder, doc))
    assert any(field in p and ("text" in p or "name" in p) for p in problems), problems


def test_an_octal_looking_number_is_refused(folder):
    text = (folder / "submission.yaml").read_text("utf-8")
    path = folder / "octal.yaml"
    path.write_text(text.replace("regulatory_staff: 22", "regulatory_staff: 017"), "utf-8")
    problems = _problems(path)
    assert any(p.startswith("metrics.regulatory_staff") and "starts with 0" in p for p in problems)


def test_text_longer_than_its_limit_is_refused(folder):
    doc = _doc(folder)
    doc["evidence"][0]["title"] = "长" * (limits.MAX_TEXT_LENGTH + 1)
    doc["evidence"][1]["id"] = "E" * (limits.MAX_ID_LENGTH + 1)
    problems = _problems(_write(folder, doc))
    assert any(p.startswith("evidence[0].title") for p in problems), problems
    assert any(p.startswith("evidence[1].id") for p in problems), problems


# -- 10. small ones -----------------------------------------------------------------------------


def test_terminal_escapes_in_a_region_are_refused(folder):
    doc = _doc(folder)
    doc["submission"]["region"] = "青岚县\x1b[2J\x1b]0;owned\x07"
    problems = _problems(_write(folder, doc))
    assert any(p.startswith("submission.region") and "control" in p for p in problems)
    done = _cli("score", str(folder / "submission.yaml"), "--no-store")
    assert done.exit_code == 2 and "\x1b" not in done.output


def test_history_of_an_empty_id_and_an_empty_store_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    empty = _cli("history", "", "--store", str(tmp_path / "nothing"))
    assert empty.exit_code == 2 and "submission id" in empty.output
    blank = _cli("history", "qinglan-2024", "--store", "")
    assert blank.exit_code == 2 and "is empty" in blank.output
    assert not (tmp_path / "demozone-data").exists()


def test_an_escape_in_a_history_argument_is_printed_inert(tmp_path, kb_store_template):
    store = copy_store(kb_store_template, tmp_path / "store")
    done = _cli("history", "x\x1b[2Jy", "--store", str(store))
    assert "\x1b" not in done.output and "\\x1b" in done.output


def test_every_metric_kind_refuses_a_mapping(folder):
    doc = _doc(folder)
    for metric in list(doc["metrics"])[:5]:
        assert metric in metric_vocabulary()
        doc["metrics"][metric] = {"2024": {"nested": 1}}
    assert len(_problems(_write(folder, doc))) >= 5


# -- the top-level promise: no traceback on any hostile input of this list ------------------------

HOSTILE_EDITS = {
    "newline-id": ("  id: qinglan-2024\n", '  id: "qinglan-2024\\n"\n'),
    "block-id": ("  id: qinglan-2024\n", "  id: |\n    qinglan-2024\n"),
    "huge-exponent": ("ecommerce_tax: 0.43", "ecommerce_tax: 1e999999999"),
    "huge-amount": ("annual_sales: 1.35", "annual_sales: 1e28"),
    "overflow": ("ecommerce_tax: 0.43", "ecommerce_tax: 1.0e+309"),
    "octal": ("regulatory_staff: 22", "regulatory_staff: 017"),
    "rate-150": ('case_win_rate: "100%"', 'case_win_rate: "150%"'),
    "rate-9999": ('case_win_rate: "100%"', 'case_win_rate: "9999%"'),
    "title-mapping": ("title: 网剑行动专项整治工作总结", "title: {a: 1}"),
    "escape-region": ("region: 青岚县", 'region: "\\e[2J青岚县"'),
    "dot-dot": ("file: evidence/e01-joint-meeting.txt", "file: ../../../../etc/passwd"),
    "nul-path": ("file: evidence/e01-joint-meeting.txt", 'file: "evidence/\\0x"'),
    "long-id": ("  id: qinglan-2024\n", "  id: " + "q" * 1_000_000 + "\n"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_EDITS))
def test_score_of_a_hostile_submission_is_a_clear_error_without_traceback(folder, name):
    old, new = HOSTILE_EDITS[name]
    text = (folder / "submission.yaml").read_text("utf-8")
    assert old in text, name
    path = folder / f"{name}.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = _cli("score", str(path), "--no-store", "--json")
    assert result.exit_code == 2, result.output
    assert json.loads(result.stdout[result.stdout.index("{") :])["error"]["kind"] == "input"
    assert "\x1b" not in result.output
