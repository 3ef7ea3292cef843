# The README's two commands are `make run` and `make test`; everything else is a helper.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup setup-test browser wrk bench load peer clean

run: setup browser
	$(VENV)/bin/flask --app workbench demo
	@echo "Workbench is at http://$(HOST):$(PORT)/ (sign in with a demo user above; Ctrl-C stops it)"
	$(VENV)/bin/flask --app workbench run --host $(HOST) --port $(PORT)

# The suite runs on every core; PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

test: setup-test browser
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh test

browser:
	@scripts/install-chromium.sh

wrk:
	@scripts/install-wrk.sh

bench: setup-test browser
	$(PY) scripts/cleaner_report.py
	$(PY) -m pip install -q readability-lxml || echo "readability-lxml not installed: its column is skipped"
	$(PY) scripts/import_bench.py
	$(PY) scripts/bench.py
	$(PY) scripts/reanchor_bench.py
	$(PY) scripts/read_bench.py
	$(PY) scripts/page_bench.py $(PAGE_BENCH_ARGS)

load: setup-test wrk
	$(PY) scripts/load_bench.py

# Beside doccano 1.8.4 (installed into .venv-peer/ when missing): scripts/peer_bench.py.
peer: setup-test wrk
	$(PY) scripts/peer_bench.py

clean:
	rm -rf $(VENV) .venv-peer .pytest_cache
