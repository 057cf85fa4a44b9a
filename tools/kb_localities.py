"""What the locality documents say besides their indicator tables, and the SAMR procedure."""

from __future__ import annotations

import re

import kb_manual as manual
from kb_text import Source, unit_names

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """一 .. 九十九 in the forms the documents use (十一, 二十, 二十四)."""
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def units_block(src: Source, start: int, end: int) -> dict:
    names = unit_names(src, start, end)
    return {
        "text": src.text[start:end],
        "names": [src.text[s:e] for s, e in names],
    }


def sections_and_tasks(
    src: Source,
    start: int,
    end: int,
    section_re: str,
    units_open: str,
    units_close: str,
    indicators: dict[int, list[int]] | None,
) -> tuple[list[dict], list[dict]]:
    """Tasks numbered "N." under section headings; each: title (to the first 。), text, units."""
    t = src.text
    sections = []
    for m in re.compile(section_re, re.M).finditer(t, start, end):
        s, e = src.trim(m.start(2), m.end(2))
        sections.append(
            {
                "number": cn_number(m.group(1)),
                "heading": t[s:e],
                "anchors": [src.anchor("section", s, e)],
                "_pos": m.start(),
            }
        )
    starts = list(re.compile(r"^(\d+)\.\s?(\*\*)?", re.M).finditer(t, start, end))
    tasks = []
    for i, m in enumerate(starts):
        stop = starts[i + 1].start() if i + 1 < len(starts) else end
        for sec in sections:
            if m.start() < sec["_pos"] < stop:
                stop = sec["_pos"]
        title_end = t.index("。", m.end(), stop)
        body_start = title_end + 1
        if m.group(2):  # **title。**
            body_start = t.index("**", title_end) + 2
        u_open = t.index(units_open, body_start, stop)
        u_start = u_open + len(units_open)
        close = [
            p for p in (t.find(units_close, u_start, stop), t.find("\n", u_start, stop)) if p >= 0
        ]
        u_end = min(close) if close else stop
        u_start, u_end = src.trim(u_start, u_end)
        body = src.pieces(body_start, u_open)
        section = max((s for s in sections if s["_pos"] < m.start()), key=lambda s: s["_pos"])
        task = {
            "number": int(m.group(1)),
            "section": section["number"],
            "section_heading": section["heading"],
            "title": t[m.end() : title_end],
            "text": src.joined(body),
            "units": units_block(src, u_start, u_end),
        }
        if indicators is not None:
            task["indicators"] = indicators.get(int(m.group(1)), [])
        task["anchors"] = [
            src.anchor("title", m.end(), title_end),
            *src.anchors("text", body),
            src.anchor("units", u_start, u_end),
        ]
        tasks.append(task)
    for s in sections:
        del s["_pos"]
    return sections, tasks


def document(src: Source, parts: list[str], **fields) -> dict:
    """The document's title, anchored at its first occurrence (a title split in the source: one
    anchor per part, the parts found in order)."""
    anchors, pos = [], 0
    for part in parts:
        pos = src.find(part, pos)
        anchors.append(src.anchor("title", pos, pos + len(part)))
        pos += len(part)
    note = fields.pop("note", None)
    out = {"title": "".join(parts), **fields}
    if note:
        out["note"] = note
    out["anchors"] = anchors
    return out


# --- Hejin ---------------------------------------------------------------------------------------

POSTS = ["常务副部长", "党委副书记", "副局长", "局长", "主任", "行长", "副市长", "市长"]
ROLES = {"组长": "leader", "副组长": "deputy_leader", "成员": "member"}


def hejin(h: Source) -> dict:
    t = h.text
    group = h.find("\n河津市贯彻落实运城市创建全国网络市场监管与服务示范区工作领导小组\n") + 1
    group_end = t.index("\n", group)
    start = h.find("组\t长：")
    office = h.find("领导小组下设办公室，办公室设在市市场监管局", start)
    members, role = [], None
    pos = start
    while pos < office:
        line_end = t.index("\n", pos)
        ls, le = h.trim(pos, line_end)
        if le > ls:
            line = t[ls:le]
            colon = line.find("：")
            if colon >= 0:
                role = ROLES[re.sub(r"\s", "", line[:colon])]
                rest = ls + colon + 1
                name_end = t.index("\t", rest, le)
                name, position = (rest, name_end), h.trim(name_end, le)
            elif "\t" in line:
                tab = t.index("\t", ls, le)
                name, position = (ls, tab), h.trim(tab, le)
            else:
                sp = t.rindex(" ", ls, le)
                name, position = h.trim(ls, sp), h.trim(sp, le)
            ptext = t[slice(*position)]
            post = next(p for p in POSTS if ptext.endswith(p))
            members.append(
                {
                    "role": role,
                    "name": t[slice(*name)],
                    "position": ptext,
                    "unit": ptext[: -len(post)] or None,
                    "post": post,
                    "anchors": [h.anchor("person", *name), h.anchor("position", *position)],
                }
            )
        pos = line_end + 1
    office_end = t.index("。", office) + 1
    loc = h.find("市市场监管局", office)
    director = h.find("市市场监管局局长", office)
    sections, tasks = sections_and_tasks(
        h,
        h.find("三、主要任务"),
        h.find("四、组织保障"),
        r"^（([一二三四五六七八九十]+)）(.+)$",
        "（责任单位：",
        "）",
        manual.HEJIN_TASK_INDICATORS,
    )
    assert len(tasks) == 21, len(tasks)
    return {
        "id": "hejin",
        "locality": "河津市",
        "sources": ["hejin"],
        "document": document(
            h,
            ["河津市贯彻落实《运城市创建全国网络市场监管与服务示范区工作方案》实施办法"],
            number="河政发〔2023〕7号",
            date="2023-04-10",
        ),
        "leading_group": {
            "name": t[group:group_end],
            "anchors": [h.anchor("title", group, group_end)],
            "members": members,
            "office": {
                "text": t[office:office_end],
                "located_in": "市市场监管局",
                "director": "市市场监管局局长",
                "anchors": [
                    h.anchor("text", office, office_end),
                    h.anchor("units", loc, loc + len("市市场监管局")),
                    h.anchor("position", director, director + len("市市场监管局局长")),
                ],
            },
        },
        "sections": sections,
        "tasks": tasks,
    }


