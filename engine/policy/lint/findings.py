"""What `demozone lint` reports and where: findings (of `demozone.common.diagnostics`) with a
severity, a code and a location, and how lint shows them.

A rule set is built from a chain of files (a variant and the files it extends); `Locator` says
in which of them, on which line and under which field path something was written, so that every
finding points at the place to edit: an override in the variant, else the rule in its base.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from demozone.common.diagnostics import Finding, Location
from demozone.common.paths import HOME
from demozone.common.yamlio import Mapping, load_yaml
from demozone.rules.model import Rule

_SEVERITY_LABEL = {"error": "错误/error", "warning": "警告/warning", "info": "说明/info"}


_SEVERITY_ONLY = {
    "zh": {"error": "错误", "warning": "警告", "info": "说明"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
_DEFECT = {"zh": "来源文件缺陷，记载于", "en": "source defect, documented at"}


def render(finding: Finding, lang: str | None = None) -> str:
    """A finding as `demozone lint` prints it: severity, code and location, then the message in
    Chinese and English (only `lang`'s when one is asked for), and where a source defect is
    documented when the finding is one (the rules then score the source as written, so it is a
    warning)."""
    if lang in _SEVERITY_ONLY:
        message = finding.message if lang == "en" else finding.message_zh or finding.message
        lines = [
            f"{_SEVERITY_ONLY[lang][finding.severity]} [{finding.code}] {finding.location}",
            f"    {message}",
        ]
        if finding.source_defect:
            lines.append(f"    {_DEFECT[lang]} {finding.source_defect}")
        return "\n".join(lines)
    lines = [
        f"{_SEVERITY_LABEL[finding.severity]} [{finding.code}] {finding.location}",
        f"    {finding.message_zh}",
        f"    {finding.message}",
    ]
    if finding.source_defect:
        lines.append(f"    来源文件缺陷/source defect, documented at {finding.source_defect}")
    return "\n".join(lines)


def as_json(finding: Finding) -> dict:
    """A finding in `demozone lint --json`."""
    return {
        "severity": finding.severity,
        "code": finding.code,  # band-gap, unknown-metric, level-sum, ...
        "location": {"file": finding.file, "line": finding.line, "path": finding.path},
        "message": finding.message,
        "message_zh": finding.message_zh,
        "source_defect": finding.source_defect or None,
    }


def shown(file: str | Path) -> str:
    """A file as a reader finds it: relative to the installation (rules/x.yaml) when inside it."""
    path = Path(file)
    try:
        return str(path.resolve().relative_to(HOME.resolve()))
    except ValueError:
        return str(file)


class Locator:
    """Where things of a rule set were written, searching its files from the last one back."""

    def __init__(self, files: tuple[str, ...]) -> None:
        # The rules loader has read these files already, so they are known to be valid YAML.
        self.docs: list[tuple[str, Mapping]] = [(f, load_yaml(Path(f))) for f in files]

    @property
    def target(self) -> str:
        return shown(self.docs[-1][0])

    def top(self, path: str = "") -> Location:
        return Location(self.target, None, path)

    def key(self, *keys: str, after: int = -1) -> Location | None:
        """The deepest place where `keys` (a path of mapping keys) is written, latest file first."""
        for file, doc in self._latest(after):
            node, line, found = doc, None, []
            for key in keys:
                if not isinstance(node, Mapping) or key not in node:
                    break
                line, node = node.line_of(key), node[key]
                found.append(key)
            if len(found) == len(keys):
                return Location(shown(file), line, ".".join(keys))
        return None

    def rule(
        self, rule: Rule, key: str | None = None, item: int | None = None, after: int = -1
    ) -> Location:
        """Where a rule's `key` (its `item`-th entry for a list) was last written: an override
        in a variant, else the rule itself."""
        for file, doc in self._latest(after):
            override = doc.get("override")
            if isinstance(override, Mapping) and rule.id in override:
                changes = override[rule.id]
                if key is None or (isinstance(changes, Mapping) and key in changes):
                    return _inside(file, override, rule.id, f"override.{rule.id}", key, item)
            for number, index, spec in _written_rules(doc):
                if spec.get("id") == rule.id and (key is None or key in spec):
                    rules = doc["indicators"][number]["rules"]
                    return _inside(
                        file, rules, index, f"indicators.{number}.rules[{index}]", key, item
                    )
        return Location(shown(rule.file), rule.line, f"rules.{rule.id}")

    def indicator(self, number: str, base: str | None, key: str | None = None) -> Location:
        """Where an indicator (or its `key`) was last written, by its own or its base number."""
        renumbered = max((i for i, (_f, d) in enumerate(self.docs) if "renumber" in d), default=-1)
        for index in reversed(range(len(self.docs))):
            file, doc = self.docs[index]
            # files before the one that renumbers use the base numbers
            wanted = base if base and index < renumbered else number
            indicators = doc.get("indicators")
            if not isinstance(indicators, Mapping):
                continue
            for written in indicators:  # numbers may be written as 3 or "3"
                if str(written) == wanted:
                    return _inside(file, indicators, written, f"indicators.{written}", key, None)
        return self.top(f"indicators.{number}")

    def removal(self, number: str, base: str | None) -> Location | None:
        """The `remove:` that removed an indicator, if one did."""
        for file, doc in self._latest():
            removed = [str(n) for n in doc.get("remove") or []]
            if (base or number) in removed:  # `remove` names the numbers of the base
                return Location(shown(file), doc.line_of("remove"), "remove")
        return None

    def _latest(self, after: int = -1) -> Iterator[tuple[str, Mapping]]:
        yield from reversed(self.docs[after + 1 :])


def _inside(file: str, parent, key, path: str, field: str | None, item: int | None) -> Location:
    """The location of parent[key], or of its `field`, or of that field's `item`-th entry."""
    node = parent[key]
    line = parent.line_of(key) if isinstance(parent, Mapping) else getattr(node, "line", None)
    if field is None or not isinstance(node, Mapping) or field not in node:
        return Location(shown(file), line, path)
    line, value, path = node.line_of(field), node[field], f"{path}.{field}"
    if item is not None and isinstance(value, list) and 0 <= item < len(value):
        line = getattr(value[item], "line", None) or line
        path = f"{path}[{item}]"
    return Location(shown(file), line, path)


def _written_rules(doc: Mapping) -> Iterator[tuple[object, int, Mapping]]:
    indicators = doc.get("indicators")
    if not isinstance(indicators, Mapping):
        return
    for number, spec in indicators.items():
        rules = spec.get("rules") if isinstance(spec, Mapping) else None
        for index, rule in enumerate(rules or []):
            if isinstance(rule, Mapping):
                yield number, index, rule
