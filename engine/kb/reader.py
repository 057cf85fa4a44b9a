"""The strict reader of one kb/ file: typed access to its fields, collecting problems.

`Reader` wraps one YAML file: it checks keys against the allowed ones, types, and anchors, and
collects every problem with the file, line and field path, so that one load reports them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from demozone.common.errors import InputError, Problem
from demozone.common.yamlio import Mapping, check_keys, load_yaml_text
from demozone.kb.model import Anchor, SourceDefect

ANCHOR_KEYS = {"source", "role", "start", "end", "quote"}
DEFECT_KEYS = {"source", "kind", "text", "note", "should_read", "anchors"}
_TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "a mapping"}


class Reader:
    """One kb file being read: typed access to its fields, collecting problems with lines."""

    def __init__(self, path: Path, name: str, source_ids: frozenset[str] = frozenset()) -> None:
        self.path, self.name, self.source_ids = path, name, source_ids
        self.problems: list[Problem] = []

    # -- problems --------------------------------------------------------------------------

    def problem(
        self, where: str, message: str, message_zh: str, node: Any = None, key: Any = None
    ) -> None:
        line = None
        if isinstance(node, Mapping):
            line = node.line_of(key) if key is not None else node.line
        self.problems.append(Problem(self.name, where, message, message_zh, line=line))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(list(self.problems))

    # -- structure -------------------------------------------------------------------------

    def document(self, allowed: set[str], required: set[str]) -> Mapping:
        """The file's top-level mapping, its keys checked; raises InputError if unreadable."""
        try:
            text = self.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(
                [Problem(self.name, "", f"cannot read the file: {err}", "无法读取文件")]
            ) from None
        doc = load_yaml_text(text, self.name)
        if not isinstance(doc, Mapping):
            raise InputError(
                [Problem(self.name, "", "expected a mapping at the top", "文件顶层应为映射")]
            )
        self.keys(doc, "", allowed, required)
        return doc

    def keys(
        self, node: Any, where: str, allowed: set[str], required: set[str] = frozenset()
    ) -> bool:
        """Check a mapping's keys; False (with problems recorded) if it is not usable."""
        if not isinstance(node, dict):
            self.problem(where, f"expected a mapping, got {node!r}", f"应为映射，实为 {node!r}")
            return False
        found = check_keys(node, allowed, self.name, where, required)
        self.problems.extend(found)
        return not any(p.message.startswith("missing") for p in found)

    def value(self, node: dict, key: str, where: str, kind: type, required: bool = True) -> Any:
        value = node.get(key)
        path = f"{where}.{key}" if where else key
        if value is None:
            if required and isinstance(node, dict):
                self.problem(path, f"{key!r} is required", f"缺少 {key!r}", node)
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            name = _TYPE_NAMES.get(kind, kind.__name__)
            self.problem(
                path, f"expected {name}, got {value!r}", f"应为{name}，实为 {value!r}", node, key
            )
            return None
        return value

    def text(self, node: dict, key: str, where: str, required: bool = True) -> str | None:
        return self.value(node, key, where, str, required)

    def ident(self, node: dict, key: str, where: str, required: bool = True) -> str | None:
        """A number or id written as text or a whole number (never a float: '1.1' is quoted)."""
        value = node.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.text(node, key, where, required)

    def number(self, node: dict, key: str, where: str) -> Decimal | None:
        """Points: a whole or decimal number, exact; None where absent or null."""
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            self.problem(
                f"{where}.{key}",
                f"expected a number, got {value!r}",
                f"应为数字，实为 {value!r}",
                node,
                key,
            )
            return None
        return Decimal(value)

    def decimal_text(
        self, node: dict, key: str, where: str, percent: bool = False
    ) -> Decimal | None:
        """A number written as text ('85', '75%'); a percentage becomes a fraction (0.75)."""
        text = self.text(node, key, where)
        if text is None:
            return None
        body = text.strip().removesuffix("%") if percent else text.strip()
        try:
            value = Decimal(body)
        except InvalidOperation:
            value = None
        if value is None or (percent and not text.strip().endswith("%")):
            expected = '"75%"' if percent else '"85"'
            self.problem(
                f"{where}.{key}",
                f"expected a number such as {expected}, got {text!r}",
                f"应为形如 {expected} 的数值，实为 {text!r}",
                node,
                key,
            )
            return None
        return value / 100 if percent else value

    def strings(self, node: dict, key: str, where: str, required: bool = True) -> tuple[str, ...]:
        items = self.value(node, key, where, list, required) or []
        bad = [item for item in items if not isinstance(item, str)]
        if bad:
            self.problem(
                f"{where}.{key}", f"expected a list of text, got {bad!r}", "应为文本列表", node, key
            )
        return tuple(item for item in items if isinstance(item, str))

    def flag(self, node: dict, key: str, where: str) -> bool:
        return bool(self.value(node, key, where, bool))

    def choice(self, node: dict, key: str, where: str, allowed: tuple[str, ...]) -> str:
        value = self.text(node, key, where) or ""
        if value and value not in allowed:
            self.problem(
                f"{where}.{key}",
                f"{value!r} is not one of {', '.join(allowed)}",
                f"{value!r} 不是允许的取值（{', '.join(allowed)}）",
                node,
                key,
            )
        return value

    def mapping_items(self, node: dict, key: str) -> Iterator[tuple[str, Any]]:
        for item_key, item in (self.value(node, key, "", dict) or {}).items():
            yield str(item_key), item

    def list_items(self, node: dict, key: str, where: str = "") -> Iterator[tuple[int, Any]]:
        """The mappings of a list field (absent: none); other items are problems."""
        path = f"{where}.{key}" if where else key
        for index, item in enumerate(self.value(node, key, where, list, required=False) or []):
            if isinstance(item, dict):
                yield index, item
            else:
                self.problem(
                    f"{path}[{index}]", f"expected a mapping, got {item!r}", "应为映射", node, key
                )

    # -- anchors and defects ---------------------------------------------------------------

    def anchors(self, node: dict, where: str) -> tuple[Anchor, ...]:
        path = f"{where}.anchors" if where else "anchors"
        items = self.value(node, "anchors", where, list, required=False) or []
        return tuple(a for k, spec in enumerate(items) if (a := self.anchor(spec, f"{path}[{k}]")))

    def anchor(self, spec: Any, where: str) -> Anchor | None:
        if not self.keys(spec, where, ANCHOR_KEYS, ANCHOR_KEYS):
            return None
        source, role = self.text(spec, "source", where), self.text(spec, "role", where)
        start, end = self.value(spec, "start", where, int), self.value(spec, "end", where, int)
        quote = self.value(spec, "quote", where, str)
        if source is not None and self.source_ids and source not in self.source_ids:
            self.problem(
                f"{where}.source",
                f"unknown source {source!r}; known: {', '.join(sorted(self.source_ids))}",
                f"未知的来源文件 {source!r}",
                spec,
                "source",
            )
            return None
        if None in (source, role, start, end, quote):
            return None
        return Anchor(source, role, start, end, quote, self.name, spec.line)

    def all_anchors(self, node: Any, where: str) -> Iterator[tuple[str, Anchor]]:
        """Every anchor list anywhere below a node, with its field path."""
        if isinstance(node, dict):
            for key, value in node.items():
                path = f"{where}.{key}"
                if key == "anchors":
                    items = value if isinstance(value, list) else []
                    for k, spec in enumerate(items):
                        if anchor := self.anchor(spec, f"{path}[{k}]"):
                            yield where, anchor
                else:
                    yield from self.all_anchors(value, path)
        elif isinstance(node, list):
            for k, item in enumerate(node):
                yield from self.all_anchors(item, f"{where}[{k}]")

    def defects(self, doc: dict) -> tuple[SourceDefect, ...]:
        result = []
        for k, spec in self.list_items(doc, "source_defects"):
            where = f"source_defects[{k}]"
            if not self.keys(spec, where, DEFECT_KEYS, {"source", "kind", "text"}):
                continue
            result.append(
                SourceDefect(
                    source=self.text(spec, "source", where) or "",
                    kind=self.text(spec, "kind", where) or "",
                    text=self.text(spec, "text", where) or "",
                    note=self.text(spec, "note", where, required=False) or "",
                    should_read=self.text(spec, "should_read", where, required=False),
                    anchors=self.anchors(spec, where),
                    file=self.name,
                    line=spec.line,
                )
            )
        return tuple(result)


def relative_name(path: Path, root: Path) -> str:
    """A file's name for messages: relative to the directory holding kb/."""
    return str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
