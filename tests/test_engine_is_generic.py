"""engine/ knows no indicator system: no system id, rule id or indicator-specific branch in code."""

import re
from pathlib import Path

from demozone.kb.load import load_kb
from demozone.rules.load import available_rule_sets

ENGINE = Path(__file__).resolve().parent.parent / "engine"


def test_no_system_or_rule_id_appears_in_the_engine():
    system_ids = set(load_kb().systems) | set(available_rule_sets())
    pattern = re.compile("|".join(re.escape(s) for s in sorted(system_ids)) + r"|\bn2[24]-\d")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(ENGINE.rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert len(system_ids) >= 5 and not offenders, offenders
