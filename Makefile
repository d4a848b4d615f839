# pledgewatch: `make run` builds the warehouse from the bundled data, `make test` passes the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test bench bench-engines lint ui clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	DBT_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/python -c "from orchestration.dbt_manifest import ensure_manifest; ensure_manifest()"
	@# byte-compiled once here: where PYTHONDONTWRITEBYTECODE is set, every command would compile them again
	$(BIN)/python -m compileall -q orchestration ingestion bench > /dev/null
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/pledgewatch refresh
	@echo
	@echo "What you can ask next (the warehouse is data/warehouse.duckdb; every command: .venv/bin/pledgewatch --help):"
	@echo "  data/reports/report.html          # open it in a browser: the charts in one page that works offline, written by the run above"
	@echo "  .venv/bin/pledgewatch report      # writes it again (--out DIR elsewhere)"
	@echo "  .venv/bin/pledgewatch query \"select country, issue, stance, stance_on, stance_source from marts.country_issue where stance is not null\""
	@echo "  .venv/bin/pledgewatch query \"select * from marts.country_issue_figures where country = 'USA'\""
	@echo "  .venv/bin/pledgewatch export      # every mart, its definitions and sources, in one workbook under data/exports/"
	@echo "  .venv/bin/pledgewatch pull --all  # the publishers' current releases (Kiel, OFAC, ForeignAssistance.gov, the UN and Canadian lists)"
	@echo "  .venv/bin/pledgewatch ui          # the Dagster UI: runs, lineage, checks"

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench.run

# the models on DuckDB and on Spark over 10M synthetic oil_imports rows (Spark needs Java 17 and the spark extra:
# $(BIN)/pip install -c requirements.lock -e '.[dev,spark]'; without them its part is skipped, saying why)
bench-engines: install
	$(BIN)/python bench/engines.py

lint: install
	$(BIN)/ruff check .

ui: install
	$(BIN)/pledgewatch ui

clean:
	rm -rf data/warehouse.duckdb data/build data/dagster data/dbt data/runs data/gx data/quarantine data/.write.lock
