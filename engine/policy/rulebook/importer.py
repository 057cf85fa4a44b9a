"""`demozone rules import rules.xlsx --base SYSTEM`: what an edited rule workbook changes.

The workbook is compared, cell by cell and by meaning, with the workbook of the base rule set:
an edited rule cell becomes an `override` of that rule's keys, an edited pass rule value a
`pass_rule` entry, an edited region-class value the whole parameter under `parameters`. What
cannot be said as a variant's change (an edited read-only column, an unknown or missing rule, a
key removed, a cell that is not YAML) is an error naming the sheet and cell (`规则!I7`), all
of them at once.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from demozone.common.errors import InputError, Problem
from demozone.policy.rulebook.cells import cell_text, meaning, parse, scalar
from demozone.policy.rulebook.export import (
    NO_CLASS,
    PARAMETER_COLUMNS,
    PARAMETER_SHEET,
    PASS_COLUMNS,
    PASS_SHEET,
    RULE_COLUMNS,
    RULE_SHEET,
    parameter_rows,
    pass_rows,
    rule_rows,
)
from demozone.rules import kinds
from demozone.rules.kinds.base import WORKBOOK_COLUMNS
from demozone.rules.model import RuleSet


@dataclass
class Changes:
    """What a workbook changes in its base, as a variant says it; each with the value before."""

    override: dict[str, dict] = field(default_factory=dict)  # rule id -> key -> new value
    pass_rule: dict[str, object] = field(default_factory=dict)
    parameters: dict[str, object] = field(default_factory=dict)
    before: dict[str, object] = field(default_factory=dict)  # "override.ID.KEY" ... -> old value
    where: dict[str, str] = field(
        default_factory=dict
    )  # the same keys -> where the cell is (指标 N 规则 ID 分档 ...)

    def empty(self) -> bool:
        return not (self.override or self.pass_rule or self.parameters)


class _Reading:
    def __init__(self, file: str) -> None:
        self.file, self.problems = file, []

    def problem(self, sheet: str, row: int, col: int, en: str, zh: str, expected: str = ""):
        cell = f"{sheet}!{get_column_letter(col)}{row}"
        self.problems.append(Problem(self.file, cell, en, zh, expected))


def read_changes(path: Path, base: RuleSet) -> Changes:
    """The changes the workbook at `path` makes to `base`; InputError listing every problem."""
    reading, changes = _Reading(str(path)), Changes()
    book = _open(path)
    sheets = {}
    for name, columns in (
        (RULE_SHEET, RULE_COLUMNS),
        (PASS_SHEET, PASS_COLUMNS),
        (PARAMETER_SHEET, PARAMETER_COLUMNS),
    ):
        sheets[name] = _rows(reading, book, name, columns)
    if not reading.problems:
        _rules(reading, sheets[RULE_SHEET], base, changes)
        _pass_rule(reading, sheets[PASS_SHEET], base, changes)
        _parameters(reading, sheets[PARAMETER_SHEET], base, changes)
    if reading.problems:
        raise InputError(reading.problems)
    return changes


def _open(path: Path):
    try:
        return load_workbook(path, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    f"not a readable .xlsx workbook: {err}",
                    "不是可读取的 .xlsx 工作簿",
                    "a workbook written by demozone rules export",
                )
            ]
        ) from None


def _rows(reading: _Reading, book, name: str, columns) -> list[tuple[int, dict]]:
    """(row number, {column id: cell value}) of every non-blank row, after checking the header."""
    if name not in book.sheetnames:
        reading.problems.append(
            Problem(reading.file, name, f"missing sheet {name!r}", f"缺少工作表 {name!r}", name)
        )
        return []
    sheet = book[name]
    header = [scalar(c.value) for c in next(sheet.iter_rows(min_row=1, max_row=1), ())]
    for index, column in enumerate(columns, start=1):
        found = header[index - 1] if index <= len(header) else None
        if found != column.zh:
            reading.problem(
                name,
                1,
                index,
                f"the header should be {column.zh} ({column.en}), found {found!r}",
                f"表头应为 {column.zh}，实为 {found!r}",
                column.zh,
            )
    rows = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = {c.id: cells[i] if i < len(cells) else None for i, c in enumerate(columns)}
        if any(v is not None and str(v).strip() for v in values.values()):
            rows.append((number, values))
    return rows


def _col(columns, column_id: str) -> int:
    return next(i for i, c in enumerate(columns, start=1) if c.id == column_id)


def _same_text(a: object, b: str) -> bool:
    return " ".join(cell_text(scalar(a)).split()) == " ".join(str(b).split())


def _rules(reading: _Reading, rows, base: RuleSet, changes: Changes) -> None:
    expected = {row["rule"]: row for row in rule_rows(base)}
    rules = {rule.id: rule for rule in base.rules()}
    seen = set()
    for number, values in rows:
        rule_id = cell_text(scalar(values["rule"]))
        if rule_id not in expected or rule_id in seen:
            en, zh = (
                (f"duplicate rule {rule_id!r}", f"规则 {rule_id!r} 重复")
                if rule_id in seen
                else (
                    f"no rule {rule_id!r} in {base.system}",
                    f"{base.system} 中没有规则 {rule_id!r}",
                )
            )
            reading.problem(RULE_SHEET, number, _col(RULE_COLUMNS, "rule"), en, zh)
            continue
        seen.add(rule_id)
        _rule_row(reading, number, values, expected[rule_id], rules[rule_id], changes)
    for missing in (r for r in expected if r not in seen):
        reading.problems.append(
            Problem(
                reading.file,
                RULE_SHEET,
                f"the row of rule {missing!r} is missing",
                f"缺少规则 {missing!r} 所在的行（删除指标请在变体中用 remove:）",
            )
        )


def _rule_row(reading, number: int, values: dict, before: dict, rule, changes: Changes) -> None:
    for column in RULE_COLUMNS:
        index = _col(RULE_COLUMNS, column.id)
        if column.id in WORKBOOK_COLUMNS:
            _rule_cell(reading, number, index, column, values[column.id], before, rule, changes)
        elif not _same_text(values[column.id], before[column.id]):
            reading.problem(
                RULE_SHEET,
                number,
                index,
                f"{column.en} is read-only here: change it in a YAML variant",
                f"{column.zh} 列为只读，不能在规则表中修改（请在 YAML 变体中修改）",
                str(before[column.id]),
            )


def _rule_cell(reading, number, index, column, value, before, rule, changes) -> None:
    if _same_text(value, before[column.id]):
        return
    kind = kinds.of(rule)
    where = f"{RULE_SHEET}!{get_column_letter(index)}{number}"
    text = cell_text(scalar(value)).strip()
    try:
        written = parse(text, where) if text else {}
    except InputError as err:
        reading.problem(
            RULE_SHEET, number, index, err.problems[0].message, err.problems[0].message_zh
        )
        return
    old = kind.workbook_cells(rule).get(column.id, {})
    allowed = kind.workbook_keys(column.id)
    if not isinstance(written, dict) or not set(written) <= set(allowed) or set(old) - set(written):
        reading.problem(
            RULE_SHEET,
            number,
            index,
            f"a mapping of {', '.join(allowed) or 'nothing'} for a {rule.kind} rule, keeping "
            f"every key it had ({', '.join(old)})",
            f"应为 {rule.kind} 规则的 {{键: 值}}，可用的键：{', '.join(allowed) or '无'}；"
            f"原有的键（{', '.join(old)}）不能删除",
            str(before[column.id]),
        )
        return
    for key, new in written.items():
        if key not in old or meaning(new) != meaning(old[key]):
            changes.override.setdefault(rule.id, {})[key] = new
            name = f"override.{rule.id}.{key}"
            changes.before[name] = old.get(key)
            changes.where[name] = f"指标 {rule.indicator} 规则 {rule.id} {column.zh}（{where}）"


def _pass_rule(reading: _Reading, rows, base: RuleSet, changes: Changes) -> None:
    expected = {row["key"]: row for row in pass_rows(base)}
    for number, values in rows:
        key = cell_text(scalar(values["key"]))
        if key not in expected:
            reading.problem(
                PASS_SHEET,
                number,
                1,
                f"unknown pass rule key {key!r}",
                f"未知的合格标准项 {key!r}",
                ", ".join(expected),
            )
            continue
        value = scalar(values["value"])
        if meaning(value) != meaning(expected[key]["value"]):
            changes.pass_rule[key] = value
            changes.before[f"pass_rule.{key}"] = expected[key]["value"]
            changes.where[f"pass_rule.{key}"] = f"{PASS_SHEET}!C{number}"


def _parameters(reading: _Reading, rows, base: RuleSet, changes: Changes) -> None:
    known = {(r["name"], r["region_class"]) for r in parameter_rows(base)}
    for number, values in rows:
        name, region = cell_text(scalar(values["name"])), cell_text(scalar(values["region_class"]))
        if (name, region) not in known:
            reading.problem(
                PARAMETER_SHEET,
                number,
                1,
                f"unknown parameter {name} / {region}",
                f"未知的参数或地区类别：{name} / {region}",
                ", ".join(sorted({n for n, _ in known})),
            )
            continue
        old = base.parameters[name]
        value = scalar(values["value"])
        before = old.get(region) if isinstance(old, dict) else old
        if meaning(value) == meaning(before):
            continue
        if region == NO_CLASS:
            changes.parameters[name] = value
        else:
            changes.parameters.setdefault(name, dict(old))[region] = value
        changes.before[f"parameters.{name}"] = old
        changes.where[f"parameters.{name}"] = f"{PARAMETER_SHEET}!C{number}"
