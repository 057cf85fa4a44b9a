"""The shape of a submission workbook, shared by the writer and the reader: the sheets, their
header words (Chinese, with the English in each header cell's comment), and the Chinese words a
clerk picks from the drop-down lists for the contract's codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from demozone.submission.model import EVIDENCE_FIELDS

GUIDE = "说明"
HEADER = "基本信息"
METRICS = "指标数据"
OPERATORS = "规模以上经营者"
EVIDENCE = "证明材料"
JUDGMENTS = "评审意见"
SHEETS = (GUIDE, HEADER, METRICS, OPERATORS, EVIDENCE, JUDGMENTS)
READ_SHEETS = SHEETS[1:]  # the guide is for people only


@dataclass(frozen=True)
class Column:
    """One header cell: its Chinese word, the contract field it holds and the English comment."""

    zh: str
    field: str
    en: str


# 基本信息: one row per field, the label in column A and the value in column B
HEADER_ROWS = (
    Column("编号", "id", "id: the submission's id, a-z, 0-9 and -, e.g. wanrong-2024"),
    Column("创建对象名称", "region", "region: the county, city or district (创建对象)"),
    Column("地区分类", "region_class", "region_class: east | central | west | northeast"),
    Column("指标体系", "system", "system: the indicator system id"),
    Column("评估年度", "years", "years: the assessed years, ascending, e.g. 2023, 2024"),
)
HEADER_COLUMNS = (
    Column("项目", "", "field"),
    Column("填写内容", "", "value"),
    Column("填写说明", "", "how to fill it"),
)

# 指标数据: a row per metric or national comparator; year columns come after these four
METRIC_COLUMNS = (
    Column("数据项编号", "id", "metric id of the submission contract (or national_... comparator)"),
    Column("数据项名称", "", "name of the metric (for reading only)"),
    Column("单位", "", "unit (for reading only)"),
    Column("使用该数据的指标", "", "indicators whose rules read it (for reading only)"),
)
NO_YEAR = Column(
    "不分年度",
    "",
    "a value without a year: for a metric the last assessed year's, for a national comparator "
    "one value for every year",
)
YEAR_COMMENT = "the value for this year (growth needs the year before the first assessed year)"

OPERATOR_COLUMNS = (
    Column("经营者名称", "name", "name: the operator's registered name"),
    Column("达到规模年度", "year", "year: the assessed year it reached the threshold"),
    Column(
        "年网络交易额（亿元）",
        "annual_sales",
        "annual_sales: annual online sales, 100 million yuan",
    ),
)
EVIDENCE_COLUMNS = (
    Column("编号", "id", "id: unique within the submission, e.g. E1"),
    Column("标题", "title", "title: the document's title"),
    Column("类别", "kind", "kind: document | media_report | institutional_output | recognition"),
    Column("文件", "file", "file: path relative to the workbook, e.g. evidence/e1.pdf"),
    Column("发布单位", "issued_by", "issued_by: the issuing body"),
    Column("日期", "date", "date: YYYY-MM-DD"),
    Column("媒体级别", "level", "level (media_report only): national | provincial"),
    Column("制度类型", "type", "type (institutional_output only): 法规 | 规章 | 规范性文件 | 标准"),
    Column(
        "表彰形式",
        "form",
        "form (recognition only): 表彰表扬 | 领导批示 | 典型经验 | 会议交流 | 信息刊发",
    ),
    Column("sha256", "sha256", "sha256 of the file (optional; computed from the file when given)"),
)
# 评审意见: three described columns, then per assessor three columns under the assessor's id,
# which is written in row 2 above the first of them
CLAUSE_COLUMNS = (
    Column("条款编号", "clause", "clause: <indicator number>.<clause number>"),
    Column("指标", "", "the indicator (for reading only)"),
    Column("条款原文", "", "the clause's verbatim text (for reading only)"),
)
ASSESSOR_COLUMNS = (
    Column("是否满足", "satisfied", "satisfied: 是 (yes) or 否 (no); blank: not judged"),
    Column("证明材料编号", "evidence", "evidence: ids of the evidence items cited, e.g. E1, E2"),
    Column("评审说明", "note", "note: the assessor's remark"),
)
ASSESSOR_ROW_LABEL = Column(
    "评审专家",
    "assessor",
    "assessor: the id of the assessor whose columns follow, e.g. expert-li, and in the next "
    "cell the assessor's name (optional, printed in reports)",
)
JUDGMENT_FIRST_ROW = 3  # rows 1-2 are headers: the column words and the assessors' ids

REGION_CLASS_ZH = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}
KIND_ZH = {
    "document": "文件",
    "media_report": "媒体报道",
    "institutional_output": "制度成果",
    "recognition": "表彰认可",
}
LEVEL_ZH = {"national": "国家级", "provincial": "省级"}
YES, NO = "是", "否"
CHOICES_ZH = {  # evidence field -> allowed values as a clerk picks them
    "kind": tuple(KIND_ZH.values()),
    "level": tuple(LEVEL_ZH.values()),
    "type": EVIDENCE_FIELDS["institutional_output"][1],
    "form": EVIDENCE_FIELDS["recognition"][1],
}

_YEAR = re.compile(r"^(\d{4})\s*年?(度)?$")
_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


def code_of(text: str, words: dict[str, str]) -> str:
    """The contract code of a Chinese word (or the code itself); unknown text unchanged."""
    for code, word in words.items():
        if text in (word, f"{word}地区"):
            return code
    return text


def year_of(value: object) -> int | None:
    """A header year: 2023, "2023", "2023年", "2023年度"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1990 <= value <= 2100 else None
    if isinstance(value, float) and value.is_integer():
        return year_of(int(value))
    match = _YEAR.match(str(value).strip()) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def split_list(text: str) -> list[str]:
    """Items of a list written in one cell: "E1, E2", "E1，E2", "E1、E2" or one per line."""
    return [part for part in _LIST_SEPARATORS.split(text.strip()) if part]


def matches(column: Column, text: str) -> bool:
    """A header cell names this column in Chinese or by its contract field."""
    return text == column.zh or (bool(column.field) and text == column.field)
