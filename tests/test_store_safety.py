"""Store safety: kill -9 during scoring, two writers on one embedded store, a server that is down
or answers errors, validated locations, and no user text pasted into SPARQL."""

from __future__ import annotations

import ast
import http.server
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.common.errors import StoreError
from demozone.store import check as storecheck
from demozone.store.history import history
from demozone.store.location import open_store
from demozone.store.remote import RemoteStore, validate_url
from demozone.store.terms import ASSESSMENT_PREFIX, KB_GRAPH, sparql_term, submission_iri

from .conftest import ROOT, copy_store, fake_assessment, free_port

# A process that records assessments of made-up score results (~7,500 quads each, through the
# real AssessmentGraph and store) one after another, printing "wrote IRI" after each write
# returned: most of its time is spent writing, so most kills land inside a write.
SCORER = r"""
import sys
sys.path.insert(0, sys.argv[1])
from tests.conftest import fake_assessment
from demozone.store.location import open_store

location, limit = sys.argv[2], int(sys.argv[3])
print("ready", flush=True)
k = 0
while limit < 0 or k < limit:
    _id, quads = fake_assessment(f"kill-{k % 3}", indicators=120, clauses=4, shift=k)
    store = open_store(location)
    try:
        iri = store.write_assessment(quads)
    finally:
        store.close()
    print("wrote", iri, flush=True)
    k += 1
"""
DEMOZONE = Path(sys.executable).parent / "demozone"


