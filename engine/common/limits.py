"""The limits of what demozone reads, as data: each is checked before the work it bounds.

A hostile or broken input (a huge file, YAML aliases that expand to billions of nodes, a number
like 1e999999999, a FIFO named as evidence) ends in a clear message naming the limit, never in a
machine that runs out of memory or time. The values are generous for real submissions and rule
files; tests may lower them (they are module attributes, read when used).
"""

from __future__ import annotations

# files read whole: a submission or a rule file (bytes)
MAX_FILE_BYTES = 20 * 1024 * 1024
# YAML: the nodes of a document once every alias is expanded, and its nesting depth
MAX_YAML_NODES = 200_000
MAX_YAML_DEPTH = 64
# text a user gives: an id (submission, evidence, assessor) and any other text (title, note)
MAX_ID_LENGTH = 128
MAX_TEXT_LENGTH = 20_000
# numbers: at most this many digits before the point, and at most this many after it
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 12
# an evidence file is hashed as a stream of at most this many bytes
MAX_EVIDENCE_BYTES = 4 * 1024 * 1024 * 1024
# a SPARQL server's answer (bytes), and `query` over the knowledge base
MAX_ANSWER_BYTES = 512 * 1024 * 1024
QUERY_SECONDS = 30.0
QUERY_ROWS = 100_000


def size_text(n: int) -> str:
    """Bytes as people read them: 20 MB, 512 KB, 4 GB."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"
