# The two commands the README opens with: `make demo` and `make test`.
# Both build their own virtual environment from pyproject.toml, so a fresh clone needs only python3 (3.11+).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: test lint typecheck unit demo bench fmt install clean

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
	$(BIN)/zizmor --offline --quiet docs/workflows/wpsync.yml

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

fmt: $(STAMP)
	$(BIN)/ruff format wpsync tests benchmarks
	$(BIN)/ruff check --fix wpsync tests benchmarks

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/demo.sh

# Put the `wpsync` command on your PATH. With pipx or uv: an isolated install of this checkout.
# Otherwise: say how to use the one in .venv (never pip-installs into the system Python).
install: $(STAMP)
	@if command -v pipx >/dev/null 2>&1; then \
		pipx install --force "$(CURDIR)" && echo "wpsync installed with pipx: $$(command -v wpsync || echo '~/.local/bin/wpsync')"; \
	elif command -v uv >/dev/null 2>&1; then \
		uv tool install --force "$(CURDIR)" && echo "wpsync installed with uv tool: $$(command -v wpsync || echo '~/.local/bin/wpsync')"; \
	else \
		echo "Neither pipx nor uv is installed. wpsync is in $(CURDIR)/$(BIN)/wpsync; put it on your PATH:"; \
		echo "  export PATH=\"$(CURDIR)/$(BIN):\$$PATH\"    # add to ~/.bashrc or ~/.zshrc to keep it"; \
		echo "or link it: ln -s \"$(CURDIR)/$(BIN)/wpsync\" ~/.local/bin/wpsync"; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .demo
