"""The top of a submission: its sections, and the `submission:` header (id, region, region
class, indicator system, assessed years) checked against the catalog of systems."""

from __future__ import annotations

import difflib
import re

from demozone.submission.model import HEADER_FIELDS, SECTIONS, SystemInfo
from demozone.submission.reading import Reading, as_year, blank

_ID = re.compile(r"[a-z0-9-]+")  # matched in full (fullmatch): no final newline slips through


def check_sections(reading: Reading, doc: dict) -> None:
    """Report unknown sections (with the closest known name) and a missing header."""
    for key in doc:
        if key not in SECTIONS:
            close = difflib.get_close_matches(str(key), SECTIONS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            reading.problem(
                str(key),
                f"unknown section {key!r}{hint}",
                f"未知的部分 {key!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
                ", ".join(SECTIONS),
                doc,
                key,
            )
    if "submission" not in doc:
        reading.problem(
            "submission",
            "missing the `submission:` section",
            "缺少 submission 部分（编号、名称、地区分类、指标体系、评估年度）",
            ", ".join(HEADER_FIELDS),
        )


def section(reading: Reading, doc: dict, name: str, shape: type, shape_zh: str):
    """The section if present and of the right shape; None (and a problem if wrong) else."""
    value = doc.get(name)
    if value is None or isinstance(value, shape):
        return value
    shape_en = "a mapping" if shape is dict else "a list"
    reading.problem(
        name,
        f"section {name!r} must be {shape_en}",
        f"{name} 部分应为{shape_zh}",
        shape_en,
        doc,
        name,
    )
    return None


def read_header(
    reading: Reading, header: dict | None, system_override: str | None
) -> SystemInfo | None:
    """Check the `submission:` header and settle the assessed years; the system it names, if
    known (`system_override` replaces the one in the file)."""
    if header is None:  # missing or not a mapping: already reported
        header = {}
    else:
        reading.keys(header, HEADER_FIELDS, HEADER_FIELDS, "submission")
    _header_id(reading, header)
    for key in ("region", "region_class", "system"):
        if not blank(header.get(key)) and not isinstance(header[key], str):
            reading.problem(
                f"submission.{key}",
                f"{key} must be text, got {header[key]!r}",
                f"{key} 应为文字",
                "text",
                header,
                key,
            )
        elif not blank(header.get(key)):
            reading.text(header, key, f"submission.{key}", short=key != "region")
    reading.years = _years(reading, header)
    system_id = system_override or header.get("system")
    if not isinstance(system_id, str) or blank(system_id):
        return None
    info = reading.catalog.system_info(system_id)
    if info is None:
        _unknown_system(reading, system_id, header)
        return None
    _region_class(reading, header, info)
    return info


def _header_id(reading: Reading, header: dict) -> None:
    value = header.get("id")
    if blank(value) or (isinstance(value, str) and _ID.fullmatch(value) and len(value) <= 64):
        return
    shown = repr(value)[:70]
    reading.problem(
        "submission.id",
        f"id {shown} must use only a-z, 0-9 and -, at most 64 characters",
        f"编号 {shown} 只能包含小写字母、数字和连字符（如 wanrong-2024）",
        "[a-z0-9-]+, e.g. wanrong-2024",
        header,
        "id",
    )


def _unknown_system(reading: Reading, system_id: str, header: dict) -> None:
    known = reading.catalog.system_ids()
    close = difflib.get_close_matches(system_id, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    reading.problem(
        "submission.system",
        f"unknown indicator system {system_id!r}{hint}",
        f"未知的指标体系 {system_id!r}" + (f"，是否应为 {close[0]!r}？" if close else ""),
        ", ".join(known),
        header,
        "system",
    )


def _years(reading: Reading, header: dict) -> tuple[int, ...]:
    raw = header.get("years")
    if raw is None:
        return ()
    years = [as_year(y) for y in raw] if isinstance(raw, list) else []
    if years and None not in years and years == sorted(set(years)):
        return tuple(years)
    reading.problem(
        "submission.years",
        f"years must be ascending, distinct four-digit years, got {raw!r}",
        f"评估年度应为按升序排列、不重复的四位整数年份，实际为 {raw!r}",
        "e.g. [2023, 2024]",
        header,
        "years",
    )
    return ()


def _region_class(reading: Reading, header: dict, info: SystemInfo) -> None:
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
    reading.problem(
        "submission.region_class",
        f"region class {region_class!r} is not known to {info.id}{hint}",
        f"指标体系 {info.id} 没有地区分类 {region_class!r}{hint_zh}",
        ", ".join(sorted(info.region_classes)),
        header,
        "region_class",
    )