# --- Liangdang -----------------------------------------------------------------------------------


def _months(text: str) -> tuple[str | None, str | None, bool]:
    ym = [f"{y}-{int(m):02d}" for y, m in re.findall(r"(\d{4})年(\d{1,2})月", text)]
    if re.fullmatch(r"\d{4}年\d{1,2}月至\d{4}年\d{1,2}月", text):
        return ym[0], ym[1], False
    if re.fullmatch(r"\d{4}年\d{1,2}月", text):
        return ym[0], ym[0], False
    return None, ym[-1] if ym else None, True


def liangdang(ld: Source) -> dict:
    t = ld.text
    sections, tasks = sections_and_tasks(
        ld,
        ld.find("四、创建任务"),
        ld.find("五、创建步骤"),
        r"^\(([一二三四五六七八九十]+)\)(.+)$",
        "(责任单位:",
        ")",
        None,
    )
    assert len(tasks) == 21, len(tasks)
    stages = []
    s0, s1 = ld.find("五、创建步骤"), ld.find("六、创建机制")
    stage_re = re.compile(r"^\(([一二三四五])\)(.+?阶段):?\((.+?)\)。?(.*)$", re.M)
    for m in stage_re.finditer(t, s0, s1):
        frm, to, damaged = _months(m.group(3))
        d = ld.trim(m.start(4), m.end(4))
        stage = {
            "number": cn_number(m.group(1)),
            "name": m.group(2),
            "period": m.group(3),
            "from": frm,
            "to": to,
        }
        if damaged:
            stage["note"] = (
                "the period is damaged in the source (202432024年6月, probably "
                "2024年3月至2024年6月); only its end is read"
            )
        stage["description"] = t[slice(*d)]
        stage["anchors"] = [
            ld.anchor("title", m.start(2), m.end(2)),
            ld.anchor("period", m.start(3), m.end(3)),
            ld.anchor("text", *d),
        ]
        stages.append(stage)
    assert len(stages) == 5, stages
    tf = ld.find("(一)建立专班推进机制。")
    convener = ld.find("政府分管领导", tf)
    dep_s = t.index("召集人,", tf) + len("召集人,")
    dep_e = t.index("主要负责人为副召集人", dep_s)
    mem_s = t.index("副召集人,", dep_e) + len("副召集人,")
    mem_e = t.index("主要负责人为成员的创建工作专班", mem_s)
    office = ld.find("办公室设在市场监管局", tf) + len("办公室设在")
    director = ld.find("孟龙杰", tf)
    deputies = ld.find("刘陇强李亮", tf)
    duty = ld.find("负责对示范区创建工作的统一领导", tf)
    duty_end = t.index("。", duty)
    task_force = {
        "name": "创建工作专班",
        "duties": t[duty:duty_end],
        "convener": {
            "text": "政府分管领导",
            "anchors": [ld.anchor("position", convener, convener + 6)],
        },
        "deputy_conveners": {
            **units_block(ld, dep_s, dep_e),
            "post": "主要负责人",
            "anchors": [ld.anchor("units", dep_s, dep_e)],
        },
        "members": {
            **units_block(ld, mem_s, mem_e),
            "post": "主要负责人",
            "anchors": [ld.anchor("units", mem_s, mem_e)],
        },
        "office": {
            "located_in": "市场监管局",
            "director": "孟龙杰",
            "deputy_directors_text": "刘陇强李亮",
            "deputy_directors": ["刘陇强", "李亮"],
            "note": "the source runs the two deputy directors' names together (刘陇强李亮); the "
            "split into 刘陇强 and 李亮 is a reading",
            "anchors": [
                ld.anchor("units", office, office + 5),
                ld.anchor("person", director, director + 3),
                ld.anchor("person", deputies, deputies + 5),
            ],
        },
        "anchors": [ld.anchor("text", duty, duty_end)],
    }
    return {
        "id": "liangdang",
        "locality": "两当县",
        "sources": ["liangdang"],
        "document": document(
            ld,
            ["两当县创建“全国网络", "市场监管与服务示范区”工作方案"],
            date="2024-04-30",
            note="the source's first line breaks the title with a space after 全国网络",
        ),
        "stages": stages,
        "task_force": task_force,
        "sections": sections,
        "tasks": tasks,
        "targets": targets(ld, manual.LIANGDANG_TARGETS),
    }


