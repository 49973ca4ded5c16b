# The two commands the README opens with: `make demo` and `make test`.
# Both build their own virtual environment from pyproject.toml, so a fresh clone needs only python3 (3.11+).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: test lint typecheck unit demo bench fmt clean

$(STAMP): pyproject.toml
	$(PY) -c 'import sys; sys.exit("wpsync needs Python 3.11+") if sys.version_info < (3, 11) else None'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check wpsync tests benchmarks
	$(BIN)/ruff format --check wpsync tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

fmt: $(STAMP)
	$(BIN)/ruff format wpsync tests benchmarks
	$(BIN)/ruff check --fix wpsync tests benchmarks

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .demo
