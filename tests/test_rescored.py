"""Explaining a stored assessment reads only its record, without waiting for the store's lock,
and a re-scored submission is given again in a process only while its file and its evidence
files are the ones it was scored from (assessment.record, assessment.rescored)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from demozone.assessment import rescored
from demozone.assessment.assess import assess
from demozone.assessment.resolve import resolve_assessment, resolve_record, stored_record
from demozone.common.errors import InputError, StoreError
from demozone.explain.derivation import explain_reference
from demozone.store.location import open_store
from demozone.store.views import kept_view

from .conftest import ROOT, copy_store
from .test_store_safety import HOLDER  # a process that holds a store open

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "national-2022"


@pytest.fixture
def example(tmp_path) -> Path:
    return shutil.copytree(EXAMPLE, tmp_path / "example") / "submission.yaml"


def test_a_kept_re_score_is_given_again_until_an_evidence_file_changes(example, monkeypatch):
    monkeypatch.setattr(rescored, "_SETTLED_NS", 0)  # the copies are not seconds old
    first = rescored.scored_again(example, "national-2022", "rete")
    assert rescored.scored_again(example, "national-2022", "rete") is first
    evidence = example.parent / "evidence" / "e01-joint-meeting.txt"
    evidence.write_text(evidence.read_text("utf-8") + "改\n", "utf-8")
    with pytest.raises(InputError, match="sha256"):  # the file no longer has its stated hash
        rescored.scored_again(example, "national-2022", "rete")


def test_a_changed_submission_file_is_scored_again(example, monkeypatch):
    monkeypatch.setattr(rescored, "_SETTLED_NS", 0)
    first = rescored.scored_again(example, "national-2022", "rete")
    example.write_text(example.read_text("utf-8") + "# edited\n", "utf-8")
    again = rescored.scored_again(example, "national-2022", "rete")
    assert again is not first and again.receipt["submission"] != first.receipt["submission"]


def test_files_changed_within_seconds_of_a_re_score_are_read_again(example):
    first = rescored.scored_again(example, "national-2022", "rete")
    again = rescored.scored_again(example, "national-2022", "rete")
    assert again is not first
    assert {**again.receipt, "time": ""} == {**first.receipt, "time": ""}


def test_the_record_read_alone_is_the_record_of_every_quad(example, tmp_path, kb_store_template):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    stored = assess(example, store=location)
    whole = resolve_assessment(stored.id, location)
    alone = resolve_record(stored.id, location)
    assert len(alone.quads) < len(whole.quads) / 4
    assert stored_record(alone) == stored_record(whole)
    assert stored_record(whole).scores and stored_record(whole).receipt["submission"]
    assert (alone.iri, alone.notes) == (whole.iri, whole.notes)


def test_an_assessment_is_explained_while_another_process_holds_the_store(
    example, tmp_path, kb_store_template, monkeypatch
):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    stored = assess(example, store=location)
    expected = explain_reference(stored.id, "3", store=location).trees
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ROOT), location], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("DEMOZONE_STORE_WAIT", "0.3")
        assert explain_reference(stored.id, "3", store=location).trees == expected
        # what the read-only view does not find is looked up as every reader looks it up
        with pytest.raises(StoreError, match="store in use"):
            explain_reference(stored.id + "0", "3", store=location)
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    with pytest.raises(RuntimeError):  # nothing is written through a read-only view
        kept_view(location).remove_assessment(stored.id)


def test_a_kept_view_never_shows_an_assessment_removed_since(example, tmp_path, kb_store_template):
    location = str(copy_store(kb_store_template, tmp_path / "store"))
    stored = assess(example, store=location)
    assert explain_reference(stored.id, "3", store=location).trees
    assert kept_view(location) is kept_view(location)  # kept while the store's files stay
    with open_store(location, create=False) as store:
        store.remove_assessment(stored.id)
    with pytest.raises(StoreError, match="no assessment"):
        explain_reference(stored.id, "3", store=location)
