# TTĐN Platform. Quick start: `make run` (the platform) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export TTDN_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test install install-test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(VENV)/.installed

## run: install, migrate, load demo data and organisations, create the admin, serve on :8000
run: install
	$(BIN)/ttdn setup
	$(BIN)/ttdn run

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install-test: $(VENV)/.installed-test

## test: install test needs (Debian packages too), run the suite on SQLite and PostgreSQL
test:
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data
