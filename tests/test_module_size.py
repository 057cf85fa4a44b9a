"""Modules of one job: no module of the engine runs past 450 lines (issue 13)."""

from __future__ import annotations

from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"
MAX_LINES = 450


def oversized() -> dict[str, int]:
    """Each engine module over MAX_LINES, by its path under engine/, with its line count."""
    counts = {}
    for path in sorted(ENGINE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            counts[str(path.relative_to(ENGINE))] = lines
    return counts


def test_no_engine_module_is_over_450_lines():
    assert oversized() == {}, "\n".join(f"{p}: {n} lines" for p, n in oversized().items())
