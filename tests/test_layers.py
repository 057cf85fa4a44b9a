"""The layers of engine/ cannot be crossed by accident.

The layer order (common < kb < rules < submission < scoring < provenance < store < assessment <
explain < policy < report < procedure < accounts < api < web < cli), "the CLI calls only
demozone.api", "accounts stand on common" and "the web calls only demozone.api" are import-linter contracts
in pyproject.toml, run by `make test`. Import-linter does not look for cycles inside one
package, so the import graph here is read from the source (every import statement, those inside
functions included) and must have none. Each check is also shown to fail on a copy of engine/
with one bad import planted in it.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "engine"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def module_name(path: Path, package_dir: Path) -> str:
    parts = ["demozone", *path.relative_to(package_dir).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, importer: str, known: set[str]) -> set[str]:
    """The demozone modules one module's import statements name, wherever they stand."""
    found: set[str] = set()
    for node in ast.walk(tree):  # every statement, function bodies included
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = importer.rsplit(".", node.level)[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {name for name in found if name in known and name != importer}


def import_graph(package_dir: Path) -> nx.DiGraph:
    """Module -> the demozone modules it imports, read from the files under `package_dir`."""
    files = {module_name(p, package_dir): p for p in package_dir.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        graph.add_edges_from((name, target) for target in imported_modules(tree, name, set(files)))
    return graph


def import_cycles(package_dir: Path) -> list[list[str]]:
    """Every group of modules that import each other, directly or round a loop."""
    groups = nx.strongly_connected_components(import_graph(package_dir))
    return sorted(sorted(group) for group in groups if len(group) > 1)


def lint_imports(package_parent: Path | None = None) -> subprocess.CompletedProcess:
    """import-linter's contracts from pyproject.toml, over engine/ or over a `demozone/`
    package under `package_parent` (put first on the path, so it is the one analysed)."""
    env = dict(os.environ)
    if package_parent is not None:
        env["PYTHONPATH"] = str(package_parent)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=package_parent or ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture
def engine_copy(tmp_path: Path) -> Path:
    """A copy of engine/ as a `demozone` package under tmp_path (returned: the copy)."""
    copy = tmp_path / "demozone"
    shutil.copytree(ENGINE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def plant(module: Path, line: str) -> None:
    module.write_text(module.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# On the tree


def test_no_module_of_the_engine_is_part_of_an_import_cycle():
    assert import_cycles(ENGINE) == []


def test_the_layer_contracts_hold_on_the_tree():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


# ---------------------------------------------------------------------------------------------
# On a copy with one bad import planted


def test_an_upward_import_breaks_the_layer_contract(engine_copy):
    plant(engine_copy / "common" / "numbers.py", "import demozone.api  # planted: common -> api")
    result = lint_imports(engine_copy.parent)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "engine/ layers: a package imports only the ones below it BROKEN" in result.stdout
    assert "demozone.common.numbers -> demozone.api" in result.stdout


def test_a_cli_module_importing_below_the_api_breaks_the_cli_contract(engine_copy):
    plant(engine_copy / "cli" / "score.py", "from demozone.store import location  # planted")
    result = lint_imports(engine_copy.parent)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the CLI calls only demozone.api BROKEN" in result.stdout
    assert "demozone.cli.score -> demozone.store.location" in result.stdout


def test_an_import_cycle_hidden_inside_a_function_is_found(engine_copy):
    plant(
        engine_copy / "kb" / "model.py",
        "def _loader():\n    from demozone.kb.load import load_kb  # planted\n\n    return load_kb",
    )
    [cycle] = import_cycles(engine_copy)
    assert {"demozone.kb.model", "demozone.kb.load"} <= set(cycle)
