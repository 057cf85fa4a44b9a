"""`demozone serve --demo`: demo accounts on the example data.

One account per role (demo-assessor, demo-policy, demo-auditor, demo-admin) is created when
absent, with a random password shown once; the example submissions are uploaded to the workspace
by the demo assessor (scored into the store, so every room has assessments to show, and ready to
be judged). An account that exists keeps its password (`demozone user passwd` changes it); an
example the workspace already holds is not uploaded again.
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
    """Upload each example submission to the workspace as the demo assessor (scored into the
    store, attributed to demo-assessor, ready to be judged); an example the workspace already
    holds is left as it is. Yields one line per example: its id and its assessment."""
    db = api.database_url(settings.db, settings.store)
    for file in example_files(examples):
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        identifier = str((document.get("submission") or {}).get("id") or "")
        held = api.submission_assessments(identifier, store=settings.store, db=db)
        if held:
            yield f"已有/kept: {identifier} → {held[0]['id']}"
            continue
        shaped = api.accept_submission(
            file.read_bytes(),
            file.name,
            user=f"demo-{DEMO_ROLES[0]}",
            store=settings.store,
            db=db,
            evidence_root=file.parent,  # the example's evidence/ folder
        )
        assessment = api.workspace_assessment(shaped["assessment"], store=settings.store, db=db)
        yield f"已评分/scored: {identifier} → {assessment['id']}"


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
