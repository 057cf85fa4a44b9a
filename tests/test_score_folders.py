"""`demozone score DIR`: folders (and --recursive), the one-line-per-submission summary, progress,
evidence found relative to the submission file or to --evidence-root, and a missing evidence
folder named once (issue 16, item 3)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from demozone.api import InputError, assess_many, batch_summary, submission_files
from demozone.cli import main_group
from demozone.store.location import open_store

ROOT = Path(__file__).resolve().parent.parent
IMPACT = ROOT / "examples" / "impact"
NATIONAL = ROOT / "examples" / "national-2022"
INVALID = ROOT / "examples" / "invalid"


def score(*args: str):
    return CliRunner().invoke(main_group, ["score", *args, "--no-store", "--workers", "1"])


def test_score_a_folder_prints_the_summary_table_for_examples_impact():
    result = score(str(IMPACT))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("汇总 summary: 24 份 submissions, 18 合格 pass, 6 不合格 fail")
    rows = {line.split()[0]: line for line in lines[2:]}
    assert sorted(rows) == [f"impact-{n:02d}" for n in range(1, 25)]
    assert len(lines) == 26  # the summary only: no per-submission tables
    assert "national-2022" in rows["impact-01"] and "92/100" in rows["impact-01"]
    assert "合格 pass" in rows["impact-01"]
    assert (
        "不合格 fail" in rows["impact-14"] and "规范监管 18/25=72.00%<75.00%" in rows["impact-14"]
    )
    assert "综合保障 11/15=73.33%<75.00%" in rows["impact-17"]


def test_details_print_each_result_before_the_summary_and_json_lists_results():
    detailed = score(str(IMPACT), "--details")
    assert detailed.exit_code == 0 and detailed.stdout.count("（满分100分）") == 24
    assert "汇总 summary: 24" in detailed.stdout
    shaped = json.loads(score(str(IMPACT), "--json").stdout)
    assert len(shaped) == 24 and shaped[0]["submission"] == "impact-01"


def test_a_folder_under_a_variant_names_the_levels_below_its_rate():
    result = score(str(IMPACT), "--system", "national-2022-strict")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("impact-02"))
    assert "national-2022-strict" in line and "规范监管 19/25=76.00%<80.00%" in line


def test_recursive_takes_the_folders_below_and_leaves_out_files_that_are_not_submissions(
    tmp_path,
):
    shutil.copy(IMPACT / "01-strong.yaml", tmp_path)
    (tmp_path / "below").mkdir()
    shutil.copy(IMPACT / "02-regulate-76.yaml", tmp_path / "below")
    shutil.copy(NATIONAL / "expected-scores.yaml", tmp_path)
    flat = submission_files([tmp_path])
    assert [p.name for p in flat.files] == ["01-strong.yaml"]
    assert [p.name for p in flat.skipped] == ["expected-scores.yaml"]
    deep = submission_files([tmp_path], recursive=True)
    assert [p.name for p in deep.files] == ["01-strong.yaml", "02-regulate-76.yaml"]
    result = score(str(tmp_path), "--recursive")
    assert result.exit_code == 0, result.output
    assert (
        "impact-02" in result.stdout and "expected-scores.yaml is not a submission" in result.stderr
    )


def test_a_folder_without_submissions_is_a_usage_error(tmp_path):
    result = score(str(tmp_path))
    assert result.exit_code == 2 and "没有提交文件" in result.stderr


def test_a_bad_file_gets_its_problems_in_the_summary_and_nothing_is_recorded(tmp_path):
    shutil.copy(IMPACT / "01-strong.yaml", tmp_path)
    shutil.copy(INVALID / "missing-region.yaml", tmp_path)
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main_group, ["score", str(tmp_path), "--store", str(store), "--workers", "1"]
    )
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert "1 有问题 with problems" in lines[0]
    good = next(x for x in lines if "01-strong.yaml" in x)
    bad = next(x for x in lines if "missing-region.yaml" in x)
    assert "无问题 ok" in good and "有问题 problems" in bad and "submission.region" in bad
    assert "nothing was recorded" in result.stdout
    if store.exists():
        with open_store(str(store), create=False) as opened:
            assert not [g for g in opened.graph_counts() if "/assessment/" in g]


def test_batch_summary_rows_carry_results_and_problems():
    files = sorted(IMPACT.glob("1[34]*.yaml"))
    done = assess_many(files, write=False, workers=1)
    rows = batch_summary(files, [a.result for a in done], [])
    assert [r.to_dict()["passed"] for r in rows] == [False, False]
    assert rows[1].to_dict()["below_rate"] == ["规范监管 18/25=72.00%<75.00%"]


def test_progress_is_reported_once_per_file():
    ticks = []
    files = sorted(IMPACT.glob("0[1-3]*.yaml"))
    assess_many(files, write=False, workers=1, progress=lambda: ticks.append(1))
    assert len(ticks) == 3


def test_evidence_is_found_relative_to_the_submission_or_to_the_evidence_root(tmp_path):
    copied = tmp_path / "submission.yaml"
    shutil.copy(NATIONAL / "submission.yaml", copied)
    missing = score(str(copied))
    assert missing.exit_code == 2
    named = [x for x in missing.stderr.splitlines() if x.startswith("错误/error")]
    assert len(named) == 1  # the folder, once, not once per evidence item
    assert "文件夹 'evidence' 不存在" in named[0] and "--evidence-root" in named[0]
    found = score(str(copied), "--evidence-root", str(NATIONAL), "--json")
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["submission"] == "qinglan-2024"


def test_a_missing_evidence_folder_is_one_problem_however_many_items_it_holds(tmp_path):
    from demozone.api import assess

    copied = tmp_path / "submission.yaml"
    shutil.copy(NATIONAL / "submission.yaml", copied)
    try:
        assess(copied, write=False)
    except InputError as err:
        problems = err.problems
    assert len(problems) == 1 and problems[0].path.endswith(".file")
    items = NATIONAL.joinpath("submission.yaml").read_text("utf-8").count("file: evidence/")
    assert items > 1


def test_a_terminal_gets_a_progress_bar_on_stderr_and_a_pipe_does_not():
    """Progress goes to stderr only when it is a terminal (here a pseudo-terminal)."""
    import fcntl
    import os
    import struct
    import subprocess
    import sys
    import termios

    demozone = Path(sys.executable).parent / "demozone"
    files = [str(p) for p in sorted(IMPACT.glob("0[1-3]*.yaml"))]
    command = [str(demozone), "score", *files, "--no-store", "--workers", "1"]
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=follower, timeout=300)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert b"3/3" in shown and b"100%" in shown
    piped = subprocess.run(command, capture_output=True, timeout=300)
    assert piped.returncode == 0 and b"3/3" not in piped.stderr
    assert b"impact-03" in piped.stdout
