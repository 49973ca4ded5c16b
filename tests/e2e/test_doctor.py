"""`wpsync doctor` against the emulator: every check passes, and a mismatch is reported, not hidden."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Workspace


def test_doctor_passes_against_the_emulator(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    result = ws.run("doctor")
    assert result.exit_code == 0, result.output
    for name in (
        "API reachable, key valid, API add-on",
        "LinkedIn accounts readable",
        "campaign list shape",
        "account identity (GET /v1/me)",
        "stats shape",
        "make_editable route",
    ):
        assert f"ok    {name}" in result.stdout, result.stdout
    assert "(matches the state)" in result.stdout
    # Read-only: the only mutating request is the make_editable probe of a campaign that cannot exist.
    assert [p["path"] for p in ws.posts()] == ["/rest/v2/campaigns/2000000000/make_editable"]


def test_doctor_reports_a_key_of_another_account(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    monkeypatch.setenv("WOODPECKER_API_KEY", "other-key")
    result = ws.run("doctor")
    assert result.exit_code == 1
    assert "FAIL  account identity (GET /v1/me)" in result.stdout
    assert "; the state belongs to Company " in result.stdout and "@example.com (company " in result.stdout


def test_doctor_with_a_bad_key_stops_at_the_first_check(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WOODPECKER_API_KEY", "no-such-key")
    result = ws.run("doctor")
    assert result.exit_code == 1
    assert "FAIL  API reachable, key valid, API add-on" in result.stdout
    assert "1 check(s) failed." in result.stdout
