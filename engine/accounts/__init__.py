"""Accounts of the web workspace: users and their roles, sessions, assignments of submissions
to assessors, the audit log and login attempts, in one SQL database through SQLAlchemy.

Which database (`database.database_url`): the `--db URL` option, else $DEMOZONE_DB, else the
SQLite file `DIR-accounts.sqlite` beside the embedded store's directory DIR (for a store on
a SPARQL server, ./demozone-accounts.sqlite). A PostgreSQL URL
(postgresql+psycopg://user@host/db) serves a team of several workers.

This package stands on demozone.common only; the API re-exports its functions
(demozone.api.accounts), the CLI's `user` verb and the web workspace call them there.
"""
