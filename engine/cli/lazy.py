"""The `demozone` group that imports a verb's module only when that verb is run.

`COMMANDS` names the module of each verb; `demozone --version` imports none of them and
`demozone systems` only `cli.kb`. A module of this package that is not in the table (a verb
added since) is imported when the listing or an unknown name needs it, so no verb is ever lost.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

# verb -> module of demozone.cli that registers it on the group when imported
COMMANDS: dict[str, str] = {
    "ask": "ask",
    "audit": "audit",
    "convert": "convert",
    "plan": "plan",
    "rules": "rules",
    "status": "zone",
    "targets": "targets",
    "template": "template",
    "user": "user",
    "serve": "serve",
    "verify": "verify",
    "zone": "zone",
    "compare": "compare",
    "diff": "diff",
    "explain": "explain",
    "export": "graph",
    "graph": "graph",
    "history": "store",
    "impact": "impact",
    "kb": "kb",
    "lint": "lint",
    "query": "kb",
    "report": "report",
    "score": "score",
    "show": "kb",
    "store": "store",
    "systems": "kb",
    "test": "test",
}

_NOT_VERBS = {"__init__", "__main__", "common", "lazy", "kbtext"}


class LazyGroup(click.Group):
    """A group whose verbs are registered by importing their module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _import_unlisted()
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            _import_verb(COMMANDS[cmd_name])
        if cmd_name not in self.commands:
            _import_unlisted()
        return self.commands.get(cmd_name)


def _import_verb(module: str) -> None:
    importlib.import_module(f"{__package__}.{module}")


def verb_modules() -> list[str]:
    """Every module of demozone.cli that defines verbs."""
    package = importlib.import_module(__package__ or "demozone.cli")
    names = (m.name for m in pkgutil.iter_modules(package.__path__))
    return sorted(n for n in names if n not in _NOT_VERBS)


def _import_unlisted() -> None:
    for module in sorted(set(verb_modules()) - set(COMMANDS.values())):
        _import_verb(module)
