# Every target creates .venv and installs the project into it first, so a fresh clone needs only
# Python 3.11 and make (and Java 17 for the Spark engine's tests).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test report lint validate steps bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	@touch $(STAMP)

test: $(STAMP) lint
	$(BIN)/pytest -p xdist -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/policyproof validate

# Writes reports/ for every snapshot; exits 0 once the report is written, whatever the guarantees' outcomes
# (policyproof check itself exits 1 when a blocking guarantee fails, 2 on a usage or input error).
report: $(STAMP)
	$(BIN)/policyproof validate
	$(BIN)/policyproof check --snapshot all --report reports; status=$$?; [ $$status -le 1 ]

steps: $(STAMP)
	@$(BIN)/policyproof steps

bench: $(STAMP)
	$(BIN)/python bench/matrix.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
