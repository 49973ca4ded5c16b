# The two commands the README opens with: `make demo` and `make test`.
# Both build their own virtual environment from pyproject.toml, so a fresh clone needs only python3 (3.11+).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: golden test lint typecheck unit pg-prereq demo bench fmt install clean

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
	$(BIN)/zizmor --offline --quiet action.yml docs/workflows/wpsync.yml docs/workflows/wpsync-drift.yml

typecheck: $(STAMP)
	$(BIN)/mypy

# Two workers, one test file each at a time (--dist loadfile keeps a file's module fixtures on one worker).
unit: $(STAMP) pg-prereq
	$(BIN)/pytest -n 2 --dist loadfile

# The PostgreSQL state tests start their own throwaway server (initdb in a temp dir, run as the
# postgres or nobody user when we are root), and a PgBouncer in transaction mode in front of it; they
# need only the binaries. As root (CI) with apt-get, install them; otherwise say how. With CI set,
# those tests fail rather than skip without them.
pg-prereq:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing=" postgresql"; \
	command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing="$$missing pgbouncer"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "pg-prereq: installing$$missing for the state tests (apt-get install$$missing)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "pg-prereq:$$missing not installed; the tests that need it will be SKIPPED (in CI: fail)."; \
		echo "pg-prereq: install it with: sudo apt-get install -y$$missing"; \
	fi

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

# Rewrite the review goldens (tests/review/golden/) from the renderers; review the diff, then commit.
golden: $(STAMP)
	WPSYNC_UPDATE_GOLDEN=1 $(BIN)/pytest tests/review -q -k "golden or exactly"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis .demo
