"""tools/extract_kb.py --check: kb/ is what the generator makes from kb/sources/, byte for byte."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(root / "tools" / "extract_kb.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )


def test_regenerating_kb_from_its_sources_gives_the_same_files():
    done = run_check(ROOT)
    assert done.returncode == 0, done.stderr
    assert "stale:" not in done.stderr


def test_the_check_names_a_generated_file_edited_by_hand(tmp_path):
    # on a copy, so the check is seen to read kb/ beside the tools and to fail on a difference
    shutil.copytree(ROOT / "tools", tmp_path / "tools")
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    system = tmp_path / "kb" / "systems" / "national-2022.yaml"
    system.write_text(system.read_text("utf-8") + "# edited by hand\n", encoding="utf-8")
    (tmp_path / "kb" / "procedure.yaml").unlink()
    done = run_check(tmp_path)
    assert done.returncode == 1
    stale = sorted(line for line in done.stderr.splitlines() if line.startswith("stale:"))
    assert stale == ["stale: kb/procedure.yaml", "stale: kb/systems/national-2022.yaml"]
