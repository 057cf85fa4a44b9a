"""Opening a store by its location: a directory (the embedded store) or an http(s) URL (a
SPARQL server). The location is the `--store` option, else DEMOZONE_STORE, else ./demozone-data.
"""

from __future__ import annotations

import os

from demozone.common.errors import StoreError
from demozone.store.base import BaseStore
from demozone.store.embedded import EmbeddedStore

DEFAULT_LOCATION = "demozone-data"

__all__ = ["DEFAULT_LOCATION", "open_store", "store_location"]


def store_location(option: str | None = None) -> str:
    """The store the user asked for: the option, else DEMOZONE_STORE, else ./demozone-data. An
    empty or blank --store is a mistake, never taken for the default."""
    if option is not None and not option.strip():
        raise StoreError(f"--store {option!r} is empty: give a directory or a URL (存储位置为空)")
    return option or os.environ.get("DEMOZONE_STORE") or DEFAULT_LOCATION


def open_store(location: str | None = None, *, create: bool = True) -> BaseStore:
    """Open the store at a location (see `store_location`): a directory or an http(s) URL.

    create=False refuses to create an embedded store that is not there yet (for reading verbs).
    """
    where = store_location(location)
    if where.lower().startswith(("http://", "https://")):
        # imported here for start-up speed: only a server needs urllib and ssl
        from demozone.store.remote import RemoteStore

        return RemoteStore.from_environment(where)
    return EmbeddedStore(where, create=create)
