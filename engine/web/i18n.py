"""The language of the pages: Chinese by default, English with ?lang=en (kept in a cookie).

UI_STRINGS holds the interface's own words; a room adds its words here (the Chinese verbatim,
the English for reference). In a template: {{ t("key") }}.
"""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("zh", "en")
COOKIE = "dz_lang"

UI_STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"zh": "示范区评估工作台", "en": "Demonstration zone workspace"},
    "login.title": {"zh": "登录", "en": "Log in"},
    "login.about": {
        "zh": "网络市场监管与服务示范区创建评估工作台：评估专家上传申报材料、逐条评审并出具评分表，"
        "政策人员比较指标体系与计分规则，审计人员核验每一项评估的来源与复现。请使用分配给您的账号登录。",
        "en": "The workspace for assessing online market regulation and service demonstration "
        "zones: assessors upload submissions, judge them clause by clause and issue the score "
        "sheet; policy staff compare systems and scoring rules; auditors check where each "
        "assessment comes from and that it is reproduced. Log in with the account you were given.",
    },
    "login.username": {"zh": "用户名", "en": "User name"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Log in"},
    "login.failed": {"zh": "用户名或密码错误", "en": "Wrong user name or password"},
    "logout": {"zh": "退出登录", "en": "Log out"},
    "home.title": {"zh": "我的工作室", "en": "My rooms"},
    "home.none": {"zh": "您的角色没有可用的工作室。", "en": "Your role has no rooms."},
    "role.assessor": {"zh": "评估专家", "en": "Assessor"},
    "role.policy": {"zh": "政策人员", "en": "Policy staff"},
    "role.auditor": {"zh": "审计人员", "en": "Auditor"},
    "role.admin": {"zh": "管理员", "en": "Administrator"},
    "room.assessor": {"zh": "评估工作室", "en": "Assessment room"},
    "room.policy": {"zh": "政策工作室", "en": "Policy room"},
    "room.auditor": {"zh": "审计工作室", "en": "Audit room"},
    "room.admin": {"zh": "管理工作室", "en": "Administration room"},
    "room.todo": {"zh": "本工作室的页面正在建设中。", "en": "This room's pages are being built."},
    "assessor.assigned": {"zh": "分配给我的申报材料", "en": "Submissions assigned to me"},
    "admin.users": {"zh": "用户", "en": "Users"},
    "admin.add": {"zh": "添加用户", "en": "Add a user"},
    "col.number": {"zh": "序号", "en": "No."},
    "col.name": {"zh": "名称", "en": "Name"},
    "col.role": {"zh": "角色", "en": "Role"},
    "col.state": {"zh": "状态", "en": "State"},
    "col.submission": {"zh": "申报材料", "en": "Submission"},
    "state.enabled": {"zh": "启用", "en": "enabled"},
    "state.disabled": {"zh": "已停用", "en": "disabled"},
    "lang.switch": {"zh": "English", "en": "中文"},
    "error.forbidden": {"zh": "您的角色无权访问此页面", "en": "Your role may not open this page"},
    "error.csrf": {"zh": "表单已失效，请刷新页面后重试", "en": "The form expired: reload the page"},
    "error.login": {"zh": "请先登录", "en": "Please log in"},
    "docs.title": {"zh": "接口文档", "en": "API documentation"},
}


# the punctuation around the interface's words: full-width in Chinese, ASCII in English
PUNCTUATION: dict[str, dict[str, str]] = {
    "zh": {"colon": "：", "semi": "；", "open": "（", "close": "）"},
    "en": {"colon": ": ", "semi": "; ", "open": " (", "close": ")"},
}


def language(request: Request) -> str:
    """The language of this request: ?lang=, else the cookie, else zh."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get(COOKIE)
    return kept if kept in LANGUAGES else "zh"


def translate(key: str, lang: str) -> str:
    """The UI string `key` in `lang` (Chinese when there is no English; the key when unknown)."""
    words = UI_STRINGS.get(key)
    if words is None:
        return key
    return words.get(lang) or words["zh"]
