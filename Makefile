# pledgewatch: `make run` builds the warehouse from the bundled data, `make test` passes the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test bench lint ui clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	DBT_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/python -c "from orchestration.dbt_manifest import ensure_manifest; ensure_manifest()"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/pledgewatch refresh

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .

ui: install
	$(BIN)/pledgewatch ui

clean:
	rm -rf data/warehouse.duckdb data/build data/dagster data/dbt data/runs data/gx data/quarantine data/.write.lock
