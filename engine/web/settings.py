"""The settings of one server: where the store and the accounts database are.

`demozone serve` passes them as environment variables so that every uvicorn worker (a separate
process importing `demozone.web.app:create_app`) reads the same ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

STORE_VARIABLE = "DEMOZONE_STORE"  # a store directory or SPARQL server URL (the CLI's too)
DB_VARIABLE = "DEMOZONE_DB"  # the accounts database: SQLAlchemy URL or SQLite file
SECURE_VARIABLE = "DEMOZONE_SECURE_COOKIES"  # "1" behind HTTPS: cookies marked Secure


@dataclass(frozen=True)
class Settings:
    store: str | None = None  # None: the API's default ($DEMOZONE_STORE, else ./demozone-data)
    db: str | None = None  # None: DIR-accounts.sqlite beside the store directory DIR
    secure_cookies: bool = False

    @classmethod
    def from_environment(cls) -> Settings:
        """The settings the CLI put in the environment."""
        return cls(
            store=os.environ.get(STORE_VARIABLE) or None,
            db=os.environ.get(DB_VARIABLE) or None,
            secure_cookies=os.environ.get(SECURE_VARIABLE) == "1",
        )

    def environment(self) -> dict[str, str]:
        """These settings as the environment variables `from_environment` reads."""
        values = {STORE_VARIABLE: self.store, DB_VARIABLE: self.db}
        values[SECURE_VARIABLE] = "1" if self.secure_cookies else None
        return {k: v for k, v in values.items() if v}
