"""The knowledge base is built once into an on-disk cache keyed by the content of kb/ and
ontology/: reused while nothing changed, rebuilt when a file changes, never stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demozone import api
from demozone.kb import cache


@pytest.fixture
def private_cache(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("DEMOZONE_CACHE", str(where))
    api.clear_caches()
    yield where
    api.clear_caches()


def retitle(kb_dir: Path, title: str) -> None:
    path = kb_dir / "systems" / "national-2022.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(old, f"title: {title}", 1), encoding="utf-8")


def national_title(kb_dir: Path) -> str:
    return next(s["title"] for s in api.systems(kb_dir) if s["id"] == "national-2022")


def test_the_cache_lives_where_demozone_cache_says(private_cache, kb_copy):
    national_title(kb_copy)
    [entry] = [p for p in private_cache.iterdir() if p.is_dir()]
    assert (entry / "values.pickle").is_file()


def test_an_edited_kb_file_is_seen_and_the_unchanged_kb_is_reused(private_cache, kb_copy):
    key = cache.entry_key(kb_copy)
    assert national_title(kb_copy) != "改过的标题"
    api.clear_caches()
    _value, reused = cache.cached("values", kb_copy, lambda: pytest.fail("not reused"))
    assert reused

    retitle(kb_copy, "改过的标题")
    api.clear_caches()
    assert cache.entry_key(kb_copy) != key
    assert national_title(kb_copy) == "改过的标题"
    query = (
        "SELECT ?t WHERE { ?s dcterms:identifier 'national-2022' ; rdfs:label ?t "
        "FILTER(lang(?t) = 'zh') }"
    )
    assert api.query(query, kb_copy)["rows"] == [["改过的标题"]]


def test_kb_check_reuses_its_result_until_a_file_changes_and_force_checks_again(
    private_cache, kb_copy
):
    first = api.check_kb(kb_copy)
    assert not first.reused
    api.clear_caches()
    again = api.check_kb(kb_copy)
    assert again.reused and again.findings == first.findings
    assert not api.check_kb(kb_copy, force=True).reused
    retitle(kb_copy, "改过的标题")
    api.clear_caches()
    assert not api.check_kb(kb_copy).reused


def test_a_second_process_reads_the_cache_and_kb_check_says_so(private_cache, kb_copy):
    env = {**os.environ, "DEMOZONE_CACHE": str(private_cache)}
    demozone = str(Path(sys.executable).parent / "demozone")
    command = [demozone, "kb", "check", "--kb", str(kb_copy), "--json"]
    runs = [subprocess.run(command, capture_output=True, text=True, env=env) for _ in range(2)]
    assert [json.loads(r.stdout)["reused"] for r in runs] == [False, True]
    assert "reusing the result" in runs[1].stderr
    forced = subprocess.run([*command, "--force"], capture_output=True, text=True, env=env)
    assert json.loads(forced.stdout)["reused"] is False
    # a check that reuses the report validates nothing, so it loads no SHACL engine
    assert "pyshacl" not in modules_after_kb_check(kb_copy, env)


_PROBE = """
import sys
from demozone.cli import main
sys.argv = ["demozone", "kb", "check", "--kb", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after_kb_check(kb_dir: Path, env: dict) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(kb_dir)], capture_output=True, text=True, env=env
    )
    assert "reusing the result" in done.stderr
    return set(done.stderr.strip().splitlines()[-1].split())


def test_a_damaged_entry_is_built_again(private_cache, kb_copy):
    national_title(kb_copy)
    [entry] = [p for p in private_cache.iterdir() if p.is_dir()]
    (entry / "values.pickle").write_bytes(b"not a pickle")
    api.clear_caches()
    assert national_title(kb_copy)


def test_concurrent_writers_leave_whole_entries(private_cache, kb_copy):
    script = (
        "import sys; from demozone.kb import cache; "
        "cache.cached('big', __import__('pathlib').Path(sys.argv[1]), lambda: list(range(200000)))"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(kb_copy)]) for _ in range(4)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    value, reused = cache.cached("big", kb_copy, lambda: pytest.fail("not reused"))
    assert reused and value == list(range(200000))
    assert not list(private_cache.rglob("*.part"))


def test_store_check_validates_the_same_knowledge_base_graph_once(private_cache, monkeypatch):
    from demozone.kb.graph import kb_graph
    from demozone.store import check

    ntriples = kb_graph().serialize(format="nt", encoding="utf-8")
    first = check.shape_results(ntriples)
    check._SHAPES_CACHE.clear()
    monkeypatch.setattr(check, "_validate_shapes", lambda _t: pytest.fail("validated again"))
    assert check.shape_results(ntriples) == first
