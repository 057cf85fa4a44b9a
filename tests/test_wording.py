"""Reasons and explanations read as an evaluation report is written (issue 15, item 2;
report-style.md): the text of `score` and `explain` (every indicator) for every example
submission and 200 generated ones, under both national systems and the local variant with an
example, holds no operator, boolean, metric or other snake_case id, and no 情形 / 未命中; the
table names the system's own levels; evidence is summarised in a line; `--lang en` writes
English sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from demozone.cli.common import main_group
from demozone.kb.metrics import metric_vocabulary
from demozone.rules.lookup import rules_of
from demozone.submission.synthetic import synthetic_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/submission.yaml")) + sorted(
    (ROOT / "examples" / "impact").glob("*.yaml")
)
# 200 generated submissions: both national systems, and the local variant an example uses
GENERATED = {"national-2022": 80, "national-2024-draft": 80, "hejin-2023": 40}
FORBIDDEN = ("<=", ">=", " and ", " or ", "True", "False", "None", "情形", "未命中")
# any snake_case token: metric ids, reference ids (national_…), parameters, item fields
SNAKE = re.compile(r"(?<![A-Za-z0-9_.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


def _texts(path: Path, lang: str = "zh") -> dict[str, str]:
    runner = CliRunner()
    texts = {}
    for verb, args in (
        ("score", ["score", str(path), "--no-store"]),
        ("explain", ["explain", str(path)]),
    ):
        result = runner.invoke(main_group, [*args, "--lang", lang])
        assert result.exit_code == 0, (path, verb, result.output)
        texts[verb] = result.stdout
    return texts


def _faults(text: str, forbidden: tuple[str, ...] = FORBIDDEN) -> list[str]:
    found = [word for word in forbidden if word in text]
    found += sorted(set(SNAKE.findall(text)))
    found += [m for m in metric_vocabulary() if m in text]
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated")
    files = []
    for system, count in GENERATED.items():
        rule_set = rules_of(system)
        for seed in range(count):
            path = folder / f"{system}-{seed}.json"
            document = synthetic_document(rule_set, seed)
            path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
            files.append(path)
    return files


def test_examples_are_scored_and_explained_without_operators_booleans_or_ids():
    assert len(EXAMPLES) >= 27
    systems = set()
    for path in EXAMPLES:
        texts = _texts(path)
        systems.add(texts["score"].splitlines()[1].rsplit("（", 1)[-1].rstrip("）"))
        for verb, text in texts.items():
            assert not _faults(text), (path.name, verb, _faults(text))
    assert {"national-2022", "national-2024-draft", "hejin-2023"} <= systems


def test_200_generated_submissions_are_scored_and_explained_without_operators_or_ids(generated):
    assert len(generated) == 200
    for path in generated:
        for verb, text in _texts(path).items():
            assert not _faults(text), (path.name, verb, _faults(text))


def test_the_score_table_names_the_levels_of_its_own_system():
    sheet_2024 = _texts(ROOT / "examples/national-2024-draft/submission.yaml")["score"]
    sheet_2022 = _texts(ROOT / "examples/national-2022/submission.yaml")["score"]
    assert "三级指标" not in sheet_2024 and "序号  二级指标" in sheet_2024
    assert "序号  三级指标" in sheet_2022
    assert "(+" not in sheet_2024 + sheet_2022 and "rules gave" not in sheet_2024 + sheet_2022


def test_reasons_read_as_an_assessment_report():
    sheet = _texts(ROOT / "examples/national-2024-draft/submission.yaml")["score"]
    rows = {line.split()[0]: line for line in sheet.splitlines() if line[:4].strip().isdigit()}
    assert "低于同期社会消费品零售总额同比增速（6.74%）" in rows["2"]
    assert "比重为9.45%（1380户/14600户），未达到10%，按6%至10%档计1分（最高3分）" in rows["3"]
    assert "条款4.1专家组2人中1人认定满足，未过半数，不得分。" in rows["4"]
    assert "低于全国网络消费(网购)投诉调解成功率（70.10%）" in rows["17"]


def test_evidence_items_are_summarised_in_one_line_each_way():
    explained = (
        CliRunner()
        .invoke(
            main_group,
            ["explain", str(ROOT / "examples/national-2024-draft/submission.yaml"), "-i", "25"],
        )
        .stdout
    )
    counted = [line for line in explained.splitlines() if "符合条件的证明材料" in line]
    assert counted[0].strip().startswith("符合条件的证明材料2项：E7 ")
    others = [line for line in explained.splitlines() if line.strip().startswith("不符合条件的")]
    assert len(others) == 2 and "E1 网络经营主体赋能制造典型案例汇编（文件）" in others[0]
    assert others[0].rstrip().endswith("不是表彰认可。")
    assert len(explained.splitlines()) < 40


def test_assessors_are_named_with_their_verdicts():
    explained = (
        CliRunner()
        .invoke(
            main_group,
            ["explain", str(ROOT / "examples/national-2022/submission.yaml"), "-i", "29"],
        )
        .stdout
    )
    assert (
        "条款29.2：expert-li认定不满足，expert-wang认定满足；专家意见不一致（1:1），未过半数，不得分。"
        in explained
    )


# English prose says "and" and "none"; operators, booleans and ids are still out
EN_FORBIDDEN = ("<=", ">=", "= True", "= False", "= None", "情形", "未命中", "(+", "rules gave")
CHINESE_FRAMES = ("得分", "扣分原因", "符合条件", "认定满足", "不得分", "计分说明", "低于", "超过")


@pytest.mark.parametrize("example", ["national-2022", "national-2024-draft", "hejin-2023"], ids=str)
def test_lang_en_writes_english_sentences(example):
    texts = _texts(ROOT / "examples" / example / "submission.yaml", "en")
    score = texts["score"]
    assert "First-level indicator" in score and "reasons for lost points" in score
    # the why-not lines come from the kinds' why-not (their own work); the rest is English
    explained = "\n".join(
        block.split("  What would raise it")[0] for block in texts["explain"].split("\n\n")
    )
    for text in (score, explained):
        assert not _faults(text, EN_FORBIDDEN), _faults(text, EN_FORBIDDEN)
        # Chinese stays in quotations of the source, labels and titles, not in sentence frames
        frames = [line for line in text.splitlines() if any(f in line for f in CHINESE_FRAMES)]
        frames = [
            line
            for line in frames
            if not line.lstrip().startswith(("Source:", "Criterion:", "Clause "))
        ]
        assert not frames, frames[:3]


TEXT_COMMANDS = (
    ["score"],
    ["explain"],
    ["report"],
    ["history"],
    ["compare"],
    ["show"],
    ["systems"],
    ["diff"],
    ["impact"],
    ["lint"],
)


@pytest.mark.parametrize("verb", TEXT_COMMANDS, ids=" ".join)
def test_every_command_that_prints_text_takes_lang(verb):
    shown = CliRunner().invoke(main_group, [*verb, "--help"])
    assert shown.exit_code == 0 and "--lang" in shown.output


@pytest.mark.parametrize(
    "args",
    [
        ["systems"],
        ["show", "national-2024-draft"],
        ["lint", "national-2022"],
        ["impact", "national-2022", "national-2022-strict", str(ROOT / "examples/impact")],
    ],
    ids=lambda args: args[0],
)
def test_lang_en_frames_are_english(args):
    done = CliRunner().invoke(main_group, [*args, "--lang", "en"])
    assert done.exit_code == 0, done.output
    frames = ("合格", "分值", "得分", "错误", "警告", "分解自", "修订自", "汇总", "指标 ", "变化：")
    assert not [f for f in frames if f in done.stdout], done.stdout[:400]
