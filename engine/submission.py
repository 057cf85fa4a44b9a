"""Load a submission (YAML or JSON) exactly per the contract, or say everything that is wrong.

The contract is ../shared/spec/submission-format.md (copied as docs/submission-format.md).
Values are exact fractions from the start; every problem names the file, the field path, the
line where known, and what was expected, in Chinese and English. Nothing is scored from a
submission that has any problem.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Protocol

from .errors import InputError, Problem
from .metrics import metric_vocabulary
from .numbers import NumberError, parse_amount, parse_count, parse_rate
from .yamlio import load_yaml_text

EVIDENCE_KINDS = ("document", "media_report", "institutional_output", "recognition")
EVIDENCE_FIELDS = {  # kind -> (field, allowed values)
    "media_report": ("level", ("national", "provincial")),
    "institutional_output": ("type", ("法规", "规章", "规范性文件", "标准")),
    "recognition": ("form", ("表彰表扬", "领导批示", "典型经验", "会议交流", "信息刊发")),
}
_SECTIONS = {"submission", "metrics", "reference", "operators", "evidence", "judgments"}
_HEADER = {"id", "region", "region_class", "system", "years"}
_EVIDENCE_KEYS = {
    "id",
    "title",
    "kind",
    "file",
    "sha256",
    "issued_by",
    "date",
    "level",
    "type",
    "form",
}
_JUDGMENT_KEYS = {"clause", "satisfied", "evidence", "assessor", "note"}
_OPERATOR_KEYS = {"name", "year", "annual_sales"}
_ID = re.compile(r"^[a-z0-9-]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_REFERENCE = re.compile(r"^national_(?P<metric>[a-z0-9_]+?)(?P<growth>_growth)?$")


class SystemInfo(Protocol):
    id: str
    region_classes: frozenset[str]
    clause_ids: frozenset[str]


class SystemCatalog(Protocol):
    def system_info(self, system_id: str) -> SystemInfo | None: ...
    def system_ids(self) -> list[str]: ...


@dataclass(frozen=True)
class MetricValue:
    metric: str
    year: int
    value: Fraction
    path: str
    line: int | None = None


@dataclass(frozen=True)
class ReferenceValue:
    ref: str
    year: int | None
    value: Fraction
    path: str


@dataclass(frozen=True)
class Operator:
    index: int
    name: str
    year: int
    annual_sales: Fraction
    path: str


@dataclass(frozen=True)
class Evidence:
    id: str
    title: str
    kind: str
    file: str | None
    sha256: str | None
    issued_by: str | None
    date: str | None
    level: str | None
    type: str | None
    form: str | None
    path: str


@dataclass(frozen=True)
class Judgment:
    index: int
    clause: str
    satisfied: bool
    evidence: tuple[str, ...]
    assessor: str
    note: str
    path: str


@dataclass(frozen=True)
class Submission:
    id: str
    region: str
    region_class: str
    system: str
    years: tuple[int, ...]
    file: str
    sha256: str
    metrics: Mapping[tuple[str, int], MetricValue]
    references: Mapping[tuple[str, int | None], ReferenceValue]
    operators: tuple[Operator, ...]
    evidence: Mapping[str, Evidence]
    judgments: tuple[Judgment, ...]


@dataclass(frozen=True)
class _Info:
    id: str
    region_classes: frozenset[str]
    clause_ids: frozenset[str]


class KbCatalog:
    """The systems of the knowledge base, as the loader needs them."""

    def system_info(self, system_id: str) -> SystemInfo | None:
        from . import kb

        system = kb.get_system(system_id)
        if system is None:
            return None
        clauses = frozenset(c.id for i in system.indicators for c in i.clauses)
        return _Info(system.id, frozenset(system.region_classes), clauses)

    def system_ids(self) -> list[str]:
        from . import kb

        return list(kb.load_kb().systems)


def catalog_from_kb() -> KbCatalog:
    return KbCatalog()


def load_submission(
    path: Path, catalog: SystemCatalog, system_override: str | None = None
) -> Submission:
    """Read, validate and return a submission; raise InputError listing every problem found."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [Problem(str(path), "", "submission file not found", "提交文件不存在")]
        ) from None
    except OSError as err:
        raise InputError(
            [Problem(str(path), "", f"cannot read the file: {err}", "无法读取提交文件")]
        ) from None
    doc = _parse(raw, path)
    reader = _Reader(str(path), path.parent, catalog)
    submission = reader.read(doc, hashlib.sha256(raw).hexdigest(), system_override)
    if reader.problems:
        raise InputError(reader.problems)
    return submission


