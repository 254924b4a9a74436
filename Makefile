# Casebook: `make build` lands the default data and builds the warehouse; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= small
SEED ?= 42
DBT := $(BIN)/dbt
DBT_FLAGS := --profiles-dir profiles

.PHONY: setup bi-setup bi bi-stop system-deps speech-deps data build docs serve stop test test-unit test-fast lint format bench clean

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

# setup also makes the driver JVM's class archive once per clone (casebook.engine.class_archive):
# every later Spark start maps it instead of loading its classes one by one.
setup: $(VENV)/.installed
	@$(BIN)/python -m casebook.engine.class_archive

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

# Apache Superset (its own venv: its pins conflict with the project's) on http://127.0.0.1:$(BI_PORT),
# reading the marts through the running `make serve`, with the dashboards of bi/; `make bi-stop` stops it.
BI_VENV := .venv-bi
BI_PORT ?= 8088
$(BI_VENV)/.installed: bi/requirements.txt
	test -x $(BI_VENV)/bin/python || $(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BI_VENV)/bin/python -m pip install --quiet -r bi/requirements.txt
	touch $@

bi-setup: $(BI_VENV)/.installed
bi: setup bi-setup
	$(BIN)/casebook bi start --port $(BI_PORT)
bi-stop: setup
	$(BIN)/casebook bi stop

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
# TEST_WORKERS pytest processes share the work (pytests/conftest.py keeps the tests on the shared
# tiny warehouse in one of them and puts the longest groups first; --no-loadscope-reorder keeps that
# order, where xdist would order the groups by their number of tests); TEST_WORKERS=0 runs everything
# in this process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder
test: setup bi-setup system-deps lint
	$(PYTEST) --durations=60; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

test-unit: setup
	$(PYTEST) -m "not integration"

# The inner loop: the unit tests and one tiny integration build (the ticks domain: its models, data
# tests and dbt unit tests) with the tests that read it, in one run: the build's worker starts first
# and the other worker takes the unit tests meanwhile. The ticks domain's second build (that it
# gives the same tables) is left to make test: one build here, not two.
test-fast: setup
	CASEBOOK_TEST_DOMAINS=ticks CASEBOOK_TEST_SELECT="+path:models/marts/ticks +path:models/intermediate/ticks path:models/staging/ticks" \
		$(PYTEST) -q -m "not integration or inner_loop" \
		--deselect "pytests/integration/test_tick_build.py::test_second_build_reuses_the_metastore_and_gives_identical_tables"

# CI gates, quickest first: ruff, the layout rules, dbt parse with warnings as errors, the metadata lint
# (dbt-score with casebook.metadata_rules; the bar is in pyproject.toml), then sqlfluff.
lint: setup
	$(BIN)/ruff check src pytests models benchmarks
	$(BIN)/ruff format --check src pytests models benchmarks
	$(BIN)/python -m casebook.layout .
	$(DBT) parse $(DBT_FLAGS) --warn-error --target-path target/lint
	$(BIN)/dbt-score lint --manifest target/lint/manifest.json
	$(BIN)/sqlfluff lint --processes 2 models macros tests analyses snapshots

format: setup
	$(BIN)/ruff format src pytests models benchmarks
	$(BIN)/ruff check --fix src pytests models benchmarks

bench: setup
	$(BIN)/python benchmarks/ticks.py --trades-millions 1 10

clean:
	rm -rf target logs data
