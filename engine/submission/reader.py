"""Validate a parsed submission document section by section against the contract, collecting
every problem (file, field path, line, what was expected, in Chinese and English) instead of
stopping at the first; `submission.load_submission` is the way in.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from demozone.common import yamlio
from demozone.common.errors import Problem
from demozone.common.numbers import NumberError, parse_amount, parse_count, parse_rate
from demozone.kb.metrics import metric_vocabulary
from demozone.submission.model import (
    EVIDENCE_FIELDS,
    EVIDENCE_KEYS,
    EVIDENCE_KINDS,
    HEADER_FIELDS,
    JUDGMENT_KEYS,
    OPERATOR_KEYS,
    SECTIONS,
    Evidence,
    Judgment,
    MetricValue,
    Operator,
    ReferenceValue,
    Submission,
    SystemCatalog,
    SystemInfo,
)

FIRST_YEAR, LAST_YEAR = 1990, 2100  # plausible assessed years

_ID = re.compile(r"^[a-z0-9-]+$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_YEAR_TEXT = re.compile(r"^\d{4}$")
_REFERENCE = re.compile(r"^national_(?P<metric>[a-z0-9_]+?)(?P<growth>_growth)?$")
_EXPECTED_NUMBER = {
    "rate": (
        'a percentage such as "97.5%" or a fraction in [0, 1]',
        "带百分号的字符串（如“97.5%”）或0到1之间的小数",
    ),
    "count": ("a whole number >= 0", "不小于0的整数"),
    "amount": ("a number >= 0", "不小于0的数值"),
    "growth": (
        'a percentage such as "3.9%" or "-0.2%", or a fraction',
        "百分比（如“3.9%”“-0.2%”）或小数",
    ),
}


# -- small helpers ----------------------------------------------------------------------------
def _line(mapping: object, key: object = None) -> int | None:
    if not isinstance(mapping, yamlio.Mapping):
        return None
    return mapping.line_of(key) if key is not None else mapping.line


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_year(value: object) -> int | None:
    """A plausible four-digit year from an int or digit text, else None (2023年, 23, True: None)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _YEAR_TEXT.match(value):
        value = int(value)
    if isinstance(value, int) and FIRST_YEAR <= value <= LAST_YEAR:
        return value
    return None