# --- targets (Yantai, Liangdang) -----------------------------------------------------------------


def targets(src: Source, spec: list[dict]) -> list[dict]:
    out = []
    for s in spec:
        q = s["quote"]
        where = src.find_all(q)
        if not where:
            raise ValueError(f"{src.id}: target quote not found: {q}")
        chosen = where if s["occurrence"] is None else [where[s["occurrence"]]]
        item = {k: v for k, v in s.items() if k not in ("quote", "occurrence", "note")}
        item = {"id": s["id"], "text": q, **{k: v for k, v in item.items() if k != "id"}}
        if s.get("note"):
            item["note"] = s["note"]
        item["anchors"] = [src.anchor("target", p, p + len(q)) for p in chosen]
        out.append(item)
    return out


def yantai(y: Source) -> dict:
    t = y.text
    spam = y.find("365bet")
    spam_end = t.index("认定", spam)
    period = y.find("创建工作从2022年10月启动,到2024年12月结束")
    period_end = period + len("创建工作从2022年10月启动,到2024年12月结束")
    phases = y.find("分启动、创建、验收三个阶段实施")
    goals = []
    for m in re.compile(r"^——(.+?)。", re.M).finditer(t):
        goals.append({"name": m.group(1), "anchors": [y.anchor("title", m.start(1), m.end(1))]})
    return {
        "id": "yantai",
        "locality": "烟台市",
        "sources": ["yantai"],
        "document": document(
            y, ["烟台市创建全国网络市场监管与服务示范区工作方案"], kind="press-report"
        ),
        "creation_period": {
            "text": t[period:period_end],
            "from": "2022-10",
            "to": "2024-12",
            "phases": ["启动", "创建", "验收"],
            "anchors": [
                y.anchor("period", period, period_end),
                y.anchor("text", phases, phases + len("分启动、创建、验收三个阶段实施")),
            ],
        },
        "goals": goals,
        "targets": targets(y, manual.YANTAI_TARGETS),
        "source_defects": [
            {
                "source": "yantai",
                "kind": "web_spam",
                "text": t[spam:spam_end],
                "should_read": "总局",
                "note": "a gambling-site spam string stands where 国家市场监管总局 should read "
                "(经国家市场监管总局认定); the text is kept as published",
                "anchors": [y.anchor("defect", spam, spam_end)],
            }
        ],
    }


# --- the SAMR procedure (003) ------------------------------------------------------------------


def procedure(s: Source) -> dict:
    t = s.text
    end = s.find("\n附件：")
    art_re = re.compile(r"^(第([一二三四五六七八九十]+)条)\s*（(.+?)）\s*", re.M)
    found = list(art_re.finditer(t, 0, end))
    articles, spans = [], {}
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else end
        body = s.trim(m.end(), stop)
        n = cn_number(m.group(2))
        spans[n] = body
        articles.append(
            {
                "number": n,
                "label": m.group(1),
                "heading": m.group(3),
                "text": t[slice(*body)],
                "anchors": [
                    s.anchor("number", m.start(1), m.end(1)),
                    s.anchor("heading", m.start(3), m.end(3)),
                    s.anchor("text", *body),
                ],
            }
        )
    assert [a["number"] for a in articles] == list(range(1, 25))
    steps = []
    for sid, label_en, art, quote, params in manual.PROCEDURE_STEPS:
        a, b = spans[art]
        pos = s.find(quote, a, b)
        step = {"id": sid, "label_en": label_en, "article": art}
        if params:
            step["parameters"] = params
        step["text"] = quote
        step["anchors"] = [s.anchor("step", pos, pos + len(quote))]
        steps.append(step)
    title_end = t.index("（征求意见稿）") + len("（征求意见稿）")
    return {
        "id": "samr-2024-measures",
        "title": "网络市场监管与服务示范区创建管理办法（征求意见稿）",
        "title_en": "Measures for the creation of online market regulation and service "
        "demonstration zones (draft for comment)",
        "sources": ["samr-2024"],
        "system": "national-2024-draft",
        "anchors": [
            s.anchor("title", *s.trim(m.start(), m.end()))
            for m in re.compile(r"[^\n]+").finditer(t, 0, title_end)
        ],
        "articles": articles,
        "steps": steps,
    }
