"""The list sheets of a workbook read into the document: 规模以上经营者 and 证明材料 (a row per
item), 评审意见 (a row per clause, three columns per assessor, the assessor's id in row 2)."""

from __future__ import annotations

from demozone.submission.workbook import layout
from demozone.submission.workbook.cells import SheetCells

_TRUE = {layout.YES, "true", "yes", "y", "满足"}
_FALSE = {layout.NO, "false", "no", "n", "不满足"}


def find_columns(sheet: SheetCells, row: int, required, optional=()) -> dict[str, int]:
    """Column index by field (or Chinese word when a column has no field) of the header row;
    a missing required column is a problem at the header row."""
    found: dict[str, int] = {}
    for column in range(1, sheet.max_column + 1):
        text = sheet.text(row, column)
        for word in (*required, *optional):
            if text is not None and layout.matches(word, text):
                found.setdefault(word.field or word.zh, column)
    for word in required:
        if (word.field or word.zh) not in found:
            sheet.findings.problem(
                sheet.ref(row, 1),
                f"sheet {sheet.name} has no column {word.zh} ({word.field})",
                f"工作表“{sheet.name}”缺少“{word.zh}”栏",
                "、".join(w.zh for w in required),
            )
    return found


def read_operators(sheet: SheetCells, cells: dict) -> list:
    columns = find_columns(sheet, 1, layout.OPERATOR_COLUMNS)
    sheet.check_merges(1, set(columns.values()))
    if len(columns) < len(layout.OPERATOR_COLUMNS):
        return []
    items = []
    for row in range(2, sheet.max_row + 1):
        if sheet.row_blank(row, columns.values()):
            continue
        path = f"operators[{len(items)}]"
        item = {
            "name": sheet.text(row, columns["name"]),
            "year": _year(sheet.value(row, columns["year"], code=True)),
            "annual_sales": sheet.value(row, columns["annual_sales"], code=True),
        }
        cells[path] = sheet.ref(row, columns["name"])
        for name, column in columns.items():
            cells[f"{path}.{name}"] = sheet.ref(row, column)
        items.append(item)
    return items


def _year(value):
    year = layout.year_of(value) if isinstance(value, str | int) else None
    return year if year is not None else value


def read_evidence(sheet: SheetCells, cells: dict) -> list:
    required = layout.EVIDENCE_COLUMNS[:3]
    columns = find_columns(sheet, 1, required, layout.EVIDENCE_COLUMNS[3:])
    sheet.check_merges(1, set(columns.values()))
    if any(word.field not in columns for word in required):
        return []
    items = []
    for row in range(2, sheet.max_row + 1):
        if sheet.row_blank(row, columns.values()):
            continue
        path = f"evidence[{len(items)}]"
        item: dict = {}
        for name, column in columns.items():
            value = sheet.value(row, column, code=name in ("id", "kind", "level", "sha256", "date"))
            cells[f"{path}.{name}"] = sheet.ref(row, column)
            if value is None and name not in ("id", "title", "kind"):
                continue
            item[name] = _evidence_value(name, value)
        cells[path] = sheet.ref(row, columns["id"])
        items.append(item)
    return items


def _evidence_value(name: str, value):
    if value is None:
        return None
    if name == "kind":
        return layout.code_of(str(value), layout.KIND_ZH)
    if name == "level":
        return layout.code_of(str(value), layout.LEVEL_ZH)
    return str(value)


def read_judgments(sheet: SheetCells, cells: dict, names: dict | None = None) -> list:
    """The judgments, a row per clause and a group of columns per assessor; `names` receives
    each assessor's name, written in row 2 beside the id (optional)."""
    columns = find_columns(sheet, 1, layout.CLAUSE_COLUMNS[:1])
    groups = _assessor_groups(sheet)
    sheet.check_merges(2, {*columns.values(), *(c for g in groups for c in g.values())})
    if "clause" not in columns:
        return []
    clause_column = columns["clause"]
    answer_columns = [c for g in groups for c in g.values()]
    assessors = _assessors(sheet, groups, answer_columns)
    for group, assessor in zip(groups, assessors, strict=True):
        name_column = group["satisfied"] + 1
        name = sheet.text(2, name_column)
        if assessor is not None and name is not None and names is not None:
            names[assessor] = name.strip()
            cells[f"assessors.{assessor}"] = sheet.ref(2, name_column)
    judgments: list = []
    seen: dict[str, str] = {}
    for row in range(layout.JUDGMENT_FIRST_ROW, sheet.max_row + 1):
        if sheet.row_blank(row, [clause_column, *answer_columns]):
            continue
        clause = _clause(sheet, row, clause_column, answer_columns, seen)
        if clause is None:
            continue
        for group, assessor in zip(groups, assessors, strict=True):
            judgment = _judgment(sheet, row, group, clause, assessor)
            if judgment is None:
                continue
            path = f"judgments[{len(judgments)}]"
            cells[path] = sheet.ref(row, group["satisfied"])
            cells[f"{path}.clause"] = sheet.ref(row, clause_column)
            cells[f"{path}.assessor"] = sheet.ref(2, group["satisfied"])
            for name, column in group.items():
                cells[f"{path}.{name}"] = sheet.ref(row, column)
            judgments.append(judgment)
    return judgments


