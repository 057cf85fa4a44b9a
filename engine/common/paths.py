"""Where demozone's data lives: kb/, rules/ and ontology/ beside the engine package."""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("DEMOZONE_HOME", Path(__file__).resolve().parents[2]))
KB_DIR = HOME / "kb"
RULES_DIR = HOME / "rules"
ONTOLOGY_DIR = HOME / "ontology"
