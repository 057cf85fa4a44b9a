"""`demozone serve --demo`: demo accounts on the example data.

One account per role (demo-assessor, demo-policy, demo-auditor, demo-admin) is created when
absent, with a random password shown once; the example submissions are scored into the store
(so every room has assessments to show) and assigned to the demo assessor. An account that
exists keeps its password (`demozone user passwd` changes it); an example the store already
holds from exactly these inputs is not recorded again.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import yaml

from demozone import api
from demozone.web.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"  # the repository's examples/
DEMO_ROLES = ("assessor", "policy", "auditor", "admin")


def example_files(examples: Path = EXAMPLES) -> list[Path]:
    """The example submission files (examples/*/submission.yaml), in name order."""
    return sorted(examples.glob("*/submission.yaml"))


def example_submissions(examples: Path = EXAMPLES) -> list[str]:
    """The ids of the example submissions (examples/*/submission.yaml)."""
    ids = []
    for file in example_files(examples):
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        found = (document.get("submission") or {}).get("id")
        if found:
            ids.append(str(found))
    return ids


def score_examples(settings: Settings, examples: Path = EXAMPLES) -> Iterator[str]:
    """Score each example submission into the store (an example already held from exactly
    these inputs is reused); yields one line per example: its id and its assessment."""
    for file in example_files(examples):
        done = api.assess(file, store=settings.store)
        kept = "已有/kept" if done.reused else "已评分/scored"
        yield f"{kept}: {done.submission.id} → {done.id}"


def prepare_demo(settings: Settings, examples: Path = EXAMPLES) -> Iterator[str]:
    """Create the demo accounts and assignments and score the examples into the store; yields
    the lines to print (each new password once)."""
    db = api.database_url(settings.db, settings.store)
    existing = {user["name"] for user in api.list_users(db=db)}
    for role in DEMO_ROLES:
        name = f"demo-{role}"
        if name in existing:
            yield f"{name}: 已存在，密码未变 / exists, password unchanged"
            continue
        password = secrets.token_urlsafe(12)
        api.add_user(name, role, password, by="demo", db=db)
        yield f"{name} ({role}) 密码/password: {password}"
    for submission in example_submissions(examples):
        api.assign_submission(submission, "demo-assessor", by="demo", db=db)
    yield f"demo-assessor: {', '.join(example_submissions(examples))}"
    yield from score_examples(settings, examples)
