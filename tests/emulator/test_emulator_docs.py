"""docs/emulator.md stays in step with the code: every route, fault kind and error code is described."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpsync.emulator.app import create_app
from wpsync.emulator.runtime import FAULT_KINDS
from wpsync.emulator.web import Route

DOC = (Path(__file__).parents[2] / "docs" / "emulator.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("route", create_app([]).routes, ids=lambda r: f"{r.method} {r.template}")
def test_every_route_is_documented(route: Route) -> None:
    assert f"{route.method} {route.template}" in DOC


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_every_fault_kind_is_documented(kind: str) -> None:
    assert f"- `{kind}`:" in DOC


@pytest.mark.parametrize(
    "code",
    [
        "INPUT_DATA_VALIDATION_FAILURE",
        "CAMPAIGN_NOT_EXIST",
        "VALIDATION_FAILURE",
        "PARENT_BRANCH_NOT_LINKABLE",
        "NOT_EDITABLE_STATUS",
        "ALREADY_EDITABLE",
        "UNKNOWN",
        "STEP_NOT_EXIST",
        "VERSION_NOT_EXIST",
        "STEP_NOT_DELETABLE",
        "CAMPAIGN_IN_WORKFLOW",
        "API_UNSUPPORTED_CAMPAIGN_FEATURES",
        "E_TOO_MANY_REQUESTS",
        "E_SESSION",
    ],
)
def test_every_error_code_is_documented(code: str) -> None:
    assert f'"{code}"' in DOC or f"`{code}`" in DOC
