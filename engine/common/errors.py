"""Errors as values for user mistakes, exceptions for bugs.

A `Problem` is what a county official needs to fix an input: which file, which field, what was
found and what was expected, in Chinese and English. Loaders collect every problem they find and
raise one `InputError` holding all of them, so a user fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a user's input."""

    file: str
    path: str  # field path inside the file, e.g. "metrics.online_retail.2023"
    message: str  # English
    message_zh: str = ""
    expected: str = ""
    line: int | None = None

    def where(self) -> str:
        loc = self.file
        if self.line is not None:
            loc += f":{self.line}"
        if self.path:
            loc += f": {self.path}"
        return loc

    def render(self, lang: str = "zh") -> str:
        text = self.message_zh if (lang == "zh" and self.message_zh) else self.message
        if self.expected:
            text += f" (应为/expected: {self.expected})"
        return f"{self.where()}: {text}"

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "message": self.message,
            "message_zh": self.message_zh,
            "expected": self.expected,
        }


@dataclass
class InputError(Exception):
    """Raised when user input cannot be used; carries every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render("en") for p in self.problems)


class StoreError(Exception):
    """The store cannot be opened, is in use, or a server answered with an error."""


class DemozoneBug(Exception):
    """An internal invariant broke. Never raised for user input."""
