"""Honest headlines (#20): a plan says what it knows. "Woodpecker matches" only after a refresh that
proved it; a plan that asked nothing says the files have not changed since the last apply."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Workspace

MATCHES = "Woodpecker matches"
NOT_ASKED = "No changes to the campaign files since the last apply. Woodpecker was not asked"


def test_a_keyless_offline_or_no_change_plan_never_claims_a_match(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    for args in (("plan",), ("plan", "--offline")):
        for output in ("text", "markdown", "json"):
            result = ws.run(*args, "--format", output)
            assert result.exit_code == 0, result.output
            assert MATCHES not in result.stdout, (args, output)
            assert NOT_ASKED in result.stdout, (args, output)
    assert json.loads(ws.run("plan", "--format", "json").stdout)["refreshed"] == "none"
    monkeypatch.delenv("WOODPECKER_API_KEY")
    keyless = ws.run("plan")
    assert keyless.exit_code == 0 and MATCHES not in keyless.stdout and NOT_ASKED in keyless.stdout
    assert ws.emulator.requests() == []  # none of them asked Woodpecker anything


def test_a_changed_file_read_back_claims_only_the_changed_ones(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.append("one-step-email", "\n# a comment: the bytes changed, the campaign did not\n")
    plan = ws.run("plan")
    assert plan.exit_code == 0, plan.output
    assert MATCHES not in plan.stdout
    assert "No changes. The campaigns read from Woodpecker match their files; the others were not asked" in (
        plan.stdout
    )


def test_only_refresh_all_proves_a_match(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    proved = ws.run("plan", "--refresh", "all")
    assert proved.stdout == "No changes. Woodpecker matches the campaign files.\n"
    assert len([r for r in ws.emulator.requests() if r["path"].startswith("/rest/v2/campaigns/")]) == 3
    offline = ws.run("plan", "--refresh", "all", "--offline")
    assert MATCHES not in offline.stdout
