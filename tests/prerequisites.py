"""The programs some tests drive, installed with Debian's apt-get when they are missing.

`make test` runs this file first (`python tests/prerequisites.py`), so the browser and memory tests
run rather than skip; the test fixtures call `ensure` again for a plain `pytest` run. When a
program cannot be had, `ensure` raises `Missing`: the fixtures turn it into a failure under
CI=true (a check that silently did not run is no check) and into a skip on a developer's machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Prerequisite:
    """A program the tests run (any one of `commands`) and the Debian packages that bring it."""

    purpose: str
    commands: tuple[str, ...]
    packages: tuple[str, ...]
    recommends: bool = (
        True  # False: apt-get --no-install-recommends (LibreOffice: 193 MB, not 1 GB)
    )


# chromium draws the HTML graph view; the CJK font lets it draw the Chinese labels
CHROMIUM = Prerequisite(
    "the browser test of the HTML graph view",
    ("chromium", "chromium-browser"),
    ("chromium", "fonts-wqy-microhei"),
)
VALGRIND = Prerequisite(
    "the memory check of the durable-rules engine", ("valgrind",), ("valgrind",)
)
# LibreOffice Calc re-saves submission workbooks as a clerk's office program would (computing
# formulas) and opens the CSV demozone writes, to show no cell becomes a formula
LIBREOFFICE = Prerequisite(
    "the re-save test of submission workbooks and the CSV formula-injection test",
    ("soffice", "libreoffice"),
    ("libreoffice-calc-nogui",),
    recommends=False,
)
LIBREOFFICE_CALC = LIBREOFFICE
# a team deployment keeps its accounts in PostgreSQL (tests/postgres.py starts a server)
POSTGRESQL = Prerequisite(
    "the tests of accounts in PostgreSQL", ("pg_ctlcluster",), ("postgresql",)
)
EVERYTHING = (CHROMIUM, VALGRIND, LIBREOFFICE, POSTGRESQL)


class Missing(Exception):
    """A prerequisite is not installed and could not be installed; the message says why."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def found(prerequisite: Prerequisite) -> str | None:
    for name in prerequisite.commands:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure(prerequisite: Prerequisite) -> str:
    """The path of the prerequisite's command, installing its packages with apt-get first if
    the command is missing. Raises Missing when it is missing and cannot be installed."""
    path = found(prerequisite)
    if path:
        return path
    _apt_install(prerequisite)
    path = found(prerequisite)
    if not path:
        raise Missing(
            f"apt-get installed {' '.join(prerequisite.packages)} but none of "
            f"{', '.join(prerequisite.commands)} is on PATH ({prerequisite.purpose})"
        )
    return path


def _apt_install(prerequisite: Prerequisite) -> None:
    wanted = f"{prerequisite.commands[0]} is not installed ({prerequisite.purpose})"
    apt = shutil.which("apt-get")
    if apt is None:
        raise Missing(f"{wanted} and apt-get is not available to install it")
    command = [apt]
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None:
            raise Missing(f"{wanted}; apt-get needs root and there is no sudo")
        command = [sudo, "-n", apt]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["install", "-y", "-q"] + (
        [] if prerequisite.recommends else ["--no-install-recommends"]
    )
    for args in (["update", "-q"], [*install, *prerequisite.packages]):
        done = subprocess.run(
            [*command, *args], env=env, capture_output=True, text=True, timeout=1200
        )
        if done.returncode != 0:
            raise Missing(
                f"{wanted}; apt-get {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )


def main() -> int:
    failed = 0
    for prerequisite in EVERYTHING:
        try:
            print(f"{prerequisite.commands[0]}: {ensure(prerequisite)}")
        except Missing as missing:
            print(f"missing: {missing}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
