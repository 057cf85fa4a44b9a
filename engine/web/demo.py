"""`demozone serve --demo`: demo accounts on the example data.

One account per role (demo-assessor, demo-policy, demo-auditor, demo-admin) is created when
absent, with a random password shown once; the example submissions are assigned to the demo
assessor. An account that exists keeps its password (`demozone user passwd` changes it).
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


def example_submissions(examples: Path = EXAMPLES) -> list[str]:
    """The ids of the example submissions (examples/*/submission.yaml)."""
    ids = []
    for file in sorted(examples.glob("*/submission.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        found = (document.get("submission") or {}).get("id")
        if found:
            ids.append(str(found))
    return ids


def prepare_demo(settings: Settings, examples: Path = EXAMPLES) -> Iterator[str]:
    """Create the demo accounts and assignments; yields the lines to print (each new
    password once)."""
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
