"""The audit room's words (Chinese verbatim, English for reference), merged into
i18n.UI_STRINGS by pages/auditor.py."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "audit.assessments": {"zh": "全部评估记录", "en": "Every assessment"},
    "audit.none": {"zh": "存储中还没有评估记录。", "en": "The store holds no assessment yet."},
    "audit.assessment": {"zh": "评估记录", "en": "Assessment"},
    "audit.system": {"zh": "指标体系", "en": "System"},
    "audit.total": {"zh": "总分", "en": "Total"},
    "audit.verdict": {"zh": "评估结论", "en": "Verdict"},
    "audit.pass": {"zh": "合格", "en": "pass"},
    "audit.fail": {"zh": "不合格", "en": "fail"},
    "audit.time": {"zh": "记录时间", "en": "Recorded"},
    "audit.engine": {"zh": "计算引擎", "en": "Engine"},
    "audit.history": {"zh": "评估历史", "en": "History"},
    "audit.history_of": {"zh": "申报材料的评估历史", "en": "History of the submission"},
    "audit.open": {"zh": "查看", "en": "Open"},
    "audit.indicators": {"zh": "各指标得分与溯源图", "en": "Indicator scores and provenance"},
    "audit.indicator": {"zh": "指标", "en": "Indicator"},
    "audit.score": {"zh": "得分", "en": "Score"},
    "audit.points": {"zh": "分值", "en": "Points"},
    "audit.graph": {"zh": "溯源图", "en": "Provenance graph"},
    "audit.graph_of": {"zh": "指标溯源图", "en": "Provenance graph of indicator"},
    "audit.graph_help": {
        "zh": "从得分到事实、证据、评审专家和原文段落；点击节点查看详情，可拖动、缩放。",
        "en": "From the score to facts, evidence, assessors and the source passage; click a "
        "node for its details; drag and zoom.",
    },
    "audit.node": {"zh": "节点详情", "en": "Node details"},
    "audit.node_none": {"zh": "请点击图中的节点。", "en": "Click a node of the graph."},
    "audit.counts": {"zh": "节点数量（按类型）", "en": "Nodes by type"},
    "audit.verify": {"zh": "回执核验", "en": "Receipt check"},
    "audit.verify_help": {
        "zh": "按记录的输入（申报材料、规则文件、知识库、证据）重新计算，并核对摘要、哈希链和签名。",
        "en": "Re-scored from the recorded inputs (submission, rule files, knowledge base, "
        "evidence); digest, hash chain and signature checked.",
    },
    "audit.reproduced": {"zh": "已复现", "en": "Reproduced"},
    "audit.differs": {"zh": "有差异", "en": "Differs"},
    "audit.check": {"zh": "核验项", "en": "Check"},
    "audit.other": {"zh": "相关记录", "en": "Related"},
    "audit.message": {"zh": "差异", "en": "Difference"},
    "audit.notes": {"zh": "说明", "en": "Notes"},
    "audit.export": {"zh": "导出", "en": "Export"},
    "audit.export_ttl": {"zh": "导出 Turtle", "en": "Export Turtle"},
    "audit.export_jsonld": {"zh": "导出 JSON-LD", "en": "Export JSON-LD"},
    "audit.sparql": {"zh": "SPARQL 只读查询", "en": "Read-only SPARQL"},
    "audit.sparql_help": {
        "zh": "只读：不允许修改存储；每次查询最多 {seconds} 秒、{rows} 行。"
        "存储中的评估记录省略可由节点标识推出的三元组（如规则触发、判例、得分、事实的类型）；"
        "完整的溯源图请导出。",
        "en": "Read-only: the store is never changed; at most {seconds} s and {rows} rows "
        "per query. The store keeps each assessment without the triples its nodes' IRIs imply "
        "(such as the types of rule firings, cases, scores and facts): export an assessment "
        "for its whole provenance graph.",
    },
    "audit.run": {"zh": "查询", "en": "Run"},
    "audit.rows": {"zh": "结果：{n} 行", "en": "Results: {n} rows"},
    "audit.truncated": {
        "zh": "结果超过 {rows} 行，只显示前 {rows} 行。",
        "en": "More than {rows} rows: the first {rows} are shown.",
    },
    "audit.ask_true": {"zh": "ASK 结果：是", "en": "ASK: true"},
    "audit.ask_false": {"zh": "ASK 结果：否", "en": "ASK: false"},
    "audit.changes": {"zh": "变化记录", "en": "Changes"},
    "audit.back": {"zh": "返回全部评估记录", "en": "Back to every assessment"},
}
