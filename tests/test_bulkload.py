"""Feeding the bulk loader while the batch is produced (bulkload.load_stream): everything
arrives in order through the pipe, and a failure on either side commits nothing and hangs
nothing."""

from __future__ import annotations

import os
import signal
import threading

import pyoxigraph as ox
import pytest

from demozone.store.bulkload import BROKEN, ProducerFailed, load_stream

EX = "http://example.org/"


def graph_chunk(i: int, triples: int = 50) -> bytes:
    body = "".join(f'<{EX}s{i}/{t}> <{EX}p> "値 {i} {t} {"x" * 40}" .\n' for t in range(triples))
    return f"GRAPH <{EX}g{i}> {{\n{body}}}\n".encode()


def _loader(target: ox.Store):
    return lambda path: target.bulk_load(path=path, format=ox.RdfFormat.TRIG, lenient=True)


@pytest.fixture
def store(tmp_path):
    opened = ox.Store(str(tmp_path / "store"))
    yield opened, tmp_path / "store"
    del opened


def test_every_chunk_arrives_also_far_more_than_the_pipe_holds(store):
    target, _path = store
    chunks = [graph_chunk(i) for i in range(2_000)]  # about 11 MB, the pipe holds 1 MB
    load_stream(_loader(target), iter(chunks))
    assert len(target) == 2_000 * 50
    assert ox.Literal(f"値 1999 49 {'x' * 40}") in {q.object for q in target}


def test_a_producer_that_fails_commits_nothing_and_its_error_is_the_one_raised(store):
    target, path = store

    def chunks():
        for i in range(300):
            yield graph_chunk(i)
        raise ValueError("the 301st submission could not be scored")

    with pytest.raises(ProducerFailed) as err:
        load_stream(_loader(target), chunks())
    assert isinstance(err.value.__cause__, ValueError)
    assert len(target) == 0
    assert not list(path.glob("bulk-*.sst"))


def test_a_loader_that_fails_stops_the_producer_instead_of_hanging_it(store):
    target, _path = store
    produced, closed = [], threading.Event()

    def chunks():
        try:
            yield b"@@ not TriG @@\n"
            for i in range(100_000):  # far more than the pipe holds
                produced.append(i)
                yield graph_chunk(i)
        finally:
            closed.set()

    with pytest.raises(SyntaxError):
        load_stream(_loader(target), chunks())
    assert closed.is_set() and len(produced) < 100_000
    assert len(target) == 0


def test_the_poison_line_fails_the_loader_after_whole_graphs():
    """What the producer writes when it fails is refused by the loader even when it follows
    complete graphs, also in the lenient mode the batch uses."""
    target = ox.Store()
    with pytest.raises(SyntaxError):
        target.bulk_load(graph_chunk(0) + BROKEN, format=ox.RdfFormat.TRIG, lenient=True)
    assert len(target) == 0


def test_ctrl_c_while_loading_commits_nothing(store):
    """SIGINT cannot reach Python while the loader runs in Rust; the producer sees it and stops
    the load, so the batch is not committed and KeyboardInterrupt is raised."""
    target, path = store
    produced = []

    def chunks():
        for i in range(200_000):  # minutes of work if nothing stopped it
            produced.append(i)
            yield graph_chunk(i)

    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            load_stream(_loader(target), chunks())
    finally:
        timer.cancel()
    assert 0 < len(produced) < 200_000
    assert len(target) == 0
    assert not list(path.glob("bulk-*.sst"))
