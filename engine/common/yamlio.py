"""Strict YAML reading for every data file demozone loads.

Duplicate keys are errors (PyYAML silently keeps the last one), all of them reported at once;
floats are kept exact as `Decimal` read from their text (0.1 stays 0.1), while .inf, .nan,
sexagesimal, hexadecimal and octal numbers and dates stay as the text written, so the reader of a field rejects them
with its own message instead of the parser crashing; every mapping remembers the line of each
key so that errors can point at `file:line`.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from demozone.common import limits
from demozone.common.errors import InputError, Problem
from demozone.common.hashing import read_bounded


class Mapping(dict):
    """A dict that remembers the 1-based line of each key and of itself."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: object) -> int | None:
        return self.key_lines.get(key, self.line)


class Text(str):
    """A scalar kept as its source text (.inf, 1:30); shows without quotes in messages."""

    def __repr__(self) -> str:
        return str(self)


# libyaml's parser when present (several times faster); the constructors below are the same.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_BaseLoader):
    """Safe YAML with line-aware mappings, repeated keys recorded (the first value kept), floats
    exact, and numbers and dates that are not plain decimals kept as the text written."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[Any, int]] = []  # (key, line)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Mapping:
    """A mapping that knows its lines; a repeated key is recorded, its first value kept.

    Keys merged in with `<<:` give way to the mapping's own keys, as YAML says.
    """
    own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value[merged:]:
        key = _construct_key(loader, key_node)
        if key in result:
            loader.duplicates.append((key, key_node.start_mark.line + 1))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    for key_node, value_node in reversed(node.value[:merged]):  # the last merged value wins
        key = _construct_key(loader, key_node)
        if key not in result:
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_key(loader: LineLoader, key_node: yaml.Node) -> object:
    key = loader.construct_object(key_node, deep=True)
    if not isinstance(key, str | int | Decimal | bool | None):
        raise yaml.constructor.ConstructorError(
            None, None, "a key must be a plain word or number", key_node.start_mark
        )
    return key


def _construct_float(loader: LineLoader, node: yaml.ScalarNode) -> Decimal | Text:
    """A float exactly as written (0.15 is 15/100); .inf, .nan and 1:30 stay text and fail later."""
    text = loader.construct_scalar(node)
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return Text(text)
    return number if number.is_finite() else Text(text)


def _construct_int(loader: LineLoader, node: yaml.ScalarNode) -> int | Text:
    """A plain integer (1_000 too); 1:30 (YAML 1.1 reads 90), 0x1A and 017 stay as written."""
    text = loader.construct_scalar(node)
    digits = text.replace("_", "").lstrip("+-")
    if len(digits) > limits.MAX_INTEGER_DIGITS:
        return Text(text)  # too long to be a figure: the field's reader refuses it by its limit
    plain = digits.isdigit() and (digits == "0" or not digits.startswith("0"))
    return int(text.replace("_", "")) if plain else Text(text)


def _construct_timestamp(loader: LineLoader, node: yaml.ScalarNode) -> str:
    """Dates stay as written (2024-03-01): a date is only ever shown, never computed with."""
    return str(loader.construct_scalar(node))


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """The document and a problem for every repeated key; InputError if it is not YAML."""
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_size(node, file)
        doc = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(err, "problem", None) or str(err)
        raise InputError(
            [
                Problem(
                    file,
                    "",
                    f"not valid YAML: {reason}",
                    f"不是有效的YAML格式：{reason}",
                    line=line,
                )
            ]
        ) from None
    finally:
        loader.dispose()
    duplicates = [
        Problem(file, str(key), f"duplicate key {key!r}", f"键 {key!r} 重复出现", line=line)
        for key, line in loader.duplicates
    ]
    return doc, duplicates


def _check_size(root: yaml.Node, file: str) -> None:
    """Refuse a document whose nodes, every alias expanded, exceed the limit, or that nests too
    deep or refers to itself: checked on the composed nodes, before any value is built."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > limits.MAX_YAML_NODES:
                _too_big(
                    file,
                    node,
                    f"more than {limits.MAX_YAML_NODES} values once its aliases are expanded",
                    f"展开别名后超过 {limits.MAX_YAML_NODES} 个值",
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            _too_big(file, node, "an alias refers to the value that holds it", "别名引用了自身")
        if depth > limits.MAX_YAML_DEPTH:
            _too_big(
                file,
                node,
                f"nested deeper than {limits.MAX_YAML_DEPTH} levels",
                f"嵌套超过 {limits.MAX_YAML_DEPTH} 层",
            )
        open_nodes.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _too_big(file: str, node: yaml.Node, en: str, zh: str) -> None:
    raise InputError(
        [
            Problem(
                file,
                "",
                f"the YAML document is too large: {en}",
                f"YAML文档过大：{zh}",
                line=node.start_mark.line + 1,
            )
        ]
    )


def load_yaml_text(text: str, file: str) -> Any:
    """Parse YAML text strictly; raise InputError naming the file and line of every problem."""
    doc, duplicates = parse_yaml(text, file)
    if duplicates:
        raise InputError(duplicates)
    return doc


def load_yaml(path: Path) -> Any:
    """Read and strictly parse a UTF-8 YAML file."""
    return read_yaml(path)[0]


def read_yaml(path: Path) -> tuple[Any, str]:
    """`load_yaml`, with the sha256 of the bytes that were parsed."""
    try:
        data = read_bounded(path)
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "file not found", "文件不存在")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "", "not UTF-8 text", "文件不是UTF-8编码")]) from None
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise InputError(
            [Problem(str(path), "", f"cannot read: {reason}", "无法读取文件")]
        ) from None
    return load_yaml_text(text, str(path)), hashlib.sha256(data).hexdigest()


def key_faults(
    mapping: dict, allowed, required=(), blank=lambda _value: False
) -> tuple[list, list]:
    """The one key check of every reader: (unknown, missing), the keys of `mapping` not in
    `allowed` (in the mapping's order) and those of `required` it lacks or leaves `blank` (in
    `required`'s order). Each reader words its own problems."""
    unknown = [key for key in mapping if key not in allowed]
    missing = [key for key in required if key not in mapping or blank(mapping[key])]
    return unknown, missing


def check_keys(
    mapping: dict, allowed: set[str], file: str, path: str, required: set[str] = frozenset()
) -> list[Problem]:
    """Problems for unknown and missing keys of a mapping, naming the allowed ones."""
    problems = []
    line_of = mapping.line_of if isinstance(mapping, Mapping) else (lambda _k: None)
    unknown, missing = key_faults(mapping, allowed, sorted(required))
    for key in unknown:
        problems.append(
            Problem(
                file,
                f"{path}.{key}" if path else str(key),
                f"unknown key {key!r}; allowed: {', '.join(sorted(allowed))}",
                f"未知字段 {key!r}；允许的字段: {', '.join(sorted(allowed))}",
                line=line_of(key),
            )
        )
    for key in missing:
        problems.append(
            Problem(
                file,
                f"{path}.{key}" if path else key,
                f"missing required key {key!r}",
                f"缺少必填字段 {key!r}",
                line=getattr(mapping, "line", None),
            )
        )
    return problems
