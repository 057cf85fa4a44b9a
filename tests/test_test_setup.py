"""The test set-up: `make test` deselects nothing, and under CI=true a missing program fails."""

import re
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT, installed
from .prerequisites import Prerequisite

NOWHERE = Prerequisite("a test of the set-up", ("demozone-no-such-program",), ("no-such-package",))


def test_pytest_deselects_no_test_by_default():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"]
    addopts = options["ini_options"]["addopts"].split()
    assert not {"-m", "-k", "--deselect", "--ignore"} & set(addopts), addopts
    assert "--strict-markers" in addopts


def test_make_test_runs_every_test_after_installing_the_prerequisites():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"^test: .*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    (pytest_line,) = [line for line in recipe.splitlines() if "pytest" in line]
    assert pytest_line.strip() == "$(BIN)/python -m pytest"
    assert re.search(r"^test: test-prerequisites$", makefile, re.MULTILINE)
    assert "\t$(BIN)/python tests/prerequisites.py" in makefile


@pytest.fixture
def no_programs(monkeypatch, tmp_path: Path):
    """A PATH with nothing on it: neither the program nor apt-get can be found."""
    monkeypatch.setenv("PATH", str(tmp_path))


def test_under_ci_a_missing_program_is_a_failure(no_programs, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and demozone-no-such-program is not"):
        installed(NOWHERE)


def test_outside_ci_a_missing_program_is_a_skip_that_says_why(no_programs, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get is not available to install it"):
        installed(NOWHERE)


def test_every_engine_package_is_listed_for_installation():
    """A sub-package missing from pyproject's list installs in editable mode but not from a wheel."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(options["packages"])
    engine = ROOT / "engine"
    found = {
        ".".join(("demozone", *init.parent.relative_to(engine).parts)).rstrip(".")
        for init in engine.rglob("__init__.py")
    }
    assert found - listed == set()