def _parse(raw: bytes, path: Path) -> dict:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(str(path), "", "the file is not UTF-8 text", "文件不是UTF-8编码")]
        ) from None
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(text, parse_float=Decimal, object_pairs_hook=_no_duplicates)
        except (json.JSONDecodeError, ValueError) as err:
            raise InputError(
                [Problem(str(path), "", f"not valid JSON: {err}", "不是有效的JSON格式")]
            ) from None
    else:
        doc = load_yaml_text(text, str(path))
    if not isinstance(doc, dict):
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    "a submission is a mapping with a `submission:` section",
                    "提交文件应包含 submission 等部分",
                )
            ]
        )
    return doc


def _no_duplicates(pairs: list) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


class _Reader:
    """Reads one document section by section, collecting problems instead of stopping."""

    def __init__(self, file: str, directory: Path, catalog: SystemCatalog) -> None:
        self.file, self.directory, self.catalog = file, directory, catalog
        self.problems: list[Problem] = []
        self.years: tuple[int, ...] = ()

    def problem(
        self, path: str, en: str, zh: str, expected: str = "", mapping=None, key=None
    ) -> None:
        line = None
        if mapping is not None and hasattr(mapping, "line_of"):
            line = mapping.line_of(key) if key is not None else mapping.line
        self.problems.append(Problem(self.file, path, en, zh, expected, line))

    def read(self, doc: dict, sha256: str, system_override: str | None) -> Submission | None:
        for key in doc:
            if key not in _SECTIONS:
                self.problem(
                    str(key),
                    f"unknown section {key!r}",
                    f"未知的部分 {key!r}",
                    ", ".join(sorted(_SECTIONS)),
                    doc,
                    key,
                )
        header = doc.get("submission")
        if not isinstance(header, dict):
            self.problem(
                "submission",
                "missing the `submission:` section",
                "缺少 submission 部分",
                "id, region, region_class, system, years",
            )
            return None
        info = self._header(header, system_override)
        metrics = self._metrics(doc.get("metrics") or {})
        references = self._references(doc.get("reference") or {})
        operators = self._operators(doc.get("operators") or [])
        evidence = self._evidence(doc.get("evidence") or [])
        judgments = self._judgments(doc.get("judgments") or [], evidence, info)
        if self.problems or info is None:
            return None
        return Submission(
            id=str(header["id"]),
            region=str(header["region"]),
            region_class=str(header["region_class"]),
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

    # -- header ------------------------------------------------------------------------
    def _header(self, header: dict, system_override: str | None) -> SystemInfo | None:
        for key in header:
            if key not in _HEADER:
                self.problem(
                    f"submission.{key}",
                    f"unknown field {key!r}",
                    f"未知字段 {key!r}",
                    ", ".join(sorted(_HEADER)),
                    header,
                    key,
                )
        for key in sorted(_HEADER - set(header)):
            self.problem(
                f"submission.{key}",
                f"missing required field {key!r}",
                f"缺少必填字段 {key!r}",
                mapping=header,
            )
        if "id" in header and not (isinstance(header["id"], str) and _ID.match(header["id"])):
            self.problem(
                "submission.id",
                f"id {header['id']!r} must use only a-z, 0-9 and -",
                f"编号 {header['id']!r} 只能包含小写字母、数字和连字符",
                "[a-z0-9-]+",
                header,
                "id",
            )
        if "region" in header and not str(header["region"]).strip():
            self.problem(
                "submission.region",
                "region is empty",
                "创建对象名称为空",
                mapping=header,
                key="region",
            )
        self.years = self._years(header)
        system_id = system_override or header.get("system")
        if system_id is None:
            return None
        info = self.catalog.system_info(str(system_id))
        if info is None:
            self.problem(
                "submission.system",
                f"unknown indicator system {system_id!r}",
                f"未知的指标体系 {system_id!r}",
                ", ".join(self.catalog.system_ids()),
                header,
                "system",
            )
            return None
        self._region_class(header, info)
        return info

    def _years(self, header: dict) -> tuple[int, ...]:
        years = header.get("years")
        if years is None:
            return ()
        ok = isinstance(years, list) and years and all(_is_year(y) for y in years)
        if not ok or years != sorted(set(years)):
            self.problem(
                "submission.years",
                f"years must be ascending, distinct four-digit years, got {years!r}",
                f"评估年度应为按升序排列、不重复的四位年份，实际为 {years!r}",
                "e.g. [2023, 2024]",
                header,
                "years",
            )
            return ()
        return tuple(int(y) for y in years)

    def _region_class(self, header: dict, info: SystemInfo) -> None:
        region_class = header.get("region_class")
        if region_class is None or region_class in info.region_classes:
            return
        hint_zh = (
            "；东北地区须按本体系划入东部、中部或西部之一" if region_class == "northeast" else ""
        )
        hint = (
            " (this system knows no northeast class: classify the region as east, central or west)"
            if region_class == "northeast"
            else ""
        )
        self.problem(
            "submission.region_class",
            f"region class {region_class!r} is not known to {info.id}{hint}",
            f"指标体系 {info.id} 没有地区分类 {region_class!r}{hint_zh}",
            ", ".join(sorted(info.region_classes)),
            header,
            "region_class",
        )

    # -- metrics and references ------------------------------------------------------------
    def _metrics(self, section: dict) -> dict[tuple[str, int], MetricValue]:
        if not isinstance(section, dict):
            self.problem(
                "metrics", "metrics must be a mapping of metric id to value", "metrics 应为映射"
            )
            return {}
        vocabulary = metric_vocabulary()
        values = {}
        for metric, raw in section.items():
            path = f"metrics.{metric}"
            if metric not in vocabulary:
                close = difflib.get_close_matches(str(metric), list(vocabulary), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(
                    path,
                    f"unknown metric {metric!r}{hint}",
                    f"未知的指标数据项 {metric!r}"
                    + (f"，是否应为 {close[0]!r}？" if close else ""),
                    "an id of the metric table",
                    section,
                    metric,
                )
                continue
            for year, value, value_path in self._series(raw, path, section, metric):
                parsed = self._number(value, vocabulary[metric].kind, value_path, section, metric)
                if parsed is not None:
                    line = section.line_of(metric) if hasattr(section, "line_of") else None
                    values[(metric, year)] = MetricValue(metric, year, parsed, value_path, line)
        return values

    def _series(self, raw, path: str, mapping, key):
        """(year, value, path) for a per-year series, or the last assessed year for a bare value."""
        if isinstance(raw, dict):
            for year, value in raw.items():
                if not _is_year(year):
                    self.problem(
                        f"{path}.{year}",
                        f"{year!r} is not a year",
                        f"{year!r} 不是有效年份",
                        "a four-digit year such as 2023",
                        mapping,
                        key,
                    )
                    continue
                yield int(year), value, f"{path}.{year}"
        elif self.years:
            yield self.years[-1], raw, path

    def _number(self, value, kind: str, path: str, mapping, key) -> Fraction | None:
        try:
            if kind == "rate":
                return parse_rate(value)
            if kind == "count":
                return Fraction(parse_count(value))
            return parse_amount(value)
        except NumberError as err:
            expected = {
                "rate": 'a percentage such as "97.5%" or a fraction in [0, 1]',
                "count": "a whole number >= 0",
                "amount": "a number >= 0",
            }[kind]
            zh = {
                "rate": '比率应写作带百分号的字符串（如 "97.5%"）或0到1之间的小数',
                "count": "应为不小于0的整数",
                "amount": "应为不小于0的数值",
            }[kind]
            self.problem(path, str(err), f"{zh}，实际为 {value!r}", expected, mapping, key)
            return None

    def _references(self, section: dict) -> dict[tuple[str, int | None], ReferenceValue]:
        vocabulary = metric_vocabulary()
        values = {}
        for ref, raw in section.items() if isinstance(section, dict) else ():
            path = f"reference.{ref}"
            match = _REFERENCE.match(str(ref))
            metric = match["metric"] if match else None
            if metric not in vocabulary:
                self.problem(
                    path,
                    f"unknown reference {ref!r}",
                    f"未知的全国对比数据 {ref!r}",
                    "national_<metric> or national_<metric>_growth",
                    section,
                    ref,
                )
                continue
            kind = "rate" if match["growth"] or vocabulary[metric].kind == "rate" else "amount"
            if isinstance(raw, dict):
                series = [(y, v, p) for y, v, p in self._series(raw, path, section, ref)]
            else:
                series = [(None, raw, path)]
            for year, value, value_path in series:
                parsed = (
                    self._growth(value, value_path, section, ref)
                    if match["growth"]
                    else self._number(value, kind, value_path, section, ref)
                )
                if parsed is not None:
                    values[(str(ref), year)] = ReferenceValue(str(ref), year, parsed, value_path)
        return values

    def _growth(self, value, path: str, mapping, key) -> Fraction | None:
        """A growth rate may be negative: "-0.2%" or -0.002."""
        text = str(value).strip()
        negative = text.startswith("-")
        parsed = self._number(text.lstrip("-") if negative else value, "rate", path, mapping, key)
        return -parsed if (parsed is not None and negative) else parsed

    # -- operators, evidence, judgments ------------------------------------------------------
    def _operators(self, items) -> tuple[Operator, ...]:
        operators = []
        for index, item in enumerate(_list(self, items, "operators")):
            path = f"operators[{index}]"
            if not self._keys(item, _OPERATOR_KEYS, _OPERATOR_KEYS, path):
                continue
            year = item["year"]
            if not _is_year(year) or (self.years and int(year) not in self.years):
                self.problem(
                    f"{path}.year",
                    f"year {year!r} is not an assessed year",
                    f"年份 {year!r} 不在评估年度内",
                    f"one of {list(self.years)}",
                    item,
                    "year",
                )
                continue
            sales = self._number(
                item["annual_sales"], "amount", f"{path}.annual_sales", item, "annual_sales"
            )
            if sales is not None:
                operators.append(Operator(index, str(item["name"]), int(year), sales, path))
        return tuple(operators)

    def _evidence(self, items) -> dict[str, Evidence]:
        evidence: dict[str, Evidence] = {}
        for index, item in enumerate(_list(self, items, "evidence")):
            path = f"evidence[{index}]"
            if not self._keys(item, _EVIDENCE_KEYS, {"id", "title", "kind"}, path):
                continue
            item_id = str(item["id"])
            if item_id in evidence:
                self.problem(
                    f"{path}.id",
                    f"duplicate evidence id {item_id!r}",
                    f"证明材料编号 {item_id!r} 重复",
                    mapping=item,
                    key="id",
                )
                continue
            if not self._evidence_kind(item, path):
                continue
            digest = self._evidence_hash(item, path)
            evidence[item_id] = Evidence(
                item_id,
                str(item["title"]),
                item["kind"],
                item.get("file"),
                digest,
                _opt(item, "issued_by"),
                _opt(item, "date"),
                _opt(item, "level"),
                _opt(item, "type"),
                _opt(item, "form"),
                path,
            )
        return evidence

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
        ok = True
        for other_kind, (field, allowed) in EVIDENCE_FIELDS.items():
            if field not in item:
                continue
            if other_kind != kind:
                self.problem(
                    f"{path}.{field}",
                    f"{field!r} is only for {other_kind} evidence",
                    f"字段 {field!r} 仅适用于 {other_kind} 类材料",
                    mapping=item,
                    key=field,
                )
                ok = False
            elif item[field] not in allowed:
                self.problem(
                    f"{path}.{field}",
                    f"{field} {item[field]!r} is not one of the contract's values",
                    f"{field} 的取值 {item[field]!r} 不在规定范围内",
                    ", ".join(allowed),
                    item,
                    field,
                )
                ok = False
        return ok

    def _evidence_hash(self, item: dict, path: str) -> str | None:
        given = item.get("sha256")
        if given is not None and not (isinstance(given, str) and _SHA256.match(given)):
            self.problem(
                f"{path}.sha256",
                f"malformed sha256 {given!r}",
                "sha256 格式不正确",
                "64 lowercase hex digits",
                item,
                "sha256",
            )
            return None
        if item.get("file") is None:
            return given
        target = (self.directory / str(item["file"])).resolve()
        if not target.is_file():
            self.problem(
                f"{path}.file",
                f"evidence file {item['file']!r} does not exist (relative to the submission)",
                f"证明材料文件 {item['file']!r} 不存在（相对于提交文件所在目录）",
                mapping=item,
                key="file",
            )
            return None
        actual = hashlib.sha256(target.read_bytes()).hexdigest()
        if given is not None and given != actual:
            self.problem(
                f"{path}.sha256",
                f"sha256 does not match the file: given {given}, file has {actual}",
                f"sha256 与文件不符：填写 {given}，文件实际为 {actual}",
                mapping=item,
                key="sha256",
            )
            return None
        return actual

    def _judgments(self, items, evidence: dict, info: SystemInfo | None) -> tuple[Judgment, ...]:
        judgments, seen = [], set()
        for index, item in enumerate(_list(self, items, "judgments")):
            path = f"judgments[{index}]"
            if not self._keys(item, _JUDGMENT_KEYS, {"clause", "satisfied", "assessor"}, path):
                continue
            clause, assessor = str(item["clause"]), str(item["assessor"])
            cited = item.get("evidence") or []
            ok = self._judgment_checks(item, path, clause, cited, evidence, info)
            if (clause, assessor) in seen:
                self.problem(
                    path,
                    f"{assessor} judged clause {clause} twice",
                    f"评审 {assessor} 对条款 {clause} 重复评审",
                    mapping=item,
                )
                ok = False
            seen.add((clause, assessor))
            if ok:
                judgments.append(
                    Judgment(
                        index,
                        clause,
                        item["satisfied"],
                        tuple(str(e) for e in cited),
                        assessor,
                        str(item.get("note") or ""),
                        path,
                    )
                )
        return tuple(judgments)

    def _judgment_checks(self, item, path, clause, cited, evidence, info) -> bool:
        ok = True
        if info is not None and clause not in info.clause_ids:
            near = difflib.get_close_matches(clause, sorted(info.clause_ids), n=3, cutoff=0.5)
            self.problem(
                f"{path}.clause",
                f"clause {clause!r} is not in {info.id}",
                f"条款 {clause!r} 不在指标体系 {info.id} 中",
                ", ".join(near),
                item,
                "clause",
            )
            ok = False
        if not isinstance(item["satisfied"], bool):
            self.problem(
                f"{path}.satisfied",
                f"satisfied must be true or false, got {item['satisfied']!r}",
                "satisfied 应为 true 或 false",
                "true | false",
                item,
                "satisfied",
            )
            ok = False
        if not isinstance(cited, list):
            self.problem(
                f"{path}.evidence",
                "evidence must be a list of evidence ids",
                "evidence 应为材料编号列表",
                mapping=item,
                key="evidence",
            )
            return False
        for evidence_id in cited:
            if str(evidence_id) not in evidence:
                self.problem(
                    f"{path}.evidence",
                    f"cites evidence {evidence_id!r}, which is not in the evidence list",
                    f"引用的证明材料 {evidence_id!r} 不存在",
                    mapping=item,
                    key="evidence",
                )
                ok = False
        if item["satisfied"] is True and not cited:
            self.problem(
                f"{path}.evidence",
                "a satisfied judgment must cite at least one evidence item",
                "认定满足的评审意见必须引用至少一项证明材料",
                mapping=item,
                key="satisfied",
            )
            ok = False
        return ok

    def _keys(self, item, allowed: set, required: set, path: str) -> bool:
        if not isinstance(item, dict):
            self.problem(path, "each entry must be a mapping", "每一项应为映射")
            return False
        ok = True
        for key in item:
            if key not in allowed:
                self.problem(
                    f"{path}.{key}",
                    f"unknown field {key!r}",
                    f"未知字段 {key!r}",
                    ", ".join(sorted(allowed)),
                    item,
                    key,
                )
                ok = False
        for key in sorted(required - set(item)):
            self.problem(
                f"{path}.{key}",
                f"missing required field {key!r}",
                f"缺少必填字段 {key!r}",
                mapping=item,
            )
            ok = False
        return ok


def _list(reader: _Reader, items, section: str) -> list:
    if isinstance(items, list):
        return items
    reader.problem(section, f"{section} must be a list", f"{section} 应为列表")
    return []


def _opt(item: dict, key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value)


def _is_year(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return bool(re.fullmatch(r"\d{4}", value)) and 1990 <= int(value) <= 2100
    return isinstance(value, int) and 1990 <= value <= 2100
