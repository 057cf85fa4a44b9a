"""`demozone rules export SYSTEM -o rules.xlsx`: a rule set as a workbook policy staff edit.

Sheets: 说明 (how to edit it), 规则 (one row per rule: indicator, clause and its verbatim text,
kind, then the kind's columns: points, bands, thresholds and conditions, cap, other), 合格标准
(the pass rule) and 地区类别参数 (the parameters, one row per region class). Headers are in
Chinese with the English in the cell comment; the columns one may edit are marked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from demozone.kb import load as kbload
from demozone.policy.rulebook.cells import cell_text, flow
from demozone.rules import kinds
from demozone.rules.kinds.base import WORKBOOK_COLUMNS
from demozone.rules.model import Rule, RuleSet


@dataclass(frozen=True)
class Column:
    id: str
    zh: str
    en: str
    editable: bool = False
    width: int = 14


RULE_SHEET, PASS_SHEET, PARAMETER_SHEET, HELP_SHEET = "规则", "合格标准", "地区类别参数", "说明"
RULE_COLUMNS = (
    Column("indicator", "指标", "indicator number", width=8),
    Column("label", "指标名称", "indicator", width=28),
    Column("indicator_points", "指标分值", "indicator points", width=10),
    Column("rule", "规则编号", "rule id", width=12),
    Column("clause", "条款", "clause(s)", width=10),
    Column("clause_text", "条款原文", "clause text (verbatim)", width=50),
    Column("kind", "规则类型", "rule kind", width=18),
    Column("points", "分值", "points", True, 24),
    Column("bands", "分档", "bands", True, 50),
    Column("thresholds", "阈值与条件", "thresholds and conditions", True, 50),
    Column("cap", "上限", "cap", True, 10),
    Column("other", "其他参数", "other parameters", True, 30),
)
PASS_COLUMNS = (
    Column("key", "项目", "pass rule key", width=28),
    Column("label", "说明", "meaning", width=30),
    Column("value", "取值", "value", True, 12),
)
PARAMETER_COLUMNS = (
    Column("name", "参数", "parameter", width=26),
    Column("region_class", "地区类别", "region class (- : one value)", width=14),
    Column("value", "取值", "value", True, 12),
)
PASS_LABELS = {
    "total_at_least": "总分不低于 / total at least",
    "first_level_rate_at_least": "每个一级指标得分率不低于 / each first-level rate at least",
}
NO_CLASS = "-"
_EDITABLE = PatternFill("solid", fgColor="FFF2CC")
_HELP = (
    "计分规则表 / rule workbook",
    "黄色列可以修改，其余列仅供查看；改完后用 demozone rules import 生成变体规则文件。",
    "Edit the yellow columns only; then `demozone rules import FILE --base SYSTEM -o V.yaml`.",
    '单元格中的结构用 YAML 写法：{键: 值}、[列表]；百分比写成带引号的文字，如 "15%"。',
    'Structures are YAML flow text: {key: value}, [list]; percentages as quoted text ("15%").',
    "合格标准、地区类别参数各在一张表中；生成的变体只包含与基础规则不同之处。",
)


def rule_rows(rule_set: RuleSet) -> list[dict[str, str]]:
    """One row per rule, by column id, as the workbook shows it."""
    system = kbload.get_system(rule_set.kb_system)
    rows = []
    for indicator in rule_set.indicators:
        kb_indicator = system.indicator(indicator.number) if system else None
        for rule in indicator.rules:
            row = {
                "indicator": indicator.number,
                "label": kb_indicator.label if kb_indicator else "",
                "indicator_points": cell_text(indicator.points),
                "rule": rule.id,
                "clause": ", ".join(rule.implements()),
                "clause_text": _clause_text(kb_indicator, rule),
                "kind": rule.kind,
            }
            parts = kinds.of(rule).workbook_cells(rule)
            row.update({c: flow(parts[c]) if parts.get(c) else "" for c in WORKBOOK_COLUMNS})
            rows.append(row)
    return rows


def _clause_text(kb_indicator, rule: Rule) -> str:
    if kb_indicator is None:
        return ""
    texts = [c.text.strip() for c in map(kb_indicator.clause, rule.implements()) if c is not None]
    return "\n".join(texts)


def pass_rows(rule_set: RuleSet) -> list[dict[str, str]]:
    rule = rule_set.pass_rule
    return [
        {"key": key, "label": PASS_LABELS[key], "value": cell_text(getattr(rule, key))}
        for key in PASS_LABELS
    ]


def parameter_rows(rule_set: RuleSet) -> list[dict[str, str]]:
    """One row per parameter and region class (a parameter without classes: one row)."""
    rows = []
    for name, value in rule_set.parameters.items():
        by_class = value if isinstance(value, dict) else {NO_CLASS: value}
        rows += [
            {"name": str(name), "region_class": str(c), "value": cell_text(v)}
            for c, v in by_class.items()
        ]
    return rows


def export_rules(rule_set: RuleSet, out: Path) -> Path:
    """Write the rule workbook of `rule_set` to `out` (.xlsx)."""
    book = Workbook()
    help_sheet = book.active
    help_sheet.title = HELP_SHEET
    for line in (*_HELP, f"基础规则 / base: {rule_set.system} ({rule_set.kb_system})"):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    for title, columns, rows in (
        (RULE_SHEET, RULE_COLUMNS, rule_rows(rule_set)),
        (PASS_SHEET, PASS_COLUMNS, pass_rows(rule_set)),
        (PARAMETER_SHEET, PARAMETER_COLUMNS, parameter_rows(rule_set)),
    ):
        _sheet(book.create_sheet(title), columns, rows)
    book.save(out)
    return out


def _sheet(sheet, columns: tuple[Column, ...], rows: list[dict]) -> None:
    sheet.append([c.zh for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.comment = Comment(column.en + (" (editable)" if column.editable else ""), "demozone")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.editable:
            cell.fill = _EDITABLE
    for row in rows:
        sheet.append([row.get(c.id, "") for c in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
            cell.number_format = "@"  # text: numbers stay as written
    sheet.freeze_panes = "A2"
