"""The web workspace: server-rendered pages in Chinese (English on request) and a JSON API
under /api, over the same demozone.api as the CLI.

Adding a room (the pages of one role): a module of `demozone.web.pages` holding an APIRouter
with its prefix (/assessor, /policy, ...), its routes guarded by `auth.require(role)`, added to
`ROUTERS` in `demozone.web.app`. JSON routes go in `demozone.web.api` the same way. Pages
extend templates/base.html and fill its `content` block; `deps.store_location` and
`deps.accounts_db` give a route the store and the accounts database of this server.
"""
