"""The 说明 sheet: how to fill the workbook, in Chinese with the English beside it."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from demozone.submission.workbook import layout
from demozone.submission.workbook.plan import Plan

_LINES = (
    ("填写说明", "How to fill this workbook"),
    (
        "本工作簿是一份申报材料：每个工作表对应提交格式的一个部分，表头为中文，英文见表头单元格的批注。",
        "This workbook is one submission: each sheet is a section of the submission format; "
        "headers are Chinese, with the English in each header cell's comment.",
    ),
    (
        "基本信息：填写编号、创建对象名称，从下拉列表选择地区分类和指标体系，填写评估年度（如 2023, 2024）。",
        "基本信息: the id, the region, its class and system (drop-down lists), the assessed years.",
    ),
    (
        "指标数据：每行一个数据项，按年度填写；比率填百分比（如 97.5%）；增速需要评估期前一年的数值；"
        "未提交的数据项留空（计0分并注明缺少的数据）。以 national_ 开头的行是全国对比数据，"
        "留空时使用知识库中的全国数据。",
        "指标数据: one row per metric, a value per year; rates as percentages; leave a metric "
        "blank when it is not submitted. Rows starting national_ are national comparators.",
    ),
    (
        "规模以上经营者：每行一个经营者，填写名称、达到规模的年度（须为评估年度）和年网络交易额（亿元）。",
        "规模以上经营者: one operator per row: name, year (an assessed year), annual sales (亿元).",
    ),
    (
        "证明材料：每行一项，编号不得重复；文件路径相对于本工作簿所在文件夹；"
        "媒体级别、制度类型、表彰形式只对相应类别填写。",
        "证明材料: one item per row, ids unique; file paths relative to this workbook's folder.",
    ),
    (
        "评审意见：每行一个需要评审专家评判的条款（条款原文照录）；第2行填写评审专家编号，"
        "编号右侧一格可填写专家姓名（报告中显示姓名）；其下三列为该专家的意见：是否满足（是/否）、引用的证明材料编号（如 E1, E2）、评审说明。"
        "认定满足时须引用证明材料。不评判的条款留空。",
        "评审意见: one row per judged clause; row 2 holds each assessor's id (and, in the next "
        "cell, the assessor's name, optional), above three columns: 是/否, the evidence ids cited (required for 是), a note.",
    ),
    (
        "读取规则：公式按其保存的计算结果读取；全角数字和％按半角读取并提示；空行、合并单元格、"
        "首尾空格均可；所有错误一次列出，并注明工作表和单元格（如 指标数据!E7）。",
        "Formulas are read from their saved values; full-width digits and ％ are read as "
        "half-width (and said so); every error names its sheet and cell.",
    ),
)


def write_guide(ws: Worksheet, plan: Plan, years) -> None:
    ws.title = layout.GUIDE
    ws.cell(row=1, column=1, value=f"{plan.title}（{plan.system}）申报材料").font = Font(
        bold=True, size=14
    )
    ws.cell(row=2, column=1, value=f"评估年度 assessed years: {', '.join(map(str, years))}")
    for row, (zh, en) in enumerate(_LINES, start=4):
        ws.cell(row=row, column=1, value=zh).alignment = Alignment(wrap_text=True)
        ws.cell(row=row, column=2, value=en).alignment = Alignment(wrap_text=True)
    ws.cell(row=4, column=1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 80
    ws.column_dimensions["B"].width = 60
