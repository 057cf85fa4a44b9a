"""A query over the embedded store that is stopped at a time limit (`query --store DIR`).

oxigraph evaluates a query in native code: no signal handler runs and no thread can stop it
until it is done, and a cross join over a store's triples may take hours. So the query runs in
a child process that opens the store read-only and sends its answer back serialised; at the
limit the child is killed and the caller gets an InputError saying so. The caller closes its
own handle on the store first (its RocksDB background work would otherwise delete files under
the child's feet); another process writing at the same time is met by opening again. The
answer comes back as the same oxigraph values the store itself would give: solutions as dicts
of terms, a bool, or triples.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pyoxigraph as ox

from demozone.common.errors import InputError, Problem
from demozone.store.base import StoreError

# The child imports nothing but pyoxigraph, so it starts in a fraction of a second. It writes
# one kind byte (s: solutions, a: boolean, t: triples) and then the answer.
_CHILD = """
import os, resource, signal, sys, time

# A child whose caller is gone (killed, or a server worker stopped) must not run on for hours:
# it dies with its caller (Linux PR_SET_PDEATHSIG), and the kernel stops it after its CPU time.
# A caller gone before the child asked for that signal is seen by the child's new parent.
try:
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[3]):
    sys.exit(1)
import pyoxigraph as ox

cpu = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def answer(path, text):
    found = ox.Store.read_only(path).query(text)
    if isinstance(found, ox.QuerySolutions):
        return b"s" + found.serialize(format=ox.QueryResultsFormat.JSON)
    if isinstance(found, ox.QueryBoolean):
        return b"a" + (b"1" if bool(found) else b"0")
    return b"t" + ox.serialize(found, format=ox.RdfFormat.N_TRIPLES)


text = sys.stdin.read()
for attempt in range(4):
    try:
        out = answer(sys.argv[1], text)
        break
    except (OSError, RuntimeError):
        # another process's compaction removed a file between reading the manifest and
        # opening it: a fresh open sees the files as they are now
        if attempt == 3:
            raise
        time.sleep(0.1 * (attempt + 1))
sys.stdout.buffer.write(out)
"""


def query_within(location: str, text: str, seconds: float):
    """The answer of `text` over the embedded store at `location`, computed within `seconds`:
    a list of solutions (dicts of variable name to term), a bool, or a list of triples.
    Longer: an InputError naming the limit; a store that cannot be read: a StoreError."""
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-I",
                "-c",
                _CHILD,
                location,
                str(math.ceil(seconds) + 1),
                str(os.getpid()),
            ],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child and reaped it
        raise too_long(seconds) from None
    if done.returncode != 0 or not done.stdout:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise StoreError(f"cannot query the store at {location}: {why[-1] if why else 'no answer'}")
    kind, body = done.stdout[:1], done.stdout[1:]
    if kind == b"a":
        return body == b"1"
    if kind == b"t":
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in solutions]


def too_long(seconds: float) -> InputError:
    return InputError(
        [
            Problem(
                "query",
                "",
                f"the query ran longer than {seconds:g} s and was stopped; narrow it, or allow "
                "more time with --timeout",
                f"查询超过 {seconds:g} 秒已停止",
                expected="SPARQL 1.1",
            )
        ]
    )
