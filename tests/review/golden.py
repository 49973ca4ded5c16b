"""Golden files: the exact text a reviewer reads. ``make golden`` (``WPSYNC_UPDATE_GOLDEN=1``) rewrites
them from the renderers; review the diff as you would a pull request's plan, then commit it."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
UPDATE_ENV = "WPSYNC_UPDATE_GOLDEN"


def check(name: str, text: str) -> None:
    """``text`` is golden file ``name`` exactly (or, with WPSYNC_UPDATE_GOLDEN=1, becomes it)."""
    path = GOLDEN / name
    if os.environ.get(UPDATE_ENV):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"run `make golden` to rewrite {path}, then review the diff"
    )


def read(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")
