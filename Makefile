# SPBE Dashboard — two commands: `make run` and `make test` (both set up a fresh machine).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
export SPBE_WAREHOUSE ?= $(CURDIR)/data/warehouse
DEMO_WAREHOUSE ?= $(CURDIR)/data/warehouse-demo

.PHONY: run official test lint setup system-deps venv demo unit app e2e bench validate-samples clean load faults fuzz
.PHONY: serve-public

run: setup official ## install everything, build the warehouse from the official results if absent, start the dashboard
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

serve-public: setup official ## a deployment replica: public read-only mode (docs/SCALE_OUT.md), on 127.0.0.1 behind nginx
	SPBE_PUBLIC=1 $(PY) -m streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1 \
		--server.headless true --client.showErrorDetails none --client.toolbarMode minimal

official: venv ## the default warehouse: KemenPANRB's published results (data/official/), nothing synthetic
	$(PY) -m etl official --if-absent

demo: venv ## explicit choice: SYNTHETIC demo data in its own warehouse ($(DEMO_WAREHOUSE)), then the dashboard on it
	@if [ ! -f "$(DEMO_WAREHOUSE)/CURRENT" ]; then SPBE_WAREHOUSE=$(DEMO_WAREHOUSE) $(PY) -m etl demo; fi
	SPBE_WAREHOUSE=$(DEMO_WAREHOUSE) $(PY) -m streamlit run app.py --server.port $(PORT) --server.headless true

test: setup lint ## install everything, lint + layer contracts, then the whole suite (unit, app, browser)
	$(PY) -m pytest tests --durations=15

lint: venv ## ruff + import-linter contracts (pyproject.toml [tool.importlinter])
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

setup: system-deps venv

system-deps: ## Debian chromium (chart export + browser tests), poppler-utils, nginx-light (the public-mode proxy tests)
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || \
		! { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium poppler-utils \
			fonts-dejavu-core nginx-light >/dev/null; \
	fi
	@chromium --version

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@


unit: setup
	$(PY) -m pytest tests/unit
app: setup
	$(PY) -m pytest tests/app
e2e: setup
	$(PY) -m pytest tests/e2e

bench: setup ## performance measurements (prints ratios; results go to docs/PERFORMANCE.md)
	$(PY) -m bench.build_scale
	$(PY) -m bench.pages

validate-samples: setup ## optional: the converter against ../shared/reference, and the real samples into a scratch warehouse
	$(PY) -m pytest tests/unit/etl/test_official_report.py -q
	SPBE_WAREHOUSE=$$(mktemp -d) $(PY) -m etl import ../shared/samples/published_results_2023.csv ../shared/samples/published_results_2024.csv

clean:
	rm -rf $(VENV) data/warehouse tests/artifacts

load: setup ## load bench: 5/20/50 browser sessions on one server, p50/p95/errors (minutes; docs/PERFORMANCE.md)
	$(PY) -m bench.load_test --sessions 5,20,50 --duration 60

faults: setup ## publish killed/corrupted/under load, pruned snapshots, two servers; then the replicas bench
	$(PY) -m pytest tests/unit/sql/test_publish_faults.py tests/unit/sql/test_snapshot_corruption.py \
		tests/unit/sql/test_gateway_pruned.py tests/e2e/test_publish_under_load.py tests/e2e/test_two_servers.py
	$(PY) -m bench.replicas --replicas 2 --sessions 6 --duration 60 --publishes 2

fuzz: setup ## hostile input: readers (FUZZ_EXAMPLES=300 hypothesis examples), their caps, exports, SQL parameters
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(PY) -m pytest tests/unit/etl/test_fuzz_readers.py \
		tests/unit/etl/test_reader_limits.py tests/unit/etl/test_pdf_limits.py tests/unit/etl/test_reader_dos.py \
		tests/unit/test_export_hostile.py tests/unit/sql/test_sql_injection.py
