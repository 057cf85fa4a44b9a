"""Rendering pages: Jinja2 with autoescape always on, and what every page's context holds.

`render(request, "x.html", key=value)` gives the template, besides its own values: `user` (or
None), `lang`, `t` (UI strings, demozone.web.i18n), `p` (the language's punctuation: p.colon, p.semi, p.open, p.close), `csrf` (the session's token, for the hidden
field `csrf` of every form) and `rooms` (the rooms of the user's role, for the nav).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from demozone.web import i18n
from demozone.web.auth import optional_user
from demozone.web.rooms import rooms_of

TEMPLATES = Path(__file__).parent / "templates"

# autoescape=True for every template whatever its name: text from users is never markup
_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
)
templates = Jinja2Templates(env=_ENVIRONMENT)


def render(request: Request, name: str, status_code: int = 200, **values):
    """The page `name` for this request, with the shared context (see the module docstring)."""
    lang = i18n.language(request)
    user = optional_user(request)
    context = {
        "user": user,
        "lang": lang,
        "t": lambda key: i18n.translate(key, lang),
        "p": i18n.PUNCTUATION[lang],
        "csrf": user["csrf"] if user else "",
        "rooms": rooms_of(user["role"]) if user else [],
        **values,
    }
    return templates.TemplateResponse(request, name, context, status_code=status_code)
