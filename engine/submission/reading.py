"""One submission document being read: where it is, what earlier sections settled, and every
problem found so far, with the small value tests the section readers share.

The sections are read in order (header, figures, evidence, judgments) and each reports what is
wrong and carries on, so a county sees all its mistakes at once; `Reading` is what they share.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from demozone.common import limits, yamlio
from demozone.common.errors import Problem
from demozone.submission.model import SystemCatalog

FIRST_YEAR, LAST_YEAR = 1990, 2100  # plausible assessed years
_YEAR_TEXT = re.compile(r"\d{4}\Z")
# control characters (terminal escape sequences among them); a multi-line text may hold \t \n
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Reading:
    """The state of reading one document: its file and folder, the catalog of systems, the
    assessed years (from the header), the evidence ids declared so far, and the problems."""

    def __init__(self, file: str, directory: Path, catalog: SystemCatalog) -> None:
        self.file, self.directory, self.catalog = file, directory, catalog
        self.problems: list[Problem] = []
        self.years: tuple[int, ...] = ()
        self.declared_evidence: set[str] = set()
        self.missing_folders: set[Path] = set()  # evidence folders reported missing, once each
        self.evidence_root: Path | None = None  # where evidence paths start, when not `directory`'s

    def problem(
        self, path: str, en: str, zh: str, expected: str = "", mapping=None, key=None
    ) -> None:
        self.problems.append(Problem(self.file, path, en, zh, expected, line_of(mapping, key)))

    def text(self, mapping, key, path: str, *, short: bool = False, lines: bool = False):
        """The text of `mapping[key]` (a number is taken as its digits), stripped, or None after
        a problem: a mapping or list, too long, or holding control characters. `short`: an id
        (at most MAX_ID_LENGTH); `lines`: it may hold line breaks and tabs (a note)."""
        value = mapping.get(key)
        text = scalar_text(value)
        limit = limits.MAX_ID_LENGTH if short else limits.MAX_TEXT_LENGTH
        control = _CONTROL_BUT_LINES if lines else _CONTROL
        if text is None:
            en, zh, expected = f"{key} must be text, got {_shown(value)}", f"{key} 应为文字", "text"
        elif len(text) > limit:
            en = f"{key} is {len(text)} characters long; at most {limit}"
            zh, expected = (
                f"{key} 过长（{len(text)} 字符，最多 {limit}）",
                f"at most {limit} characters",
            )
        elif control.search(text):
            en = f"{key} {_shown(text)} holds control characters (terminal escapes, line breaks)"
            zh, expected = f"{key} 含有控制字符", "printable text"
        else:
            return text
        self.problem(path, en, zh, expected, mapping, key)
        return None

    def keys(self, item, allowed, required, path: str) -> bool:
        """Report unknown fields; True when `item` is a mapping with every required field."""
        if not isinstance(item, dict):
            self.problem(
                path,
                f"each entry must be a mapping, got {item!r}",
                "每一项应为映射（字段: 值）",
                ", ".join(allowed),
            )
            return False
        unknown, missing = yamlio.key_faults(item, allowed, required, blank=blank)
        for key in unknown:
            self.problem(
                f"{path}.{key}",
                f"unknown field {key!r}",
                f"未知字段 {key!r}",
                ", ".join(allowed),
                item,
                key,
            )
        for key in missing:
            self.problem(
                f"{path}.{key}",
                f"missing required field {key!r}",
                f"缺少必填字段 {key!r}",
                ", ".join(required),
                item,
                key if key in item else None,
            )
        return not missing


def line_of(mapping: object, key: object = None) -> int | None:
    """The source line of `key` in a mapping read from YAML (or of the mapping), if known."""
    if not isinstance(mapping, yamlio.Mapping):
        return None
    return mapping.line_of(key) if key is not None else mapping.line


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_year(value: object) -> int | None:
    """A plausible four-digit year from an int or digit text, else None (2023年, 23, True: None)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _YEAR_TEXT.match(value):
        value = int(value)
    if isinstance(value, int) and FIRST_YEAR <= value <= LAST_YEAR:
        return value
    return None


def _shown(value: object) -> str:
    """A value for a message: its repr (control characters escaped), cut short."""
    text = repr(value) if isinstance(value, str) else f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def scalar_text(value: object) -> str | None:
    """Text of a scalar id (E1, 12.2, 3), or None for lists, mappings, booleans and null."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | Decimal):
        return str(value).strip()
    return None
