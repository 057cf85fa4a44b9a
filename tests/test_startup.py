"""A command imports only what it uses: `--version`, `--help`, `systems` and `show` start without
the heavy parts (networkx, pyshacl, weasyprint, durable-rules) nor rdflib, and the lazy verb table
is right."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("networkx", "pyshacl", "weasyprint", "durable_rules", "docx")

_PROBE = """
import json, sys
from demozone.cli import main
sys.argv = ["demozone", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args", [("--version",), ("--help",), ("systems",), ("show", "national-2022", "3")]
)
def test_light_commands_do_not_import_the_heavy_parts(args):
    loaded = modules_after(*args)
    assert not loaded & set(HEAVY), f"{args} imported {sorted(loaded & set(HEAVY))}"


@pytest.mark.parametrize(
    "args", [("--version",), ("--help",), ("systems",), ("show", "national-2022", "3")]
)
def test_commands_that_read_no_graph_do_not_import_rdflib(args, tmp_path, monkeypatch):
    # a cache of its own, empty: the first command builds the knowledge base's values, and
    # neither that nor reusing them needs a graph (rdflib is a third of `systems`' start-up)
    monkeypatch.setenv("DEMOZONE_CACHE", str(tmp_path / "cache"))
    for _first_and_again in range(2):
        assert "rdflib" not in modules_after(*args)


def test_the_lazy_table_names_the_module_that_registers_each_verb():
    import importlib

    from demozone.cli import lazy, main_group

    for name, module in lazy.COMMANDS.items():
        importlib.import_module(f"demozone.cli.{module}")
        assert name in main_group.commands, f"{name} not registered by demozone.cli.{module}"
    for module in lazy.verb_modules():
        importlib.import_module(f"demozone.cli.{module}")
    assert main_group.list_commands(None) == sorted(main_group.commands)


def test_the_choices_of_the_command_line_are_the_engines_own():
    from demozone.api import choices
    from demozone.explain import provgraph
    from demozone.provenance import export
    from demozone.scoring import aggregate

    assert choices.ENGINES == aggregate.ENGINES
    assert choices.GRAPH_FORMATS == provgraph.FORMATS
    assert choices.GRAPH_SUFFIXES == provgraph.SUFFIXES
    assert choices.EXPORT_FORMATS == export.FORMATS
    from demozone.store.query import AUDIT_QUESTIONS

    assert tuple(sorted(AUDIT_QUESTIONS)) == choices.AUDIT_QUESTIONS
