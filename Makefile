# Every target creates .venv and installs the project into it first, so a fresh clone needs only
# Python 3.11 and make (and Java 17 for the Spark engine's tests).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The lowest versions pyproject.toml allows of what the plugin builds on; `make test` runs the highest it allows.
MIN_VENV := .venv-min
MIN_PINS := pytest==8.4.0 pytest-bdd==8.1.0
MIN_STAMP := $(MIN_VENV)/.installed

.PHONY: test test-min report lint validate steps bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	@touch $(STAMP)

test: $(STAMP) lint
	$(BIN)/pytest -p xdist -n 2

$(MIN_STAMP): pyproject.toml Makefile
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 2; }
	$(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MIN_VENV)/bin/python -m pip install --quiet $(MIN_PINS) -e '.[test,spark]'
	@touch $(MIN_STAMP)

# The library's tests and the guarantee suite once more, against the lowest allowed pytest and pytest-bdd
# (ruff and mypy run in `make test`).
test-min: $(MIN_STAMP)
	$(MIN_VENV)/bin/pytest -p xdist -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/policyproof validate

# Writes reports/ for every snapshot, and the suite's strength under mutation; exits 0 once both are written,
# whatever the guarantees' outcomes
# (policyproof check itself exits 1 when a blocking guarantee fails, 2 on a usage or input error).
report: $(STAMP)
	$(BIN)/policyproof validate
	$(BIN)/policyproof check --snapshot all --report reports; status=$$?; [ $$status -le 1 ]
	$(BIN)/policyproof mutate --report reports; status=$$?; [ $$status -le 1 ]

steps: $(STAMP)
	@$(BIN)/policyproof steps

bench: $(STAMP)
	$(BIN)/python bench/matrix.py
	$(BIN)/python bench/mutation.py

clean:
	rm -rf $(VENV) $(MIN_VENV) .pytest_cache .mypy_cache .ruff_cache
