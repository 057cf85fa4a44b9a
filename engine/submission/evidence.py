"""The `evidence:` section: each item's id, kind (with the level, type or form only its kind
has) and file, whose sha256 is computed from the file beside the submission and must agree with
the one written down."""

from __future__ import annotations

import re
from pathlib import Path

from demozone.submission.evidence_file import EvidenceRefused, evidence_sha256
from demozone.submission.model import EVIDENCE_FIELDS, EVIDENCE_KEYS, EVIDENCE_KINDS, Evidence
from demozone.submission.reading import Reading, blank, scalar_text

_SHA256 = re.compile(r"[0-9a-fA-F]{64}\Z")


def read_evidence(reading: Reading, items: list) -> dict[str, Evidence]:
    """The evidence items by id. Every id is declared (for the judgments citing it) even when
    its item has other problems, so one mistake is not reported twice."""
    evidence: dict[str, Evidence] = {}
    for index, item in enumerate(items):
        path = f"evidence[{index}]"
        item_id = _evidence_id(reading, item, path)
        if not reading.keys(item, EVIDENCE_KEYS, ("id", "title", "kind"), path) or not item_id:
            continue
        kind_ok = _evidence_kind(reading, item, path)
        texts_ok = _evidence_texts(reading, item, path)
        digest, hash_ok = _evidence_hash(reading, item, path)
        if kind_ok and texts_ok and hash_ok and item_id not in evidence:
            evidence[item_id] = _evidence_item(item_id, item, digest, path)
    return evidence


def _evidence_id(reading: Reading, item, path: str) -> str | None:
    """The id of an evidence item, declared even when the item has other problems."""
    if not isinstance(item, dict) or blank(item.get("id")):
        return None
    item_id = scalar_text(item["id"])
    if item_id is not None and reading.text(item, "id", f"{path}.id", short=True) is None:
        return None
    if item_id is None:
        reading.problem(
            f"{path}.id",
            f"id {item['id']!r} must be a short text such as E1",
            "材料编号应为简短文字（如 E1）",
            "E1",
            item,
            "id",
        )
        return None
    if item_id in reading.declared_evidence:
        reading.problem(
            f"{path}.id",
            f"duplicate evidence id {item_id!r}",
            f"证明材料编号 {item_id!r} 重复",
            "an id used once in the submission",
            item,
            "id",
        )
    reading.declared_evidence.add(item_id)
    return item_id


def _evidence_texts(reading: Reading, item: dict, path: str) -> bool:
    """The title, and the issuer and date when given, are single-line text of bounded length."""
    keys = [
        key for key in ("title", "issued_by", "date") if key == "title" or item.get(key) is not None
    ]
    return all([reading.text(item, key, f"{path}.{key}") is not None for key in keys])


def _evidence_kind(reading: Reading, item: dict, path: str) -> bool:
    kind = item["kind"]
    if kind not in EVIDENCE_KINDS:
        reading.problem(
            f"{path}.kind",
            f"unknown evidence kind {kind!r}",
            f"未知的证明材料类型 {kind!r}",
            ", ".join(EVIDENCE_KINDS),
            item,
            "kind",
        )
        return False
    return all([_kind_field(reading, item, path, kind, other) for other in EVIDENCE_FIELDS])


def _kind_field(reading: Reading, item: dict, path: str, kind: str, field_kind: str) -> bool:
    """The level/type/form field is given only for its kind, with a contract value."""
    field, allowed = EVIDENCE_FIELDS[field_kind]
    if field not in item:
        return True
    if field_kind != kind:
        reading.problem(
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
    reading.problem(
        f"{path}.{field}",
        f"{field} {item[field]!r} is not one of the contract's values",
        f"{field} 的取值 {item[field]!r} 不在规定范围内",
        ", ".join(allowed),
        item,
        field,
    )
    return False


def _evidence_hash(reading: Reading, item: dict, path: str) -> tuple[str | None, bool]:
    """(sha256, ok): the file's hash if a file is given, else the given hash."""
    given = item.get("sha256")
    if given is not None and not (isinstance(given, str) and _SHA256.match(given)):
        reading.problem(
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
    actual = _file_hash(reading, item, path)
    if actual is None:
        return None, False
    if given is not None and given != actual:
        reading.problem(
            f"{path}.sha256",
            f"sha256 does not match the file: given {given}, file has {actual}",
            f"sha256 与文件不符：填写 {given}，文件实际为 {actual}",
            actual,
            item,
            "sha256",
        )
        return None, False
    return actual, True


def _file_hash(reading: Reading, item: dict, path: str) -> str | None:
    """The sha256 of the evidence file (inside the submission's folder, or the evidence root),
    or None after a problem."""
    name = item["file"]
    if not isinstance(name, str) or not name.strip() or Path(name).is_absolute():
        reading.problem(
            f"{path}.file",
            f"file {name!r} must be a path relative to the submission file",
            f"文件 {name!r} 应为相对于提交文件所在目录的路径",
            "e.g. evidence/e1.pdf",
            item,
            "file",
        )
        return None
    folder = (reading.directory / name).parent
    if not folder.is_dir() and folder.resolve().is_relative_to(reading.directory.resolve()):
        where = ("the submission file", "提交文件所在目录")
        if reading.evidence_root is not None:
            where = (str(reading.evidence_root), str(reading.evidence_root))
        _missing_folder(reading, item, path, name, folder, where)
        return None
    try:
        return evidence_sha256(reading.directory, name)
    except EvidenceRefused as refused:
        reading.problem(
            f"{path}.file",
            refused.en,
            refused.zh,
            f"a file inside {reading.directory}",
            item,
            "file",
        )
        return None


def _missing_folder(reading: Reading, item, path: str, name: str, folder: Path, where) -> None:
    """A missing evidence folder, named once however many items are in it."""
    if folder in reading.missing_folders:
        return
    reading.missing_folders.add(folder)
    relative = str(Path(name).parent)
    reading.problem(
        f"{path}.file",
        f"evidence file {name!r} does not exist: the folder {relative!r} is missing (relative "
        f"to {where[0]}); the other items in it are not listed again",
        f"证明材料文件 {name!r} 不存在：文件夹 {relative!r} 不存在（路径相对于{where[1]}），"
        "该文件夹中的其他材料不再逐项列出",
        f"a folder at {folder} (or --evidence-root DIR)",
        item,
        "file",
    )


def _opt(item: dict, key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value)


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
