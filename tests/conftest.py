"""Shared test fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of kb/ that a test may break; the loader takes it as its kb directory."""
    target = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", target)
    return target
