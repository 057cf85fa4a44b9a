"""The API's names: a function exported by `demozone.api` is never hidden by a sub-module."""

from __future__ import annotations

import importlib
import pkgutil

from demozone import api


def test_no_api_module_is_named_like_an_export():
    # importing demozone.api.X sets the package's attribute X to the module, over an export X
    modules = {m.name for m in pkgutil.iter_modules(api.__path__)}
    assert modules & set(api.__all__) == set()


def test_audit_is_the_function_after_every_api_module_is_imported():
    for found in pkgutil.iter_modules(api.__path__):
        importlib.import_module(f"demozone.api.{found.name}")
    assert callable(api.audit) and callable(api.verify)
