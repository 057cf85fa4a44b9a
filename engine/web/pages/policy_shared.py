"""What the policy room's pages share: who may read and who may write, the policy folder
dependency, the selectable rule sets, and the room's own words (merged into i18n.UI_STRINGS)."""

from __future__ import annotations

from fastapi import Request

from demozone import api
from demozone.web import deps, i18n

ROOM = "room.policy"
WRITERS = ("policy", "admin")  # add a variant to the policy folder
READERS = (*WRITERS, "auditor")  # every page, and impact runs (they write nothing)


def policy_folder(request: Request):
    """The store's policy folder, searched first for rule sets in this process (a dependency
    of every policy route, so the variants placed there are selectable)."""
    return api.use_policy_rules(deps.store_location(request))


def rule_set_ids() -> list[str]:
    """Every selectable rule set id, each once, in lookup order."""
    return list(dict.fromkeys(row["id"] for row in api.rule_sets() if not row["shadowed_by"]))


WORDS: dict[str, dict[str, str]] = {
    "policy.systems": {"zh": "指标体系", "en": "Indicator systems"},
    "policy.rule_sets": {"zh": "计分规则及变体", "en": "Rule sets and variants"},
    "policy.nav.index": {"zh": "体系与规则", "en": "Systems and rules"},
    "policy.nav.diff": {"zh": "体系比较", "en": "Compare systems"},
    "policy.nav.impact": {"zh": "影响分析", "en": "Impact"},
    "policy.nav.lint": {"zh": "规则检查", "en": "Lint"},
    "policy.nav.upload": {"zh": "上传变体", "en": "Upload a variant"},
    "policy.col.id": {"zh": "编号", "en": "ID"},
    "policy.col.status": {"zh": "状态", "en": "Status"},
    "policy.col.indicators": {"zh": "指标数", "en": "Indicators"},
    "policy.col.points": {"zh": "分值", "en": "Points"},
    "policy.col.pass": {"zh": "合格标准", "en": "Pass rule"},
    "policy.col.lineage": {"zh": "沿革", "en": "Lineage"},
    "policy.col.title": {"zh": "标题", "en": "Title"},
    "policy.col.extends": {"zh": "基础规则", "en": "Extends"},
    "policy.col.scores": {"zh": "所评体系", "en": "Scores"},
    "policy.col.origin": {"zh": "来源", "en": "From"},
    "policy.col.file": {"zh": "文件", "en": "File"},
    "policy.col.note": {"zh": "说明", "en": "Notes"},
    "policy.col.number": {"zh": "序号", "en": "No."},
    "policy.col.indicator": {"zh": "指标", "en": "Indicator"},
    "policy.col.clauses": {"zh": "评估内容（条款原文）", "en": "Clauses (verbatim)"},
    "policy.col.rules": {"zh": "计分规则", "en": "Scoring rules"},
    "policy.col.severity": {"zh": "级别", "en": "Severity"},
    "policy.col.code": {"zh": "代码", "en": "Code"},
    "policy.col.where": {"zh": "位置", "en": "Where"},
    "policy.col.message": {"zh": "说明", "en": "Message"},
    "policy.col.submission": {"zh": "申报材料", "en": "Submission"},
    "policy.col.region": {"zh": "地区", "en": "Region"},
    "policy.col.total": {"zh": "总分 A → B", "en": "Total A → B"},
    "policy.col.verdict": {"zh": "合格 A → B", "en": "Verdict A → B"},
    "policy.col.flip": {"zh": "结论改变及原因", "en": "Flip and its cause"},
    "policy.col.moved": {"zh": "得分变化的指标及规则变化", "en": "Indicators moved, and why"},
    "policy.col.assessment": {"zh": "最近评估", "en": "Latest assessment"},
    "policy.col.usable": {"zh": "可否使用", "en": "Usable"},
    "policy.shadowed": {"zh": "被同名规则覆盖：", "en": "shadowed by "},
    "policy.unfix": {"zh": "解除固定：", "en": "unfixed: "},
    "policy.folder": {"zh": "政策文件夹", "en": "Policy folder"},
    "policy.added": {"zh": "已添加变体", "en": "Variant added"},
    "policy.open": {"zh": "查看", "en": "open"},
    "policy.a": {"zh": "比较前（A）", "en": "before (A)"},
    "policy.b": {"zh": "比较后（B）", "en": "after (B)"},
    "policy.compare": {"zh": "比较", "en": "Compare"},
    "policy.memo": {"zh": "比较说明", "en": "Memo"},
    "policy.lint_errors": {
        "zh": "规则检查发现错误，结果仅供参考",
        "en": "lint found errors: read the results with them in mind",
    },
    "policy.lint.all": {"zh": "全部规则", "en": "every rule set"},
    "policy.lint.run": {"zh": "检查", "en": "Check"},
    "policy.lint.ok": {"zh": "通过", "en": "ok"},
    "policy.lint.failed": {"zh": "有错误", "en": "has errors"},
    "policy.lint.counts": {
        "zh": "错误{e}项，警告{w}项，说明{n}项",
        "en": "{e} errors, {w} warnings, {n} notes",
    },
    "policy.severity.error": {"zh": "错误", "en": "error"},
    "policy.severity.warning": {"zh": "警告", "en": "warning"},
    "policy.severity.info": {"zh": "说明", "en": "note"},
    "policy.defect": {"zh": "来源文件缺陷，记载于", "en": "source defect, documented at"},
    "policy.impact.stored": {"zh": "存储中的申报材料", "en": "Stored submissions"},
    "policy.impact.stored_note": {
        "zh": "存储只记录申报材料的位置和 sha256：文件仍在原处且未被修改的才能使用。",
        "en": "The store keeps a submission's path and sha256: only files still there, "
        "unchanged, can be used.",
    },
    "policy.impact.none_stored": {
        "zh": "存储中尚无评估记录。",
        "en": "The store holds no assessments yet.",
    },
    "policy.impact.examples": {"zh": "示例申报材料", "en": "Example submissions"},
    "policy.impact.upload": {"zh": "上传申报材料", "en": "Upload submissions"},
    "policy.impact.run": {"zh": "分析影响", "en": "Run impact"},
    "policy.impact.none_chosen": {
        "zh": "请至少选择一份申报材料",
        "en": "Choose at least one submission",
    },
    "policy.impact.summary": {
        "zh": "共 {n} 份；A 下合格 {pa} 份，B 下合格 {pb} 份；合格→不合格 {pf} 份，不合格→合格 {fp} 份",
        "en": "{n} submissions; {pa} pass under A, {pb} under B; pass → fail {pf}, fail → pass {fp}",
    },
    "policy.impact.rejected": {
        "zh": "无法处理的申报材料",
        "en": "Submissions that could not be used",
    },
    "policy.impact.pass_rule": {"zh": "合格标准变化", "en": "Pass rule changes"},
    "policy.impact.files": {"zh": "个文件", "en": "files"},
    "policy.pass": {"zh": "合格", "en": "pass"},
    "policy.fail": {"zh": "不合格", "en": "fail"},
    "policy.yes": {"zh": "可用", "en": "usable"},
    "policy.upload.file": {
        "zh": "规则文件（.yaml）或规则表（.xlsx）",
        "en": "Rule file (.yaml) or rule workbook (.xlsx)",
    },
    "policy.upload.base": {"zh": "基础规则（规则表）", "en": "Base rule set (workbook)"},
    "policy.upload.id": {"zh": "变体编号（规则表）", "en": "Variant id (workbook)"},
    "policy.upload.submit": {"zh": "检查并上传", "en": "Lint and upload"},
    "policy.upload.note": {
        "zh": "上传前先进行规则检查：有错误的变体不会被采用，也不会写入政策文件夹。",
        "en": "Every variant is linted first: one with errors is refused and nothing is written.",
    },
    "policy.upload.refused": {
        "zh": "规则检查发现错误，变体未被采用",
        "en": "Lint found errors: the variant was refused",
    },
    "policy.upload.readonly": {
        "zh": "您的角色只能查看，不能上传变体。",
        "en": "Your role may read but not upload variants.",
    },
    "policy.missing": {"zh": "没有这个规则", "en": "No such rule set"},
}

i18n.UI_STRINGS.update(WORDS)
