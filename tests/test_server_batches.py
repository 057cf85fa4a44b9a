"""A batch on a SPARQL server is all or none (issue 19, item 6): one dataset POST, one transaction.

kill -9 of the client and kill -9 of the Oxigraph server, each at a random moment of a 30-assessment
batch, 20 times: afterwards `store check` passes and the server holds the whole batch or none
of it. A failed batch's message says exactly what the server holds.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from demozone.common.errors import StoreError
from demozone.store import check as storecheck
from demozone.store.remote import RemoteStore

from .conftest import ROOT, OxigraphServer, fake_assessment

BATCH = 30
KILLS = int(os.environ.get("DEMOZONE_KILLS", "20"))

# Builds a batch of BATCH sealed assessments of one submission, prints "posting", writes it.
WRITER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from tests.conftest import fake_assessment
from tests.test_server_batches import sealed_batch
from demozone.store.remote import RemoteStore

url, submission, size = sys.argv[2], sys.argv[3], int(sys.argv[4])
batch = sealed_batch(submission, size)
print("posting", flush=True)
started = time.monotonic()
RemoteStore(url, timeout=300).write_batch(batch)
print("wrote", time.monotonic() - started, flush=True)
"""


def sealed_batch(submission: str, size: int) -> list:
    """`size` sealed assessments (about 5,300 triples each) of one submission."""
    from demozone.store.seal import Sealed, canonical, seal_lines
    from demozone.store.terms import sparql_term

    batch = []
    for k in range(size):
        _id, quads = fake_assessment(submission, indicators=120, clauses=4, shift=k)
        graph = quads[0].graph_name
        lines = [
            f"{sparql_term(q.subject)} {sparql_term(q.predicate)} {sparql_term(q.object)}"
            for q in canonical(quads)
        ]
        batch.append(Sealed(graph.value, seal_lines(graph.value, lines)))
    return batch


def _writer(url: str, submission: str, size: int = BATCH) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(ROOT), url, submission, str(size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
    )


def _whole_or_none(url: str, submission: str, context) -> int:
    """`store check` passes and the submission's batch is there whole or not at all."""
    remote = RemoteStore(url, timeout=300)
    report = storecheck.check(remote, shapes=False)
    assert report.ok, (context, [f.render() for f in report.findings])
    held = len(remote.assessments(submission))
    assert held in (0, BATCH), (context, f"{held} of {BATCH} assessments of the batch")
    return held


@pytest.fixture
def own_server(tmp_path):
    server = OxigraphServer(tmp_path / "data", tmp_path / "server.log")
    server.start()
    RemoteStore(server.url).load_kb()
    yield server
    server.stop()


def _calibrate(url: str) -> float:
    writer = _writer(url, "calibration")
    out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    return float(out.split()[-1])


@pytest.mark.slow
@pytest.mark.server
def test_kill_9_of_the_client_during_a_batch_leaves_all_or_none(own_server):
    seed = int(os.environ.get("DEMOZONE_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    life = _calibrate(own_server.url)
    outcomes = {"whole": 0, "none": 0}
    for run in range(KILLS):
        submission = f"client-kill-{run}"
        writer = _writer(own_server.url, submission)
        assert writer.stdout.readline() == b"posting\n", writer.communicate()[1]
        when = rng.uniform(0, 1.2 * life)
        killer = threading.Timer(when, writer.send_signal, (signal.SIGKILL,))
        killer.start()
        writer.communicate(timeout=600)
        killer.join()
        time.sleep(0.2)  # the server notices the cut connection
        held = _whole_or_none(own_server.url, submission, (seed, run, f"{when:.2f} s"))
        outcomes["whole" if held else "none"] += 1
    print(f"\n{KILLS} kills of the client (seed {seed}, a batch takes {life:.2f} s): {outcomes}")


@pytest.mark.slow
@pytest.mark.server
def test_kill_9_of_the_server_during_a_batch_leaves_all_or_none(own_server):
    seed = int(os.environ.get("DEMOZONE_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    life = _calibrate(own_server.url)
    outcomes = {"whole": 0, "none": 0}
    for run in range(KILLS):
        submission = f"server-kill-{run}"
        writer = _writer(own_server.url, submission)
        assert writer.stdout.readline() == b"posting\n", writer.communicate()[1]
        time.sleep(rng.uniform(0, 1.2 * life))
        own_server.process.send_signal(signal.SIGKILL)
        own_server.process.wait(timeout=30)
        _out, err = writer.communicate(timeout=600)
        if writer.returncode != 0:  # the client saw the failure: a message, no traceback
            assert b"Traceback" not in err or b"StoreError" in err, err
        own_server.start()  # the same data folder, on a new port
        held = _whole_or_none(own_server.url, submission, (seed, run))
        outcomes["whole" if held else "none"] += 1
    print(f"\n{KILLS} kills of the server (seed {seed}, a batch takes {life:.2f} s): {outcomes}")


@pytest.mark.server
def test_a_failed_batch_says_what_the_server_holds(own_server, monkeypatch):
    import http.server

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    refuser = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=refuser.serve_forever, daemon=True).start()
    try:
        remote = RemoteStore(
            own_server.url, gsp_url=f"http://127.0.0.1:{refuser.server_address[1]}/store"
        )
        with pytest.raises(StoreError) as caught:
            remote.write_batch(sealed_batch("refused", 3))
        assert "the server holds none of the 3 assessments of this batch" in str(caught.value)
        assert "本地未写入" not in str(caught.value)
    finally:
        refuser.shutdown()
        refuser.server_close()
    written = RemoteStore(own_server.url)
    written.write_batch(sealed_batch("accepted", 3))
    assert len(written.assessments("accepted")) == 3
    assert storecheck.check(written, shapes=False).ok


def test_the_batch_goes_in_one_request(monkeypatch):
    from demozone.store import transport

    calls: list[tuple[str, str]] = []

    def fake(method, url, body, headers, seconds, cap=None):
        calls.append((method, url))
        if method == "POST" and url.endswith("/query"):
            return b'{"head": {"vars": []}, "results": {"bindings": []}}'
        return b""

    monkeypatch.setattr(transport, "request", fake)
    remote = RemoteStore("http://127.0.0.1:9")
    monkeypatch.setattr(remote, "_missing_graphs", lambda *a, **k: [])
    monkeypatch.setattr(remote, "graph_counts", lambda: {})
    with pytest.raises(StoreError, match="kept only part"):
        remote.write_batch(sealed_batch("one-request", 4))
    posts = [url for method, url in calls if method == "POST" and url.endswith("/store")]
    assert posts == ["http://127.0.0.1:9/store"]


def test_backup_of_a_checked_store_restores(store, empty_store, tmp_path):
    """Any store `store check` passes backs up and restores, nasty ids included (item 1)."""
    for k, nasty in enumerate(["qinglan-2024\n", "x\r\ny", "tab\there", "引号\"'", "a>b"]):
        _id, quads = fake_assessment(nasty, shift=k)
        store.write_assessment(quads)
    assert storecheck.check(store, shapes=False).ok
    backup = Path(tmp_path / "backup.nq")
    store.backup(backup)
    restored = empty_store.restore(backup)
    assert restored == len(store.dataset_quads())
    assert sorted(map(str, empty_store.dataset_quads())) == sorted(map(str, store.dataset_quads()))
    assert storecheck.check(empty_store, shapes=False).ok
