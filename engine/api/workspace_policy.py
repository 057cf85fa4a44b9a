"""What the policy staff's room needs, for the web and the CLI alike: the policy folder of
rule variants beside the store, one rule set's indicators as a table (clause text and the
rules' own summary), the stored submissions an impact run can use, and adding a variant to the
policy folder only when lint finds no error in it.

The policy folder is `<store dir>-rules/` beside the store (./demozone-data-rules for the default
store; a store on a server: ./demozone-rules). Not inside it: the embedded store refuses a
directory that holds anything but its own files. It is searched for rule sets first, like the
CLI's `--rules DIR`, so a variant placed there is selectable wherever a system id is taken.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from demozone.common.errors import InputError, Problem, StoreError
from demozone.common.hashing import sha256_file
from demozone.common.paths import HOME
from demozone.common.yamlio import load_yaml_text
from demozone.kb import load as _kb
from demozone.kb import view as _view
from demozone.kb import wording
from demozone.policy.diff.rules import describe_rule
from demozone.policy.impact import report as _report
from demozone.policy.lint.run import lint as _lint
from demozone.rules import sources as _sources
from demozone.rules.lookup import rules_of
from demozone.store.location import store_location

FOLDER_SUFFIX = "-rules"
SERVER_FOLDER = "demozone-rules"  # a store on a SPARQL server has no folder of its own
VARIANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
YAML_SUFFIXES = (".yaml", ".yml")
WORKBOOK_SUFFIX = ".xlsx"


def policy_rules_dir(store: str | None = None) -> Path:
    """The policy folder of a store (`<store dir>-rules` beside it; ./demozone-rules for a
    store on a server), created when missing."""
    where = store_location(store)
    if where.lower().startswith(("http://", "https://")):
        folder = Path(SERVER_FOLDER).resolve()
    else:
        store_dir = Path(where).resolve()
        folder = store_dir.with_name(store_dir.name + FOLDER_SUFFIX)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def use_policy_rules(store: str | None = None) -> Path:
    """Search the store's policy folder for rule sets first (as `--rules DIR` does); returns
    the folder. Calling it again for the same folder changes nothing."""
    folder = policy_rules_dir(store)
    chosen = [d for d, origin in _sources.rule_dirs() if origin == "--rules"]
    if chosen != [folder]:
        _sources.use_rule_dirs([folder])
    return folder


def rule_set_table(rule_set: str, lang: str = "zh", kb_dir=None) -> dict:
    """A rule set's system as a table: the system's summary (pass rule in words, lineage,
    level names) and its levels, each indicator with its points, clauses (verbatim text and
    points) and what its rules award (`rules`, in the words of `demozone diff`).

    InputError for an unknown rule set."""
    rules = rules_of(rule_set)
    kb = _kb.load_kb(kb_dir)
    system = _view.find_system(kb, rules.kb_system)
    detail = _view.system_detail(kb, system)
    rows = []
    for level in detail["levels"]:
        groups = [(None, level["indicators"])] + [
            (sub, sub["indicators"]) for sub in level["second_level"]
        ]
        for sub, indicators in groups:
            for entry in indicators:
                one = _view.indicator_detail(
                    kb, system, _view.find_indicator(system, entry["number"])
                )
                scored = rules.indicator(entry["number"])
                rows.append(
                    {
                        "first_level": wording.label_text(level, lang),
                        "second_level": wording.label_text(sub, lang) if sub else "",
                        "number": entry["number"],
                        "label": wording.label_text(entry, lang),
                        "points": wording.points_text(entry["points"], lang),
                        "clauses": [
                            {
                                "id": c["id"],
                                "text": c["text"],
                                "points": wording.points_text(c["points"], lang)
                                if c["points"] is not None
                                else wording.system_words(lang)["no_points"],
                            }
                            for c in one["clauses"]
                        ],
                        "rule_text": one["rule_text"],
                        "rules": [describe_rule(r, lang) for r in scored.rules] if scored else [],
                    }
                )
    return {
        "rule_set": rules.system,
        "title": rules.title,
        "kb_system": rules.kb_system,
        "extends": rules.extends,
        "system_title": detail["title"],
        "pass_rule": wording.pass_rule_text(_pass_rule(rules), lang),
        "level_names": detail.get("level_names", {}).get("en" if lang == "en" else "zh", []),
        "indicators": rows,
    }


def _pass_rule(rules) -> dict:
    rule = rules.pass_rule
    return {
        "total_at_least": _number(rule.total_at_least),
        "first_level_rate_at_least": _percent(rule.first_level_rate_at_least),
    }


def _number(value) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def _percent(value) -> str:
    shown = value * 100
    return f"{_number(shown)}%"


def stored_submissions(store: str | None = None) -> list[dict]:
    """The submissions of the store's assessments, the latest assessment of each: submission,
    assessment, system, total, passed, recorded file, and whether an impact run can use it
    (`usable`: the recorded file is still there with the sha256 the assessment recorded;
    `why` says otherwise). The store keeps a submission's digest, not its content, so a file
    that moved or changed cannot be used. An empty list when there is no store yet."""
    from demozone.assessment.resolve import resolve_assessment, stored_record
    from demozone.store.location import open_store

    try:
        with open_store(store, create=False) as opened:
            infos = opened.assessments()
    except StoreError:
        return []
    latest = {info.submission: info for info in infos}  # oldest first: the last one wins
    rows = []
    for info in latest.values():
        record = stored_record(resolve_assessment(info.iri, store))
        usable, why = _usable(record.file, record.sha256)
        rows.append(
            {
                "submission": info.submission,
                "assessment": info.id,
                "system": info.system,
                "total": info.total,
                "passed": info.passed,
                "file": record.file,
                "usable": usable,
                "why": why,
            }
        )
    return sorted(rows, key=lambda row: row["submission"])


def _usable(file: str, sha256: str) -> tuple[bool, str]:
    if not file:
        return False, "评估记录未保存文件位置 / the assessment recorded no file"
    path = Path(file)
    if not path.is_file():
        return False, "文件已不存在 / the file is gone"
    if sha256_file(path) != sha256:
        return False, "文件在评估后已被修改 / the file changed since"
    return True, ""


def example_sets() -> list[dict]:
    """The example folders shipped beside the engine that hold valid submission files (the
    folder of invalid ones left out): name and its submission files. Empty in an installation
    without examples/."""
    from demozone.policy.impact.run import submission_files

    found = []
    folder = HOME / "examples"
    for sub in sorted(folder.iterdir()) if folder.is_dir() else ():
        files = submission_files([sub]) if sub.is_dir() and sub.name != "invalid" else []
        files = [f for f in files if not f.name.startswith("expected-")]  # scores, not input
        if files:
            found.append({"name": sub.name, "files": [str(f) for f in files]})
    return found


def add_variant(
    upload: Path | str,
    name: str,
    store: str | None = None,
    *,
    base: str | None = None,
    system: str | None = None,
) -> dict:
    """Lint an uploaded variant and, only when lint finds no error, add it to the policy folder.

    `upload` is the uploaded file, `name` its original name: a YAML rule file (its id is its
    `system:`), or a rule workbook (.xlsx, from `demozone rules export`) made into a variant of
    `base` named `system`. Returns {"written": bool, "system", "file" (None when refused),
    "lint": the lint report as `lint --json` gives it (file locations named by `name`)}.
    InputError (nothing written) for a file that cannot be read as a rule set or a workbook, an
    id that is not a plain name, or an id a rule set already has."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="demozone-variant-") as scratch:
        if suffix in YAML_SUFFIXES:
            variant_id = _yaml_id(Path(upload), name)
            candidate = Path(scratch) / f"{variant_id}.yaml"
            shutil.copyfile(upload, candidate)
        elif suffix == WORKBOOK_SUFFIX:
            variant_id = _checked_id(system or Path(name).stem, name, "id")
            if not base:
                raise InputError(
                    [Problem(name, "base", "choose the base rule set", "请选择基础规则")]
                )
            _checked_id(base, name, "base")
            from demozone.api.rulebooks import import_rules

            candidate = Path(scratch) / f"{variant_id}.yaml"
            import_rules(upload, base, candidate, variant_id)
        else:
            raise InputError(
                [
                    Problem(
                        name,
                        "",
                        "not a rule file (.yaml) or rule workbook (.xlsx)",
                        "不是规则文件（.yaml）或规则表（.xlsx）",
                        ".yaml, .yml or .xlsx",
                    )
                ]
            )
        _not_taken(variant_id, name)
        try:
            report = _lint(str(candidate))
        except InputError as err:
            raise InputError([_renamed(p, candidate, name) for p in err.problems]) from None
        shown = report.to_dict()
        for finding in shown["findings"]:
            if _is(finding["location"]["file"], candidate):
                finding["location"]["file"] = name
        shown["files"] = [name if _is(f, candidate) else f for f in shown["files"]]
        if not report.ok:
            return {"written": False, "system": variant_id, "file": None, "lint": shown}
        target = policy_rules_dir(store) / f"{variant_id}.yaml"
        shutil.copyfile(candidate, target)
    return {"written": True, "system": variant_id, "file": str(target), "lint": shown}


