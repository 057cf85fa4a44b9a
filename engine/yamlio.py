"""Strict YAML reading for every data file demozone loads.

Duplicate keys are errors (PyYAML silently keeps the last one), floats are kept exact as
`Decimal` read from their text (0.1 stays 0.1), and every mapping remembers the line of each key
so that errors can point at `file:line`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem


class Mapping(dict):
    """A dict that remembers the 1-based line of each key and of itself."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key: object) -> int | None:
        return self.key_lines.get(key, self.line)


class _DuplicateKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


# libyaml's parser when present (several times faster); the constructors below are the same.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):
    """SafeLoader with line-aware mappings, duplicate-key errors and exact floats."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_exact_float(loader: _StrictLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    return Decimal(text)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_exact_float)


def load_yaml_text(text: str, file: str) -> Any:
    """Parse YAML text strictly; raise InputError naming the file and line on any problem."""
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _DuplicateKey as dup:
        raise InputError(
            [
                Problem(
                    file,
                    str(dup.key),
                    f"duplicate key {dup.key!r}",
                    f"键 {dup.key!r} 重复出现",
                    line=dup.line,
                )
            ]
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError(
            [Problem(file, "", f"not valid YAML: {err}", "不是有效的YAML格式", line=line)]
        ) from None


def load_yaml(path: Path) -> Any:
    """Read and strictly parse a UTF-8 YAML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "file not found", "文件不存在")]) from None
    except UnicodeDecodeError:
        raise InputError([Problem(str(path), "", "not UTF-8 text", "文件不是UTF-8编码")]) from None
    return load_yaml_text(text, str(path))


def check_keys(
    mapping: dict, allowed: set[str], file: str, path: str, required: set[str] = frozenset()
) -> list[Problem]:
    """Problems for unknown and missing keys of a mapping, naming the allowed ones."""
    problems = []
    line_of = mapping.line_of if isinstance(mapping, Mapping) else (lambda _k: None)
    for key in mapping:
        if key not in allowed:
            problems.append(
                Problem(
                    file,
                    f"{path}.{key}" if path else str(key),
                    f"unknown key {key!r}; allowed: {', '.join(sorted(allowed))}",
                    f"未知字段 {key!r}；允许的字段: {', '.join(sorted(allowed))}",
                    line=line_of(key),
                )
            )
    for key in sorted(required - set(mapping)):
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
