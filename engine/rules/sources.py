"""Where rule files are found: a policy office's own folders and the shipped rules/.

A rule set is named by its id (the file's name without .yaml) or by the path of its file. Ids are
looked up, first found first, in the folders chosen with `use_rule_dirs` (the CLI's repeatable
`--rules DIR`), then in the folders of `$DEMOZONE_RULES` (separated by the platform's path
separator, `:` on Linux), then in rules/ of this installation. A rule file named by its path is
remembered by the id written in it (`system:`), so a stored assessment, a batch's worker or a
rule test can name it by that id afterwards in the same process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from demozone.common.errors import InputError, Problem
from demozone.common.paths import RULES_DIR

__all__ = [
    "ENV",
    "RuleSource",
    "find_rule_file",
    "is_rule_path",
    "remember_rule_file",
    "rule_dirs",
    "rule_sources",
    "use_rule_dirs",
]

ENV = "DEMOZONE_RULES"
SUFFIXES = (".yaml", ".yml")

_chosen: list[Path] = []  # --rules DIR, in the order given
_named_by_path: dict[str, Path] = {}  # id written in a rule file named by its path -> the file


@dataclass(frozen=True)
class RuleSource:
    """One rule file found in a rule folder, and where that folder comes from."""

    system: str
    file: Path
    origin: str  # "--rules", "DEMOZONE_RULES", "rules/" (shipped) or "path"
    shadowed_by: Path | None = None  # a file of the same id found earlier, which wins


def use_rule_dirs(dirs) -> None:
    """Look up rule sets in these folders first (replacing any chosen before, and forgetting the
    rule files named by path so far). InputError for a folder that does not exist."""
    folders = [Path(d) for d in dirs]
    problems = [
        Problem(str(d), "--rules", "rule folder not found", "规则文件夹不存在", "a folder")
        for d in folders
        if not d.is_dir()
    ]
    if problems:
        raise InputError(problems)
    _chosen[:] = folders
    _named_by_path.clear()


def rule_dirs() -> list[tuple[Path, str]]:
    """The folders searched for rule sets, first first, each with where it comes from."""
    from_env = [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]
    found = [(d, "--rules") for d in _chosen] + [(d, ENV) for d in from_env if d.is_dir()]
    return [*found, (RULES_DIR, "rules/")]


def is_rule_path(ref: str) -> bool:
    """Whether `ref` names a rule file by its path rather than a rule set by its id."""
    text = str(ref)
    return text.endswith(SUFFIXES) or "/" in text or os.sep in text


def find_rule_file(ref: str) -> Path | None:
    """The rule file of an id or a path; None when there is none."""
    if is_rule_path(ref):
        path = Path(ref)
        return path if path.is_file() else None
    for folder, _origin in rule_dirs():
        for suffix in SUFFIXES:
            candidate = folder / f"{ref}{suffix}"
            if candidate.is_file():
                return candidate
    return _named_by_path.get(str(ref))


def remember_rule_file(system: str, path: Path) -> None:
    """Let `system` (the id a rule file named by its path states) find that file from now on."""
    _named_by_path.setdefault(system, Path(path))


def rule_sources() -> list[RuleSource]:
    """Every rule file of every rule folder (and those named by path), in lookup order; a file
    whose id an earlier one has is listed with the file that wins."""
    sources: list[RuleSource] = []
    first: dict[str, Path] = {}
    for folder, origin in rule_dirs():
        files = sorted(p for suffix in SUFFIXES for p in folder.glob(f"*{suffix}"))
        for file in files:
            winner = first.setdefault(file.stem, file)
            sources.append(RuleSource(file.stem, file, origin, None if winner == file else winner))
    for system, file in _named_by_path.items():
        if system not in first:
            first[system] = file
            sources.append(RuleSource(system, file, "path"))
    return sources