def _scalar_text(value: object) -> str | None:
    """Text of a scalar id (E1, 12.2, 3), or None for lists, mappings, booleans and null."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | Decimal):
        return str(value).strip()
    return None


def _opt(item: dict, key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value)


def _shown(value: object) -> object:
    """The value for number parsing, so that messages show 97.5 rather than Decimal('97.5')."""
    return yamlio.Text(str(value)) if isinstance(value, Decimal) else value


def reference_ids() -> list[str]:
    ids = []
    for metric in metric_vocabulary():
        ids += [f"national_{metric}", f"national_{metric}_growth"]
    return ids


def _clause_key(clause: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in clause.split("."))


def _nearby_clauses(clause: str, clause_ids: frozenset[str]) -> list[str]:
    """The clauses of the same indicator, else the closest ids by spelling."""
    indicator = clause.split(".")[0]
    same = sorted((c for c in clause_ids if c.split(".")[0] == indicator), key=_clause_key)
    return same or difflib.get_close_matches(clause, sorted(clause_ids), n=5, cutoff=0.5)


# -- validation -------------------------------------------------------------------------------
class Reader:
    """Reads one document section by section, collecting problems instead of stopping."""

    def __init__(self, file: str, directory: Path, catalog: SystemCatalog) -> None:
        self.file, self.directory, self.catalog = file, directory, catalog
        self.problems: list[Problem] = []
        self.years: tuple[int, ...] = ()
        self.declared_evidence: set[str] = set()

    def problem(
        self, path: str, en: str, zh: str, expected: str = "", mapping=None, key=None
    ) -> None:
        self.problems.append(Problem(self.file, path, en, zh, expected, _line(mapping, key)))

    def read(self, doc: dict, sha256: str, system_override: str | None) -> Submission | None:
        self._sections(doc)
        header = self._section(doc, "submission", dict, "映射")
        info = self._header(header, system_override)
        metrics = self._metrics(self._section(doc, "metrics", dict, "映射") or {})
        references = self._references(self._section(doc, "reference", dict, "映射") or {})
        operators = self._operators(self._section(doc, "operators", list, "列表") or [])
        evidence = self._evidence(self._section(doc, "evidence", list, "列表") or [])
        judgments = self._judgments(
            self._section(doc, "judgments", list, "列表") or [], evidence, info
        )
        if self.problems or info is None or header is None:
            return None
        return Submission(
            id=header["id"],
            region=str(header["region"]).strip(),
            region_class=header["region_class"],
            system=info.id,
            years=self.years,
            file=self.file,
            sha256=sha256,
            metrics=metrics,
            references=references,
            operators=operators,
            evidence=evidence,
            judgments=judgments,
        )

    # -- sections and header ------------------------------------------------------------------
    def _sections(self, doc: dict) -> None:
        for key in doc:
            if key not in SECTIONS:
                close = difflib.get_close_matches(str(key), SECTIONS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(
                    str(key),
                    f"unknown section {key!r}{hint}",
                    f"未知的部分 {key!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
                    ", ".join(SECTIONS),
                    doc,
                    key,
                )
        if "submission" not in doc:
            self.problem(
                "submission",
                "missing the `submission:` section",
                "缺少 submission 部分（编号、名称、地区分类、指标体系、评估年度）",
                ", ".join(HEADER_FIELDS),
            )

    def _section(self, doc: dict, name: str, shape: type, shape_zh: str):
        """The section if present and of the right shape; None (and a problem if wrong) else."""
        value = doc.get(name)
        if value is None or isinstance(value, shape):
            return value
        shape_en = "a mapping" if shape is dict else "a list"
        self.problem(
            name,
            f"section {name!r} must be {shape_en}",
            f"{name} 部分应为{shape_zh}",
            shape_en,
            doc,
            name,
        )
        return None

    def _header(self, header: dict | None, system_override: str | None) -> SystemInfo | None:
        """Check the `submission:` header; the system it names, if known."""
        if header is None:  # missing or not a mapping: already reported
            header = {}
        else:
            self._keys(header, HEADER_FIELDS, HEADER_FIELDS, "submission")
        self._header_id(header)
        for key in ("region", "region_class", "system"):
            if not _blank(header.get(key)) and not isinstance(header[key], str):
                self.problem(
                    f"submission.{key}",
                    f"{key} must be text, got {header[key]!r}",
                    f"{key} 应为文字",
                    "text",
                    header,
                    key,
                )
        self.years = self._years(header)
        system_id = system_override or header.get("system")
        if not isinstance(system_id, str) or _blank(system_id):
            return None
        info = self.catalog.system_info(system_id)
        if info is None:
            self._unknown_system(system_id, header)
            return None
        self._region_class(header, info)
        return info

    def _header_id(self, header: dict) -> None:
        value = header.get("id")
        if _blank(value) or (isinstance(value, str) and _ID.match(value)):
            return
        self.problem(
            "submission.id",
            f"id {value!r} must use only a-z, 0-9 and -",
            f"编号 {value!r} 只能包含小写字母、数字和连字符（如 wanrong-2024）",
            "[a-z0-9-]+, e.g. wanrong-2024",
            header,
            "id",
        )

    def _unknown_system(self, system_id: str, header: dict) -> None:
        known = self.catalog.system_ids()
        close = difflib.get_close_matches(system_id, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        self.problem(
            "submission.system",
            f"unknown indicator system {system_id!r}{hint}",
            f"未知的指标体系 {system_id!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
            ", ".join(known),
            header,
            "system",
        )

    def _years(self, header: dict) -> tuple[int, ...]:
        raw = header.get("years")
        if raw is None:
            return ()
        years = [_as_year(y) for y in raw] if isinstance(raw, list) else []
        if years and None not in years and years == sorted(set(years)):
            return tuple(years)
        self.problem(
            "submission.years",
            f"years must be ascending, distinct four-digit years, got {raw!r}",
            f"评估年度应为按升序排列、不重复的四位整数年份，实际为 {raw!r}",
            "e.g. [2023, 2024]",
            header,
            "years",
        )
        return ()

    def _region_class(self, header: dict, info: SystemInfo) -> None:
        region_class = header.get("region_class")
        if not isinstance(region_class, str) or region_class in info.region_classes:
            return
        northeast = region_class == "northeast"
        hint = (
            " (this system knows no northeast class: classify the region as east, central or west)"
            if northeast
            else ""
        )
        hint_zh = (
            "；本体系不设东北地区，东北地区须按本体系划入东部、中部或西部之一" if northeast else ""
        )
        self.problem(
            "submission.region_class",
            f"region class {region_class!r} is not known to {info.id}{hint}",
            f"指标体系 {info.id} 没有地区分类 {region_class!r}{hint_zh}",
            ", ".join(sorted(info.region_classes)),
            header,
            "region_class",
        )

    # -- metrics and references -----------------------------------------------------------------
    def _metrics(self, section: dict) -> dict[tuple[str, int], MetricValue]:
        vocabulary = metric_vocabulary()
        values = {}
        for metric, raw in section.items():
            if metric not in vocabulary:
                self._unknown_metric(metric, section)
                continue
            kind = vocabulary[metric].kind
            for year, value, path, mapping, key in self._series(
                raw, f"metrics.{metric}", section, metric
            ):
                parsed = self._number(value, kind, path, mapping, key)
                if parsed is not None and year is not None:
                    values[(metric, year)] = MetricValue(
                        metric, year, parsed, path, _line(mapping, key)
                    )
        return values

    def _unknown_metric(self, metric, section: dict) -> None:
        close = difflib.get_close_matches(str(metric), list(metric_vocabulary()), n=1)
        self.problem(
            f"metrics.{metric}",
            f"unknown metric {metric!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
            f"未知的指标数据项 {metric!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
            "an id of the metric table of the submission format",
            section,
            metric,
        )

    def _series(self, raw, path: str, mapping, key) -> Iterator[tuple]:
        """(year, value, path, mapping, key) per year of a series; a bare value is the last year's.

        The year is None for a bare value when the assessed years are unknown (already reported).
        """
        if not isinstance(raw, dict):
            yield (self.years[-1] if self.years else None), raw, path, mapping, key
            return
        seen: set[int] = set()
        for year_key, value in raw.items():
            year = _as_year(year_key)
            if year is None or year in seen:
                self._bad_series_year(year_key, year is not None, f"{path}.{year_key}", raw)
                continue
            seen.add(year)
            yield year, value, f"{path}.{year}", raw, year_key

    def _bad_series_year(self, year_key, repeated: bool, path: str, series) -> None:
        if repeated:
            en, zh = f"year {year_key} is given twice", f"年份 {year_key} 重复出现"
        else:
            en, zh = f"{year_key!r} is not a year", f"{year_key!r} 不是有效年份"
        self.problem(path, en, zh, "a four-digit year such as 2023", series, year_key)

    def _number(self, value, kind: str, path: str, mapping, key) -> Fraction | None:
        """The exact value of a rate, count, amount or growth rate, or None after a problem."""
        if value is None:
            self.problem(
                path,
                "no value given; leave a metric out when it is not submitted",
                "未填写数值；未提交的数据项请整项删除",
                _EXPECTED_NUMBER[kind][0],
                mapping,
                key,
            )
            return None
        try:
            if kind == "rate":
                return parse_rate(_shown(value))
            if kind == "count":
                return Fraction(parse_count(_shown(value)))
            if kind == "growth":
                return _parse_growth(_shown(value))
            return parse_amount(_shown(value))
        except NumberError as err:
            expected, expected_zh = _EXPECTED_NUMBER[kind]
            zh = f"应为{expected_zh}，实际为 {_shown(value)!r}"
            if str(err).startswith("a rate written without %"):
                zh += f"；如指百分比，请写作“{value}%”"
            self.problem(
                path,
                str(err),
                zh,
                expected,
                mapping,
                key,
            )
            return None

    def _references(self, section: dict) -> dict[tuple[str, int | None], ReferenceValue]:
        vocabulary = metric_vocabulary()
        values = {}
        for ref, raw in section.items():
            match = _REFERENCE.match(str(ref))
            metric = match["metric"] if match else None
            if metric not in vocabulary:
                self._unknown_reference(ref, section)
                continue
            kind = "growth" if match["growth"] else vocabulary[metric].kind
            if isinstance(raw, dict):
                series = self._series(raw, f"reference.{ref}", section, ref)
            else:
                series = iter([(None, raw, f"reference.{ref}", section, ref)])
            for year, value, path, mapping, key in series:
                parsed = self._number(value, kind, path, mapping, key)
                if parsed is not None:
                    values[(str(ref), year)] = ReferenceValue(str(ref), year, parsed, path)
        return values

    def _unknown_reference(self, ref, section: dict) -> None:
        close = difflib.get_close_matches(str(ref), reference_ids(), n=1)
        self.problem(
            f"reference.{ref}",
            f"unknown reference {ref!r}" + (f"; did you mean {close[0]!r}?" if close else ""),
            f"未知的全国对比数据 {ref!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
            "national_<metric> or national_<metric>_growth with a metric id of the table",
            section,
            ref,
        )

    # -- operators ------------------------------------------------------------------------------
    def _operators(self, items: list) -> tuple[Operator, ...]:
        operators = []
        for index, item in enumerate(items):
            path = f"operators[{index}]"
            if not self._keys(item, OPERATOR_KEYS, OPERATOR_KEYS, path):
                continue
            year = self._operator_year(item, path)
            sales = self._number(
                item["annual_sales"], "amount", f"{path}.annual_sales", item, "annual_sales"
            )
            if year is not None and sales is not None:
                operators.append(Operator(index, str(item["name"]).strip(), year, sales, path))
        return tuple(operators)

    def _operator_year(self, item: dict, path: str) -> int | None:
        year = _as_year(item["year"])
        if year is not None and (not self.years or year in self.years):
            return year
        self.problem(
            f"{path}.year",
            f"year {item['year']!r} is not an assessed year",
            f"年份 {item['year']!r} 不在评估年度内",
            f"one of {list(self.years)}" if self.years else "an assessed year",
            item,
            "year",
        )
        return None

    # -- evidence -------------------------------------------------------------------------------
    def _evidence(self, items: list) -> dict[str, Evidence]:
        evidence: dict[str, Evidence] = {}
        for index, item in enumerate(items):
            path = f"evidence[{index}]"
            item_id = self._evidence_id(item, path)
            if not self._keys(item, EVIDENCE_KEYS, ("id", "title", "kind"), path) or not item_id:
                continue
            kind_ok = self._evidence_kind(item, path)
            digest, hash_ok = self._evidence_hash(item, path)
            if kind_ok and hash_ok and item_id not in evidence:
                evidence[item_id] = _evidence_item(item_id, item, digest, path)
        return evidence

    def _evidence_id(self, item, path: str) -> str | None:
        """The id of an evidence item, declared even when the item has other problems."""
        if not isinstance(item, dict) or _blank(item.get("id")):
            return None
        item_id = _scalar_text(item["id"])
        if item_id is None:
            self.problem(
                f"{path}.id",
                f"id {item['id']!r} must be a short text such as E1",
                "材料编号应为简短文字（如 E1）",
                "E1",
                item,
                "id",
            )
            return None
        if item_id in self.declared_evidence:
            self.problem(
                f"{path}.id",
                f"duplicate evidence id {item_id!r}",
                f"证明材料编号 {item_id!r} 重复",
                "an id used once in the submission",
                item,
                "id",
            )
        self.declared_evidence.add(item_id)
        return item_id

    def _evidence_kind(self, item: dict, path: str) -> bool:
        kind = item["kind"]
        if kind not in EVIDENCE_KINDS:
            self.problem(
                f"{path}.kind",
                f"unknown evidence kind {kind!r}",
                f"未知的证明材料类型 {kind!r}",
                ", ".join(EVIDENCE_KINDS),
                item,
                "kind",
            )
            return False
        return all([self._kind_field(item, path, kind, other) for other in EVIDENCE_FIELDS])

    def _kind_field(self, item: dict, path: str, kind: str, field_kind: str) -> bool:
        """The level/type/form field is given only for its kind, with a contract value."""
        field, allowed = EVIDENCE_FIELDS[field_kind]
        if field not in item:
            return True
        if field_kind != kind:
            self.problem(
                f"{path}.{field}",
                f"{field!r} is only for {field_kind} evidence, not {kind}",
                f"字段 {field!r} 仅适用于 {field_kind} 类材料，本项为 {kind}",
                f"no {field} for {kind}",
                item,
                field,
            )
            return False
        if item[field] in allowed:
            return True
        self.problem(
            f"{path}.{field}",
            f"{field} {item[field]!r} is not one of the contract's values",
            f"{field} 的取值 {item[field]!r} 不在规定范围内",
            ", ".join(allowed),
            item,
            field,
        )
        return False

    def _evidence_hash(self, item: dict, path: str) -> tuple[str | None, bool]:
        """(sha256, ok): the file's hash if a file is given, else the given hash."""
        given = item.get("sha256")
        if given is not None and not (isinstance(given, str) and _SHA256.match(given)):
            self.problem(
                f"{path}.sha256",
                f"malformed sha256 {given!r}",
                f"sha256 格式不正确：{given!r}",
                "64 hexadecimal digits",
                item,
                "sha256",
            )
            return None, False
        given = given.lower() if given else None
        if item.get("file") is None:
            return given, True
        actual = self._file_hash(item, path)
        if actual is None:
            return None, False
        if given is not None and given != actual:
            self.problem(
                f"{path}.sha256",
                f"sha256 does not match the file: given {given}, file has {actual}",
                f"sha256 与文件不符：填写 {given}，文件实际为 {actual}",
                actual,
                item,
                "sha256",
            )
            return None, False
        return actual, True

    def _file_hash(self, item: dict, path: str) -> str | None:
        """The sha256 of the evidence file (relative to the submission), or None after a problem."""
        name = item["file"]
        if not isinstance(name, str) or not name.strip() or Path(name).is_absolute():
            self.problem(
                f"{path}.file",
                f"file {name!r} must be a path relative to the submission file",
                f"文件 {name!r} 应为相对于提交文件所在目录的路径",
                "e.g. evidence/e1.pdf",
                item,
                "file",
            )
            return None
        target = self.directory / name
        try:
            return hashlib.sha256(target.read_bytes()).hexdigest()
        except OSError as err:
            self._unreadable_file(item, path, name, target, err)
            return None

    def _unreadable_file(self, item: dict, path: str, name: str, target: Path, err) -> None:
        if isinstance(err, FileNotFoundError):
            en = f"evidence file {name!r} does not exist (relative to the submission file)"
            zh = f"证明材料文件 {name!r} 不存在（路径相对于提交文件所在目录）"
        elif isinstance(err, IsADirectoryError):
            en, zh = f"evidence file {name!r} is a folder", f"证明材料 {name!r} 是文件夹，不是文件"
        else:
            en = f"evidence file {name!r} cannot be read: {err.strerror}"
            zh = f"证明材料文件 {name!r} 无法读取"
        self.problem(f"{path}.file", en, zh, f"a file at {target}", item, "file")

    # -- judgments ------------------------------------------------------------------------------
    def _judgments(
        self, items: list, evidence: dict, info: SystemInfo | None
    ) -> tuple[Judgment, ...]:
        judgments, seen = [], set()
        for index, item in enumerate(items):
            path = f"judgments[{index}]"
            if not self._keys(item, JUDGMENT_KEYS, ("clause", "satisfied", "assessor"), path):
                continue
            clause, assessor = _scalar_text(item["clause"]), _scalar_text(item["assessor"])
            cited = self._cited(item, path)
            ok = all(
                [
                    self._clause_known(item, path, clause, info),
                    self._satisfied_ok(item, path, cited),
                    self._assessor_ok(item, path, assessor),
                    cited is not None,
                ]
            )
            if (clause, assessor) in seen:
                self.problem(
                    f"{path}.assessor",
                    f"{assessor} judged clause {clause} twice",
                    f"评审专家 {assessor} 对条款 {clause} 重复评审",
                    "one judgment per assessor and clause",
                    item,
                    "assessor",
                )
                ok = False
            seen.add((clause, assessor))
            if ok and clause is not None:
                note = str(item.get("note") or "")
                judgments.append(
                    Judgment(index, clause, item["satisfied"], cited, assessor, note, path)
                )
        return tuple(judgments)

    def _clause_known(self, item: dict, path: str, clause: str | None, info) -> bool:
        if clause is not None and (info is None or clause in info.clause_ids):
            return self._clause_judged(item, path, clause, info)
        shown = item["clause"] if clause is None else clause
        nearby = _nearby_clauses(clause or "", info.clause_ids) if info is not None else []
        system = info.id if info is not None else "the system"
        self.problem(
            f"{path}.clause",
            f"clause {shown!r} is not in {system}"
            + (f"; nearby clauses: {', '.join(nearby)}" if nearby else ""),
            f"条款 {shown!r} 不在指标体系 {system} 中"
            + (f"；相近的条款：{', '.join(nearby)}" if nearby else ""),
            '"<indicator number>.<clause number>" of the system, e.g. "12.2"',
            item,
            "clause",
        )
        return False

    def _clause_judged(self, item: dict, path: str, clause: str, info) -> bool:
        judged = getattr(info, "judged_clause_ids", None)
        if judged is None or clause in judged:
            return True
        self.problem(
            f"{path}.clause",
            f"clause {clause} is scored from the submitted figures (metrics), not by an "
            "assessor's judgment; record the figures under metrics",
            f"条款 {clause} 依据填报数据（metrics）计分，不由评审专家评判；请在 metrics 中填报数据",
            "a qualitative clause, e.g. " + ", ".join(sorted(judged, key=_clause_key)[:4]),
            item,
            "clause",
        )
        return False

    def _assessor_ok(self, item: dict, path: str, assessor: str | None) -> bool:
        if assessor is not None:
            return True
        self.problem(
            f"{path}.assessor",
            f"assessor must be a name such as expert-li, got {item['assessor']!r}",
            "assessor 应为评审专家的名称（如 expert-li）",
            "expert-li",
            item,
            "assessor",
        )
        return False

    def _satisfied_ok(self, item: dict, path: str, cited: tuple[str, ...] | None) -> bool:
        satisfied = item["satisfied"]
        if not isinstance(satisfied, bool):
            self.problem(
                f"{path}.satisfied",
                f"satisfied must be true or false, got {satisfied!r}",
                f"satisfied 应为 true（满足）或 false（不满足），实际为 {satisfied!r}",
                "true | false",
                item,
                "satisfied",
            )
            return False
        if satisfied and cited == ():
            self.problem(
                f"{path}.evidence",
                "a satisfied judgment must cite at least one evidence item",
                "认定满足的评审意见必须引用至少一项证明材料",
                "evidence: [E1, ...]",
                item,
                "satisfied",
            )
            return False
        return True

    def _cited(self, item: dict, path: str) -> tuple[str, ...] | None:
        """The evidence ids a judgment cites, or None after a problem."""
        raw = item.get("evidence")
        raw = [] if raw is None else raw
        ids = [_scalar_text(e) for e in raw] if isinstance(raw, list) else [None]
        if None in ids:
            self.problem(
                f"{path}.evidence",
                f"evidence must be a list of evidence ids, got {raw!r}",
                "evidence 应为证明材料编号的列表",
                "e.g. [E1, E2]",
                item,
                "evidence",
            )
            return None
        missing = [e for e in ids if e not in self.declared_evidence]
        for evidence_id in missing:
            self.problem(
                f"{path}.evidence",
                f"cites evidence {evidence_id!r}, which is not in the evidence list",
                f"引用的证明材料 {evidence_id!r} 不在 evidence 列表中",
                ", ".join(sorted(self.declared_evidence)) or "an id of the evidence section",
                item,
                "evidence",
            )
        return None if missing else tuple(ids)

    # -- shared ---------------------------------------------------------------------------------
    def _keys(self, item, allowed, required, path: str) -> bool:
        """Report unknown fields; True when `item` is a mapping with every required field."""
        if not isinstance(item, dict):
            self.problem(
                path,
                f"each entry must be a mapping, got {item!r}",
                "每一项应为映射（字段: 值）",
                ", ".join(allowed),
            )
            return False
        unknown, missing = yamlio.key_faults(item, allowed, required, blank=_blank)
        for key in unknown:
            self.problem(
                f"{path}.{key}",
                f"unknown field {key!r}",
                f"未知字段 {key!r}",
                ", ".join(allowed),
                item,
                key,
            )
        for key in missing:
            self.problem(
                f"{path}.{key}",
                f"missing required field {key!r}",
                f"缺少必填字段 {key!r}",
                ", ".join(required),
                item,
                key if key in item else None,
            )
        return not missing


def _parse_growth(value: object) -> Fraction:
    """A growth rate, which may be negative: "-0.2%" or -0.002; a bare number above 1 is an error."""
    if isinstance(value, str) and value.strip().startswith("-"):
        return -parse_rate(yamlio.Text(value.strip()[1:]))
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return -parse_rate(-value)
    return parse_rate(value)


def _evidence_item(item_id: str, item: dict, digest: str | None, path: str) -> Evidence:
    return Evidence(
        item_id,
        str(item["title"]).strip(),
        item["kind"],
        _opt(item, "file"),
        digest,
        _opt(item, "issued_by"),
        _opt(item, "date"),
        _opt(item, "level"),
        _opt(item, "type"),
        _opt(item, "form"),
        path,
    )
