"""Feeding Oxigraph's bulk loader with TriG that is still being produced.

A batch's assessments are scored while the loader parses them. The loader reads from a pipe
(by its /dev/fd path), so it reads in Rust without taking the GIL; a thread of ours produces
the chunks and writes them into the pipe. Given a Python file object instead, the loader takes
the GIL for every 2 KB it reads (some 700,000 times for 3,000 submissions), each time waiting
for the scoring thread to let go of it. (Measured on the 2-core VM, 8 alternating runs of
3,000 submissions: wall-clock time per CPU-second 3% lower with the pipe, about 2 s; the host's
own speed varied more than that from run to run.)
Linux and macOS, where /dev/fd names an open pipe.

All or nothing: the loader commits only at the end of its input. When producing fails, the
producer writes text that is not TriG before closing the pipe, so the loader fails on it and
commits nothing; the producer's error, not the loader's, is what the caller sees.

Ctrl-C: while the loader runs, the main thread is in Rust and Python's handler for SIGINT
cannot run, so the load would end and commit before KeyboardInterrupt. The producer watches
for SIGINT instead (through `signal.set_wakeup_fd`) and stops the load with
KeyboardInterrupt: an interrupted batch is never committed. (A signal that has a Python handler
and lands on the main thread while it waits on the pipe also ends the load, with EINTR, and
nothing is committed either.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator

# The loader stops on this line, whatever came before it: "}" cannot follow a closed graph.
BROKEN = b"\n} } the batch could not be produced; nothing of it may be committed\n"
_PIPE_SIZE = 1 << 20  # the most an unprivileged process may ask for (fs.pipe-max-size)


class ProducerFailed(Exception):
    """Producing the batch failed; `__cause__` is why. The loader committed nothing."""


def load_stream(load: Callable[[str], None], chunks: Iterable[bytes]) -> None:
    """Call `load(path)`, a bulk load of the TriG file at `path` committed once at its end, on
    the concatenated `chunks`, which a thread of its own iterates while `load` reads.

    Raises ProducerFailed (from the producer's error) when iterating `chunks` fails; else what
    `load` raises. Either way `load` met text that is not TriG or its own error, and committed
    nothing.
    """
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux; elsewhere, and when refused, a smaller pipe
        with contextlib.suppress(OSError):
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    failure: list[BaseException] = []
    with _watching_interrupts() as interrupted:
        producer = threading.Thread(
            target=_produce,
            args=(chunks, write_end, failure, interrupted),
            name="demozone-batch",
            daemon=True,
        )
        producer.start()
        try:
            load(f"/dev/fd/{read_end}")
        finally:
            # Our end closed after the loader let go of its own: a producer still writing gets
            # BrokenPipeError and stops, and `chunks` (and what produces them) is closed with it.
            os.close(read_end)
            producer.join()
            if failure:  # the loader failed on the poison: the producer's error is the cause
                raise ProducerFailed from failure[0]


def _produce(
    chunks: Iterable[bytes],
    write_end: int,
    failure: list[BaseException],
    interrupted: Callable[[], bool],
) -> None:
    out = open(write_end, "wb")  # noqa: SIM115 (closed below, after the poison if need be)
    try:
        for chunk in chunks:
            if interrupted():
                raise KeyboardInterrupt
            out.write(chunk)
    except BrokenPipeError:
        pass  # the loader stopped reading: it failed, and its error is the one to raise
    except BaseException as err:  # handed to the caller of load_stream
        failure.append(err)
        with contextlib.suppress(OSError):  # a loader that stopped reading has failed anyway
            out.write(BROKEN)
            out.flush()
    finally:
        with contextlib.suppress(OSError):
            out.close()


@contextlib.contextmanager
def _watching_interrupts() -> Iterator[Callable[[], bool]]:
    """interrupted(): whether SIGINT arrived since entering. Signals reach Python's handlers in
    the main thread only; called from another thread, interrupted() is always False."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    seen = bytearray()

    def interrupted() -> bool:
        with contextlib.suppress(BlockingIOError):
            seen.extend(os.read(read_end, 512))
        return signal.SIGINT in seen

    try:
        yield interrupted
    finally:
        signal.set_wakeup_fd(previous)
        os.close(read_end)
        os.close(write_end)
