"""The `demozone` command: verbs over the public API in `demozone.api`.

Conventions: results on stdout, diagnostics and progress on stderr; `--json` for machines;
exit codes 0 ok, 1 ran and found problems (a failed check, a failed pass rule is *not* one),
2 bad input or usage. A user mistake never ends in a traceback.
"""

from __future__ import annotations

import sys

import click

from demozone import api
from demozone.cli.common import main_group

# Each verb lives in its own module of this package; importing it registers it on the group.
# The group (demozone.cli.lazy) imports a verb's module only when the verb is used.


def main() -> None:
    # One command, then the process exits: what it reads from the knowledge-base cache is kept
    # out of the garbage collector's passes. `serve` runs long and keeps the collector as it is
    # (so do test runs, which call main_group).
    if sys.argv[1:2] != ["serve"]:
        api.keep_what_is_read()
    main_group(prog_name="demozone")


__all__ = ["click", "main", "main_group"]
