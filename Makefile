# Casebook: `make build` lands the default data and builds the warehouse; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= small
SEED ?= 42
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir profiles

.PHONY: setup system-deps speech-deps data build docs serve stop test test-unit lint format bench clean

# Installs the Debian packages listed in the shell variable missing (root with apt-get), else names them and fails.
define install_missing
if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing \
			|| { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; }; \
		else echo "$(1) needs:$$missing (Debian: sudo apt-get install$$missing)" >&2; exit 1; fi; \
	fi
endef

# The venv is rebuilt when the pinned dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

data: setup speech-deps
	$(BIN)/casebook data generate --scale $(SCALE) --seed $(SEED) --if-changed

build: data
	$(DBT) build $(DBT_FLAGS)

# The dbt docs site (lineage graph, every model and column) on http://127.0.0.1:$(DOCS_PORT).
DOCS_PORT ?= 8080
docs: setup
	$(DBT) docs generate $(DBT_FLAGS)
	$(DBT) docs serve $(DBT_FLAGS) --host 127.0.0.1 --port $(DOCS_PORT) --no-browser

# The Spark Thrift Server (JDBC/ODBC for BI tools) on 127.0.0.1:10000, and stopping it.
serve: setup
	$(BIN)/casebook serve
stop: setup
	$(BIN)/casebook stop

# The serving and docs-site tests start PostgreSQL and headless Chromium, and the DTW domain's data
# speaks its clips with espeak-ng (Debian packages): installed here when missing and allowed (root with
# apt-get), else named in the error. `make data` needs espeak-ng only.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing postgresql"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	$(call install_missing,make test)

speech-deps:
	@missing=""; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	$(call install_missing,make data)

# pytest exits 5 when it collects no tests: a broken suite, reported as a failure, never a pass.
test: setup system-deps
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

test-unit: setup
	$(BIN)/python -m pytest -m "not integration"

lint: setup
	$(BIN)/ruff check src pytests models benchmarks
	$(BIN)/ruff format --check src pytests models benchmarks
	$(BIN)/sqlfluff lint models macros tests analyses snapshots
	$(BIN)/python -m casebook.layout .

format: setup
	$(BIN)/ruff format src pytests models benchmarks
	$(BIN)/ruff check --fix src pytests models benchmarks

bench: setup
	$(BIN)/python benchmarks/ticks.py --trades-millions 1 10

clean:
	rm -rf target logs data
