"""`--lang en` prints natural English: once the verbatim Chinese of the sources and of the
submission (indicator and clause texts, quoted passages, document titles and numbers, the
county's own names, evidence titles, the category words of the submission format) is taken out,
no Han character is left in score, explain, history or the HTML report, for every example and
for generated submissions. The Chinese run, with ids and paths taken out, holds none of
demozone's English words."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from demozone.cli import main_group
from demozone.kb.load import load_kb
from demozone.rules.load import rule_set_for
from demozone.submission.model import EVIDENCE_FIELDS
from demozone.submission.synthetic import synthetic_document

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# a run of text outside ASCII that holds a Han character: what is left to explain
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]*[\u3400-\u9fff\uf900-\ufaff][^\x00-\x7f]*")
# a run at least this long, found word for word in a source document, is a quotation
QUOTED_RUN = 6
ENGLISH = re.compile(
    r"(?i)\b(points?|clauses?|assessors?|satisfied|indicators?|total|scored|reasons?|needs|"
    r"would|qualif\w*|missing|judgments?|the|and|of|below|above|more)\b"
)
IDENTIFIER = re.compile(r"\S*[/._:-]\S*")  # ids, paths, IRIs, file names: not words


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _verbatim(documents: list[dict]) -> list[str]:
    """Every Chinese text demozone quotes rather than writes, longest first (a shorter one
    may be part of a longer)."""
    found: set[str] = set()

    def add(value) -> None:
        if value is not None and HAN.search(str(value)):
            text = str(value)
            found.update({text, text.strip(), _one_line(text), _one_line(text)[:80]})

    kb = load_kb()
    for source in kb.sources.values():
        add(source.title), add(source.issuer), add(source.document_number)
    for system in kb.systems.values():
        add(system.title)
        for anchor in system.pass_rule.anchors if system.pass_rule else ():
            add(anchor.quote)
        for indicator in system.indicators:
            for text in (indicator.label, indicator.criterion, indicator.rule_text):
                add(text)
            add(indicator.methods), add(indicator.units_text)
            for name in indicator.unit_names:
                add(name)
            for anchor in indicator.anchors:
                add(anchor.quote)
            for clause in indicator.clauses:
                add(clause.text)
                for anchor in clause.anchors:
                    add(anchor.quote)
    for _field, values in EVIDENCE_FIELDS.values():
        for value in values:
            add(value)

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(key), walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        else:
            add(node)

    for document in documents:
        walk(document)
    return sorted(found, key=len, reverse=True)


def _sources_text() -> str:
    return "\n".join(s.text for s in load_kb().sources.values() if s.text)


def _visible(text: str, suffix: str) -> str:
    if suffix != ".html":
        return text
    text = re.sub(r"<(style|script)\b.*?</\1>", "", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", text))


def _left_over(text: str, verbatim: list[str], sources: str) -> list[str]:
    for quoted in verbatim:
        text = text.replace(quoted, " ")
    runs = NON_ASCII_RUN.findall(text)
    return sorted({r for r in runs if not (len(r) >= QUOTED_RUN and r in sources)})


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main_group, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def _outputs(file: Path, store: str, lang: str, folder: Path) -> dict[str, str]:
    """What score, explain, history and report (HTML) print or write for one submission."""
    score = _cli("score", str(file), "--store", store, "--lang", lang, "--again")
    explain = _cli("explain", str(file), "--store", store, "--lang", lang)
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    history = _cli("history", doc["submission"]["id"], "--store", store, "--lang", lang)
    report = folder / f"report-{lang}.html"
    _cli("report", str(file), "--format", "html", "--lang", lang, "-o", str(report))
    return {
        "score": score,
        "explain": explain,
        "history": history,
        "report": _visible(report.read_text(encoding="utf-8"), ".html"),
    }


def _submissions(tmp_path_factory) -> list[Path]:
    files = [
        ROOT / "examples" / name / "submission.yaml"
        for name in ("national-2022", "national-2024-draft", "hejin-2023")
    ]
    folder = tmp_path_factory.mktemp("generated")
    for system in ("national-2022", "national-2024-draft"):
        for seed in (3, 17):
            doc = synthetic_document(rule_set_for(system), seed)
            file = folder / f"{system}-{seed}.yaml"
            file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
            files.append(file)
    return files


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[dict]:
    store = str(tmp_path_factory.mktemp("store") / "store")
    result = []
    for file in _submissions(tmp_path_factory):
        folder = tmp_path_factory.mktemp("out")
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        result.append(
            {
                "file": file,
                "doc": doc,
                "en": _outputs(file, store, "en", folder),
                "zh": _outputs(file, store, "zh", folder),
            }
        )
    return result


def test_english_output_has_no_chinese_but_the_quoted_source_and_submission_text(runs):
    sources = _sources_text()
    for run in runs:
        verbatim = _verbatim([run["doc"]])
        for command, text in run["en"].items():
            assert not _left_over(text, verbatim, sources), (run["file"].name, command)


def test_chinese_output_has_none_of_demozones_english_words(runs):
    for run in runs:
        for command, text in run["zh"].items():
            words = ENGLISH.findall(IDENTIFIER.sub(" ", text))
            assert not words, (run["file"].name, command, sorted(set(words)))


def test_the_check_finds_a_chinese_sentence_of_demozones_own():
    verbatim = _verbatim([])
    leaked = "Clause 3.1: 条款3.1评审意见1票满足、1票不满足，未过半数"
    assert _left_over(leaked, verbatim, _sources_text())
    quoted = f"Criterion: {load_kb().systems['national-2022'].indicators[0].criterion}"
    assert not _left_over(quoted, verbatim, _sources_text())


def _commands(group, prefix=()):
    import click

    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


# they print data, not sentences: a graph's N-Quads
_DATA_ONLY = {("store", "export")}


def test_every_command_that_prints_text_takes_lang():
    lacking = [
        " ".join(name)
        for name, command in _commands(main_group)
        if name not in _DATA_ONLY and not any(p.name == "lang" for p in command.params)
    ]
    assert not lacking