def _is(shown_file: str, candidate: Path) -> bool:
    """Whether a file lint names (possibly shortened) is the scratch copy of the upload."""
    return Path(shown_file).name == candidate.name and str(candidate.parent) in str(
        Path(shown_file).resolve()
    )


def _renamed(problem, candidate: Path, name: str):
    """A problem of the scratch copy, said of the uploaded file's name."""
    if not _is(problem.file, candidate):
        return problem
    return Problem(
        name, problem.path, problem.message, problem.message_zh, problem.expected, problem.line
    )


def _yaml_id(path: Path, name: str) -> str:
    try:
        document = load_yaml_text(path.read_bytes().decode("utf-8"), name)
    except UnicodeDecodeError:
        raise InputError([Problem(name, "", "not UTF-8 text", "文件不是UTF-8编码")]) from None
    written = document.get("system") if isinstance(document, dict) else None
    if not isinstance(written, str):
        raise InputError(
            [
                Problem(
                    name, "system", "the rule file names no system id", "规则文件缺少 system: 编号"
                )
            ]
        )
    extends = document.get("extends")
    if extends is not None:  # a variant names its base by id: no file of the server by path
        _checked_id(str(extends), name, "extends")
    return _checked_id(written, name, "system")


def _checked_id(variant_id: str, name: str, field: str) -> str:
    if not VARIANT_ID.match(variant_id):
        raise InputError(
            [
                Problem(
                    name,
                    field,
                    f"{variant_id!r} is not a plain id (letters, digits, . _ -)",
                    f"编号 {variant_id!r} 只能由字母、数字和 . _ - 组成",
                    "an id such as my-variant-1",
                )
            ]
        )
    return variant_id


def _not_taken(variant_id: str, name: str) -> None:
    taken = {source.system: source.file for source in _sources.rule_sources()}
    if variant_id in taken:
        raise InputError(
            [
                Problem(
                    name,
                    "system",
                    f"a rule set {variant_id!r} exists already ({taken[variant_id]}): "
                    "give the variant a new id",
                    f"规则 {variant_id!r} 已存在（{taken[variant_id]}）：请为变体另取编号",
                )
            ]
        )


# The causes of a pass/fail flip in the impact report's own words (zh, en).
IMPACT_CAUSE_WORDS = _report.CAUSE_WORDS
