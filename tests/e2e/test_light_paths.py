"""A no-change plan of a large fleet is cheap because it never loads what it does not need: no pydantic
(the models), no httpx (no client is built). A test, so that an import added in the wrong place is
caught here rather than found in `make bench` (it was, once: +17% CPU, +13 MB)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.conftest import Workspace

PROBE = """
import sys
from wpsync.cli import main
try:
    main(["plan"], standalone_mode=False)
except SystemExit:
    pass
print(__import__("json").dumps(sorted(m for m in ("pydantic", "httpx", "toml_rs", "tomllib", "deepdiff") if m in sys.modules)))
"""


def test_a_no_change_plan_loads_neither_the_models_nor_the_http_client(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ws.root, capture_output=True, text=True, check=False
    )
    assert "No changes" in done.stdout, done.stdout + done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
