# One entry point for people and CI. Every target creates its own virtual environment.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint check bench clean security audit-deps fuzz lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[demo]'
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

demo: $(STAMP)
	$(BIN)/breachdesk demo

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)
	$(BIN)/mypy src
	$(BIN)/lint-imports
	$(BIN)/bandit -q -r src -lll

# Known vulnerabilities in the installed dependencies (needs PyPI's advisory service).
audit-deps: $(DEV_STAMP)
	$(BIN)/pip-audit --progress-spinner off --skip-editable

security: lint audit-deps

# A longer fuzz run of every reader and log parser than the bounded one `make test` does.
FUZZ_EXAMPLES ?= 3000
fuzz: $(DEV_STAMP)
	BREACHDESK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:randomly -n auto tests/fuzz

# Pinned dependencies with hashes, for `pip install --require-hashes -r requirements.lock`.
lock: $(DEV_STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	    --no-emit-find-links --extra demo --output-file requirements.lock pyproject.toml

test: lint
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=30

check: test

BENCHMARKS ?= accuracy.py scan_text.py presidio_baseline.py scan_structured.py link.py logs.py resets.py protect.py

bench: $(DEV_STAMP)
	@set -e; for script in $(BENCHMARKS); do \
	    if [ -f benchmarks/$$script ]; then \
	        echo "== benchmarks/$$script"; $(BIN)/python benchmarks/$$script; fi; done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
