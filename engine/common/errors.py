"""Errors as values for user mistakes, exceptions for bugs.

A problem is what a county official needs to fix an input: which file, which field, what was
found and what was expected, in Chinese and English. It is a `Finding` (the one vocabulary of
`demozone.common.diagnostics`) of severity error and code "input". Loaders collect every problem
they find and raise one `InputError` holding all of them, so a user fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from demozone.common.diagnostics import Finding, Location, Severity


class Problem(Finding):
    """One thing wrong with a user's input: a finding of severity error and code "input" at
    `file` (`line`), field `path` ("metrics.online_retail.2023"), or a workbook's `cell`
    ("指标数据!C7"). Only its constructor is its own."""

    def __init__(
        self,
        file: str,
        path: str,
        message: str,
        message_zh: str = "",
        expected: str = "",
        line: int | None = None,
        cell: str = "",
    ) -> None:
        location = Location(file, line, path, cell)
        super().__init__(Severity.ERROR, "input", location, message, message_zh, expected=expected)


@dataclass
class InputError(Exception):
    """Raised when user input cannot be used; carries every problem found."""

    problems: list[Finding] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render("en") for p in self.problems)


class StoreError(Exception):
    """The store cannot be opened, is in use, or a server answered with an error."""


class DemozoneBug(Exception):
    """An internal invariant broke. Never raised for user input."""