def _assessor_groups(sheet: SheetCells) -> list[dict[str, int]]:
    """Each assessor's columns: from a 是否满足 column up to the next one."""
    groups: list[dict[str, int]] = []
    for column in range(1, sheet.max_column + 1):
        text = sheet.text(1, column)
        word = next((w for w in layout.ASSESSOR_COLUMNS if text and layout.matches(w, text)), None)
        if word is None:
            continue
        if word.field == "satisfied":
            groups.append({"satisfied": column})
        elif groups and word.field not in groups[-1]:
            groups[-1][word.field] = column
    return groups


def _assessors(sheet: SheetCells, groups, answer_columns) -> list[str | None]:
    """The assessor id above each group (row 2); a group with answers needs one, used once."""
    ids: list[str | None] = []
    where: dict[str, str] = {}
    for group in groups:
        column = group["satisfied"]
        assessor = sheet.text(2, column, code=True)
        cell = sheet.ref(2, column)
        answered = any(
            not sheet.row_blank(r, group.values())
            for r in range(layout.JUDGMENT_FIRST_ROW, sheet.max_row + 1)
        )
        if assessor is None and answered:
            sheet.findings.problem(
                cell,
                "these judgments have no assessor: write the assessor's id in row 2",
                "该栏已填写评审意见但缺少评审专家：请在第2行填写评审专家编号",
                "an assessor id such as expert-li",
            )
        elif assessor is not None and assessor in where:
            sheet.findings.problem(
                cell,
                f"assessor {assessor} has two groups of columns (also at {where[assessor]})",
                f"评审专家 {assessor} 重复出现（{where[assessor]} 已有）",
                "one group of columns per assessor",
            )
            assessor = None
        if assessor is not None:
            where[assessor] = cell
        ids.append(assessor)
    return ids


def _clause(sheet: SheetCells, row: int, column: int, answers, seen: dict) -> str | None:
    clause = sheet.text(row, column, code=True)
    cell = sheet.ref(row, column)
    if clause is None:
        if not sheet.row_blank(row, answers):
            sheet.findings.problem(
                cell, "judgments without a clause id", "填写了评审意见但缺少条款编号", "e.g. 12.2"
            )
        return None
    if clause in seen:
        sheet.findings.problem(
            cell,
            f"clause {clause} has two rows (also at {seen[clause]})",
            f"条款 {clause} 重复出现（{seen[clause]} 已有）",
            "one row per clause",
        )
        return None
    seen[clause] = cell
    return clause


def _judgment(sheet: SheetCells, row: int, group: dict, clause: str, assessor) -> dict | None:
    """One assessor's judgment of a clause, None when blank or after a problem."""
    if sheet.row_blank(row, group.values()) or assessor is None:
        return None
    answer = sheet.value(row, group["satisfied"], code=True)
    satisfied = _satisfied(answer)
    if satisfied is None:
        shown = "" if answer is None else str(answer)
        sheet.findings.problem(
            sheet.ref(row, group["satisfied"]),
            f"satisfied must be {layout.YES} (yes) or {layout.NO} (no), got {shown!r}",
            f"是否满足应填写“{layout.YES}”或“{layout.NO}”，实际为“{shown}”",
            f"{layout.YES} | {layout.NO}",
        )
        return None
    evidence = sheet.text(row, group["evidence"], code=True) if "evidence" in group else None
    note = sheet.text(row, group["note"]) if "note" in group else None
    judgment = {
        "clause": clause,
        "satisfied": satisfied,
        "evidence": layout.split_list(evidence) if evidence else [],
        "assessor": assessor,
    }
    if note is not None:
        judgment["note"] = note
    return judgment


def _satisfied(answer) -> bool | None:
    if isinstance(answer, bool):
        return answer
    text = str(answer).strip().lower() if answer is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None
