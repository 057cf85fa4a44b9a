# Two entry points (see README): `make run` and `make test`. Everything else is their set-up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format clean system-packages

# Debian packages the reports need: CJK fonts and Pango for WeasyPrint's PDF, poppler's tools for
# the report tests. Installed only when one is missing, so a ready machine does nothing here.
SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils

system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "demozone needs $(PYTHON) on PATH (or run: make PYTHON=python3 ...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP) system-packages
	$(BIN)/demozone score examples/national-2022/submission.yaml

test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) demozone-data

# `make test` first installs what the browser and memory tests drive (chromium, a CJK font,
# valgrind: tests/prerequisites.py, with apt-get), so they run rather than skip.
.PHONY: test-prerequisites
test: test-prerequisites
test-prerequisites: $(STAMP)
	$(BIN)/python tests/prerequisites.py
