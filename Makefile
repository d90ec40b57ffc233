# Groundwork: `make run` to try it, `make test` to check it. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres install translations migrate seed lint bench bench-short clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The public pages' interface words, compiled from translations/*/LC_MESSAGES/messages.po.
translations: install
	@if [ -d translations ]; then $(BIN)/pybabel compile --statistics -d translations; fi

migrate: translations
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

run: seed
	@echo "Groundwork is at http://127.0.0.1:5000 (Ctrl+C stops it)."
	$(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL at the same time
# (two processes; each one's output is printed whole when it ends).
test: translations
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres; \
	else echo "TEST_DATABASE_URL is not set: the PostgreSQL run is skipped."; \
	$(MAKE) --no-print-directory test-sqlite; fi

test-sqlite: install
	TEST_DATABASE_URL= $(BIN)/python -m pytest

test-postgres: install
	$(BIN)/python -m pytest

# The benchmarks: ratios against bare baselines on this machine, written to bench/results.json
# (bench/README.md). bench-short runs them on small data without enforcing the targets.
bench: translations
	$(BIN)/python bench/run.py

bench-short: translations
	BENCH_SHORT=1 $(BIN)/python bench/run.py --short --output bench/results-short.json

lint: install
	$(BIN)/ruff check app tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
