"""The public API's names load lazily (PEP 562); a submodule of demozone.api with the same name
as a public function would replace that function on the package the moment anything imports
the submodule (Python sets the attribute), and the name would then be a module."""

from __future__ import annotations

import importlib
import pkgutil

from demozone import api


def test_no_module_of_the_api_shares_a_name_with_a_public_name():
    modules = {m.name for m in pkgutil.iter_modules(api.__path__)}
    assert not modules & set(api._EXPORTS)


def test_every_public_name_is_what_its_table_says_even_after_every_api_module_is_imported():
    for module in pkgutil.iter_modules(api.__path__):
        importlib.import_module(f"demozone.api.{module.name}")
    for name, where in api._EXPORTS.items():
        assert getattr(api, name) is getattr(importlib.import_module(where), name), name