def _scorer(location: Path, limit: int = -1, **env: str) -> subprocess.Popen:
    # unbuffered bytes: readline() on the pipe must not read ahead of what communicate() gets
    return subprocess.Popen(
        [sys.executable, "-c", SCORER, str(ROOT), str(location), str(limit)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        bufsize=0,
    )


def _score_cli(submission: Path, location: Path) -> subprocess.Popen:
    """`demozone score FILE --store DIR --json --again`, the real command; --again because
    these tests write the same file many times and each run must record its assessment."""
    return subprocess.Popen(
        [str(DEMOZONE), "score", str(submission), "--store", str(location), "--json", "--again"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _verify(location: Path, wrote: list[str], context: tuple) -> set[str]:
    """The store opens, `store check` passes (shapes included), every write that returned is
    there, and at most one more (the one in flight); returns the assessments present."""
    store = open_store(str(location), create=False)
    try:
        report = storecheck.check(store)
        assert report.ok, (*context, [f.render() for f in report.findings])
        assert report.complete == report.assessments
        present = {a.iri for a in store.assessments()}
    finally:
        store.close()
    assert set(wrote) <= present, (*context, "a write that returned was lost")
    assert len(present - set(wrote)) <= 1, (*context, "more than the one in flight")
    return present


def _written(output: bytes | str) -> list[str]:
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    return [line.split(" ", 1)[1] for line in text.splitlines() if line.startswith("wrote ")]


KILLS = int(os.environ.get("DEMOZONE_KILLS", "50"))

# -- kill -9 -------------------------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_of_demozone_score_at_random_moments_leaves_the_store_whole(
    kb_store_template, national_submission, tmp_path
):
    """`demozone score FILE --store DIR`, killed with SIGKILL at a random moment, 50 times: half
    anywhere in its life, half around its end, where it writes (the estimate of how long a run
    takes follows the runs that finish or die too early). Each time the store opens,
    `store check` passes, and the assessment is there whole if the command finished, else whole
    or absent. Each run is checked while the next one starts."""
    seed = int(os.environ.get("DEMOZONE_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    started = time.monotonic()
    calibration = copy_store(kb_store_template, tmp_path / "calibration")
    clock = time.monotonic()
    out, err = _score_cli(national_submission, calibration).communicate(timeout=120)
    life = time.monotonic() - clock
    assert json.loads(out)["assessment"], err
    _verify(calibration, [json.loads(out)["assessment"]], (seed, "calibration"))
    outcomes = {"finished": 0, "killed, recorded": 0, "killed, absent": 0}
    pending, pending_late, run, killed = None, False, 0, 0
    while killed < KILLS:  # runs that finish before their kill do not count
        run += 1
        location = copy_store(kb_store_template, tmp_path / f"s{run}")
        late = run % 2 == 0
        when = rng.uniform(0.85 * life, 1.1 * life) if late else rng.uniform(0, life)
        clock = time.monotonic()
        scorer = _score_cli(national_submission, location)
        killer = threading.Timer(when, scorer.send_signal, (signal.SIGKILL,))
        killer.start()
        if pending is not None:
            recorded = _check_run(*pending, outcomes)
            if pending_late and not recorded:
                life *= 1.05  # died before writing: runs take longer than thought
        out, _err = scorer.communicate(timeout=120)
        killer.cancel()
        killer.join()
        finished = scorer.returncode == 0
        killed += not finished
        if finished:
            life = (life + time.monotonic() - clock) / 2
        pending_late = late
        assert finished or scorer.returncode == -signal.SIGKILL, _err
        wrote = [json.loads(out)["assessment"]] if finished else []
        pending = (location, wrote, finished, (seed, run, f"killed at {when:.2f} s"))
    _check_run(*pending, outcomes)
    print(
        f"\n{killed} kills of `demozone score` in {run} runs (seed {seed}, a run takes about "
        f"{life:.1f} s) in "
        f"{time.monotonic() - started:.1f} s: {outcomes}; store check passed every time"
    )


def _check_run(location: Path, wrote: list[str], finished: bool, context: tuple, outcomes) -> bool:
    present = _verify(location, wrote, context)
    key = "finished" if finished else ("killed, recorded" if present else "killed, absent")
    outcomes[key] += 1
    shutil.rmtree(location)
    return bool(present)


def test_kill_9_while_writing_leaves_every_assessment_whole_or_absent(kb_store_template, tmp_path):
    """A process writing ~7,500-quad assessments back to back, killed with SIGKILL 20 times: one
    run in five during start-up, the others within a second of it, so most kills land inside a
    write. The store must open, pass `store check` (shapes included) and hold every assessment
    whose write returned, plus at most the one in flight."""
    seed = int(os.environ.get("DEMOZONE_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    started = time.monotonic()
    totals = {"recorded": 0, "in_flight": 0, "before_first_write": 0}

    def verify(run: int, location: Path, wrote: list[str]) -> None:
        present = _verify(location, wrote, (seed, run))
        totals["recorded"] += len(present)
        totals["in_flight"] += len(present - set(wrote))
        totals["before_first_write"] += not present
        shutil.rmtree(location)

    pending = None
    for run in range(20):
        location = copy_store(kb_store_template, tmp_path / f"s{run}")
        scorer = _scorer(location)
        during_start_up = run % 5 == 0  # one run in five dies while starting or opening
        if during_start_up:
            killer = threading.Timer(rng.uniform(0.0, 0.6), scorer.send_signal, (signal.SIGKILL,))
            killer.start()
        if pending is not None:
            verify(*pending)  # the previous run, while this one starts
        first = b"" if during_start_up else scorer.stdout.readline()
        if not during_start_up:
            assert first == b"ready\n", scorer.communicate()[1]
            killer = threading.Timer(rng.uniform(0.0, 1.0), scorer.send_signal, (signal.SIGKILL,))
            killer.start()
        out, _err = scorer.communicate(timeout=60)
        killer.join()
        assert scorer.returncode == -signal.SIGKILL
        pending = (run, location, _written(first + out))
    verify(*pending)
    print(
        f"\n20 kills while writing (seed {seed}) in {time.monotonic() - started:.1f} s: "
        f"{totals['recorded']} assessments recorded, {totals['in_flight']} committed just before "
        f"the kill, {totals['before_first_write']} kills before the first write"
    )
    assert totals["recorded"] > 0


# -- two processes on one embedded store ---------------------------------------------------


def test_two_concurrent_scorers_into_one_embedded_store_both_succeed(kb_store_template, tmp_path):
    location = copy_store(kb_store_template, tmp_path / "shared")
    first, second = _scorer(location, 6), _scorer(location, 6)
    outputs = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    wrote = [iri for out, _err in outputs for iri in _written(out)]
    assert len(wrote) == 12
    store = open_store(str(location), create=False)
    try:
        report = storecheck.check(store, shapes=False)
        assert report.ok and report.assessments == report.complete == 12
        assert {a.iri for a in store.assessments()} == set(wrote)
    finally:
        store.close()


def test_two_demozone_score_commands_into_one_embedded_store_both_succeed(
    kb_store_template, national_submission, tmp_path
):
    location = copy_store(kb_store_template, tmp_path / "shared")
    runs = [_score_cli(national_submission, location) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    wrote = [json.loads(out)["assessment"] for out, _err in outputs]
    assert len(set(wrote)) == 2
    assert _verify(location, wrote, ("two commands",)) == set(wrote)


HOLDER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from demozone.store.location import open_store
store = open_store(sys.argv[2])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_second_writer_gets_a_clear_store_in_use_error_and_nothing_breaks(
    kb_store_template, tmp_path, monkeypatch
):
    location = copy_store(kb_store_template, tmp_path / "held")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ROOT), str(location)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("DEMOZONE_STORE_WAIT", "0.3")
        _id, quads = fake_assessment("blocked")
        with pytest.raises(StoreError, match="store in use"):
            open_store(str(location)).write_assessment(quads)
        result = CliRunner().invoke(
            main_group, ["history", "blocked", "--store", str(location)], catch_exceptions=False
        )
        assert result.exit_code == 2 and "store in use" in result.output
        scorer = _scorer(location, 1, DEMOZONE_STORE_WAIT="0.3")
        out, err = scorer.communicate(timeout=60)
        assert scorer.returncode == 1 and b"store in use" in err and not _written(out)
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    store = open_store(str(location), create=False)
    try:
        report = storecheck.check(store, shapes=False)
        assert report.ok and report.assessments == 0
    finally:
        store.close()


def test_a_writer_that_waits_for_the_lock_succeeds(kb_store_template, tmp_path):
    location = copy_store(kb_store_template, tmp_path / "wait")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HOLDER.replace("time.sleep(60)", "time.sleep(1)"),
            str(ROOT),
            str(location),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "holding"
    scorer = _scorer(location, 1, DEMOZONE_STORE_WAIT="20")
    out, err = scorer.communicate(timeout=60)
    holder.communicate(timeout=30)
    assert scorer.returncode == 0, err
    assert len(_written(out)) == 1


# -- a server that is down or answers errors ------------------------------------------------


def test_a_server_that_is_down_gives_a_clear_message_and_nothing_is_written_locally(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    _id, quads = fake_assessment("down")
    with pytest.raises(StoreError, match="cannot reach the SPARQL server"):
        open_store(url).write_assessment(quads)
    monkeypatch.setenv("DEMOZONE_STORE", url)
    for args in (["history", "down"], ["store", "info"], ["store", "check", "--json"]):
        result = CliRunner().invoke(main_group, args, catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert "cannot reach the SPARQL server" in result.output
    assert list(tmp_path.iterdir()) == []  # no ./demozone-data appeared


class _Answer(http.server.BaseHTTPRequestHandler):
    mode = "error"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.mode == "slow":
            time.sleep(2)
        if self.mode == "redirect":
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()
            return
        body = b"boom: the store is broken"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def answering_server():
    servers = []

    def start(mode: str) -> str:
        handler = type("Handler", (_Answer,), {"mode": mode})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_server_answering_an_error_gives_a_clear_message(answering_server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = answering_server("error")
    _id, quads = fake_assessment("error")
    with pytest.raises(StoreError, match=r"answered 500 .*boom: the store is broken"):
        open_store(url).write_assessment(quads)
    result = CliRunner().invoke(
        main_group, ["store", "info", "--store", url, "--json"], catch_exceptions=False
    )
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["kind"] == "store"
    assert list(tmp_path.iterdir()) == []


def test_a_redirect_is_refused_not_followed(answering_server):
    url = answering_server("redirect")
    with pytest.raises(StoreError, match="307"):
        open_store(url).assessments()


def test_a_server_that_does_not_answer_in_time_gives_a_timeout(answering_server, monkeypatch):
    monkeypatch.setenv("DEMOZONE_STORE_TIMEOUT", "0.3")
    url = answering_server("slow")
    with pytest.raises(StoreError, match=r"did not answer within 0\.3 s"):
        open_store(url).assessments()


# -- validated locations ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("ftp://example.org/store", "only http and https"),
        ("http://", "names no host"),
        ("http://user:secret@example.org", "credentials"),
        ("http://example.org/store?x=1", "no query"),
        ("http://example.org/#frag", "no query or fragment"),
        ("http://exa mple.org", "spaces or control"),
        ("http://example.org\n/x", "spaces or control"),
        ("http://example.org:99999", "not a valid URL"),
    ],
)
def test_store_urls_are_validated(url, complaint):
    with pytest.raises(StoreError, match=complaint):
        validate_url(url)


@pytest.mark.parametrize(
    ("location", "complaint"),
    [
        ("ftp://example.org/x", "URL of a kind"),
        ("file:///tmp/x", "URL of a kind"),
        ("bad\nname", "control characters"),
        ("with\x00nul", "control characters"),
        ("   ", "empty"),
    ],
)
def test_store_paths_are_validated(location, complaint, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=complaint):
        open_store(location)
    assert list(tmp_path.iterdir()) == []


def test_a_file_or_a_foreign_directory_is_not_taken_for_a_store(tmp_path):
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(str(tmp_path / "a-file"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a demozone store"):
        open_store(str(tmp_path / "home"))
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["notes.txt"]
    with pytest.raises(StoreError, match="no store at"):
        open_store(str(tmp_path / "missing"), create=False)
    assert not (tmp_path / "missing").exists()


def test_a_store_whose_creation_was_cut_short_opens(tmp_path):
    half = tmp_path / "half"
    half.mkdir()
    for name in ("LOCK", "LOG", "IDENTITY"):  # what a kill during the very first open can leave
        (half / name).write_text("")
    store = open_store(str(half))
    try:
        _id, quads = fake_assessment("after-a-cut")
        store.write_assessment(quads)
        assert storecheck.check(store, shapes=False).ok
    finally:
        store.close()


# -- no user text in SPARQL -----------------------------------------------------------------

NASTY_IDS = [
    'quote"d',
    "brace} } ; DROP ALL ; #",
    'x" } } ; CLEAR ALL ; SELECT * { "',
    "new\nline",
    "angle<>bracket",
    "back\\slash\\u0022",
    "单引号'县",
    "tab\tand space",
    "%2F already-encoded",
    "{}",
]


def test_ids_with_quotes_braces_and_newlines_are_bound_safely(store):
    written = {}
    for k, nasty in enumerate(NASTY_IDS):
        assessment_id, quads = fake_assessment(nasty, shift=k)
        written[nasty] = (assessment_id, store.write_assessment(quads))
    kb_size = store.graph_counts()[KB_GRAPH.value]
    for nasty, (assessment_id, iri) in written.items():
        [info] = store.assessments(nasty)
        assert (info.submission, info.iri, info.id) == (nasty, iri, assessment_id)
        result = history(store, nasty)
        assert [a["iri"] for a in result["assessments"]] == [iri]
        assert store.assessment_quads(assessment_id) == store.graph_quads(iri)
    # removing one removes that one only
    first_id, first_iri = written[NASTY_IDS[1]]
    store.remove_assessment(first_id)
    left = {a.iri for a in store.assessments()}
    assert left == {iri for _id, iri in written.values()} - {first_iri}
    assert store.graph_counts()[KB_GRAPH.value] == kb_size
    assert storecheck.check(store, shapes=False).ok
    # an IRI with SPARQL in it is refused before any query is built
    with pytest.raises(StoreError, match="not a valid IRI"):
        store.assessment_quads(ASSESSMENT_PREFIX + "x> } ; DROP ALL ; #")
    assert store.graph_counts()[KB_GRAPH.value] == kb_size


def test_history_of_a_nasty_id_through_the_cli(store):
    nasty = 'cli"} ; DROP ALL #\nline'
    _id, quads = fake_assessment(nasty)
    iri = store.write_assessment(quads)
    where = store.location
    if store.kind == "embedded":
        store.close()
    result = CliRunner().invoke(
        main_group, ["history", nasty, "--store", where, "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert [a["iri"] for a in json.loads(result.output)["assessments"]] == [iri]


_SPARQL_WORDS = ("SELECT", "INSERT", "DELETE", "DROP", "GRAPH", "WHERE", "VALUES", "ASK")
# names whose values are built only from sparql_term(...) or pyoxigraph serialisation
_SAFE_NAMES = {"PREFIXES", "bind", "sub", "g", "kb", "data"}


# the store's modules (interface, terms, sealing, opening, both backends)
_STORE_MODULES = [
    ROOT / "engine" / "store" / f"{name}.py"
    for name in ("base", "terms", "seal", "embedded", "location", "remote")
]


def test_no_sparql_text_in_the_code_is_built_from_anything_but_serialised_terms():
    offenders = []
    for path in _STORE_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if not any(word in text for word in _SPARQL_WORDS):
                continue
            for value in node.values:
                if not isinstance(value, ast.FormattedValue):
                    continue
                expr = value.value
                ok = (
                    isinstance(expr, ast.Call)
                    and isinstance(expr.func, ast.Name)
                    and expr.func.id == "sparql_term"
                ) or (isinstance(expr, ast.Name) and expr.id in _SAFE_NAMES)
                if not ok:
                    offenders.append(f"{path.name}:{node.lineno}: {ast.unparse(expr)}")
    assert not offenders, offenders
    # and the names allowed above are only ever bound to serialised terms
    source = "\n".join(p.read_text(encoding="utf-8") for p in _STORE_MODULES)
    for name in ("bind", "sub", "g", "kb"):
        for line in source.splitlines():
            if line.strip().startswith(f"{name} = "):
                assert "sparql_term(" in line, line
    assert "data = triples_text(" in source


def test_sparql_terms_are_escaped_by_the_n_triples_serialiser():
    literal = ox.Literal('a"b\n} ; DROP ALL #')
    assert sparql_term(literal) == '"a\\"b\\n} ; DROP ALL #"'
    assert sparql_term(submission_iri('x"> }')).startswith("<https://w3id.org/demozone/id/")
    assert ">" not in sparql_term(submission_iri('x"> }'))[1:-1]
    with pytest.raises(TypeError):
        sparql_term("raw text")  # type: ignore[arg-type]


@pytest.mark.server
def test_the_server_suite_really_talks_to_a_server(oxigraph_server):
    remote = RemoteStore(oxigraph_server.url)
    sub = f"probe-{uuid.uuid4().hex[:6]}"
    _id, quads = fake_assessment(sub)
    iri = remote.write_assessment(quads)
    assert oxigraph_server.process is not None and oxigraph_server.process.poll() is None
    assert [a.iri for a in remote.assessments(sub)] == [iri]
    remote.remove_assessment(iri)
