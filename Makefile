# Casebook: `make build` lands the default data and builds the warehouse; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= small
SEED ?= 42
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir profiles

.PHONY: setup data build test test-unit lint format bench clean

# The venv is rebuilt when the pinned dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

data: setup
	$(BIN)/casebook data generate --scale $(SCALE) --seed $(SEED) --if-changed

build: data
	$(DBT) build $(DBT_FLAGS)

# pytest exits 5 when it collects no tests: a broken suite, reported as a failure, never a pass.
test: setup
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

test-unit: setup
	$(BIN)/python -m pytest -m "not integration"

lint: setup
	$(BIN)/ruff check src pytests python_models benchmarks
	$(BIN)/ruff format --check src pytests python_models benchmarks
	$(BIN)/sqlfluff lint models macros tests analyses

format: setup
	$(BIN)/ruff format src pytests python_models benchmarks
	$(BIN)/ruff check --fix src pytests python_models benchmarks

bench: setup
	$(BIN)/python benchmarks/ticks.py --trades-millions 1 10

clean:
	rm -rf target logs data
