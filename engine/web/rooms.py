"""The rooms of the workspace and which role enters each: the nav and the home page's list.

A room added in pages/ adds its line here (path, label key in i18n.UI_STRINGS, roles).
"""

from __future__ import annotations

from typing import NamedTuple


class Room(NamedTuple):
    path: str
    label: str  # a key of i18n.UI_STRINGS
    roles: tuple[str, ...]


ROOMS = (
    Room("/assessor/", "room.assessor", ("assessor",)),
    Room("/policy/", "room.policy", ("policy", "admin", "auditor")),  # auditors read it
    Room("/auditor/", "room.auditor", ("auditor", "admin")),
    Room("/admin/", "room.admin", ("admin",)),
)


def rooms_of(role: str) -> list[Room]:
    """The rooms a role may enter, in the nav's order."""
    return [room for room in ROOMS if role in room.roles]
