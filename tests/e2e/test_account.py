"""A state knows the Woodpecker account it belongs to; a key of another account is refused, never taken
for "every campaign was deleted" (which `forget` would have turned into duplicates in the wrong account)."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import FOLLOW_UP, Workspace


def _meta(ws: Workspace) -> dict[str, object]:
    data: dict[str, object] = json.loads((ws.root / "state" / "wpsync-state.json").read_text())
    return data


def test_the_first_apply_records_the_account(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    account = _meta(ws)["account"]
    assert isinstance(account, str) and account.startswith("company ")


def test_a_key_of_another_account_is_refused_before_any_call(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    (ws.root / "campaigns" / "new-one.toml").write_text(ws.file("one-step-email").read_text())
    monkeypatch.setenv("WOODPECKER_API_KEY", "other-key")
    ws.emulator.clear_requests()
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    assert "account_mismatch" in plan.stdout
    assert "this state belongs to account company" in plan.stdout
    apply = ws.run("apply", "--auto-approve")
    assert apply.exit_code == 3
    assert ws.posts() == []


def test_many_recorded_campaigns_missing_points_at_the_key_not_at_forget(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.append("one-step-email", FOLLOW_UP)
    path = ws.file("two-step-linkedin")
    path.write_text(path.read_text().replace('name = "', 'name = "Renamed ', 1))
    (ws.root / "state" / "wpsync-state.json").write_text(
        json.dumps({k: v for k, v in _meta(ws).items() if k != "account"})
    )  # an older state that never recorded its account
    monkeypatch.setenv("WOODPECKER_API_KEY", "other-key")
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    assert "the API key or WOODPECKER_API_URL is most likely for another account" in plan.stdout
    assert "wpsync forget one-step-email` and plan again" not in plan.stdout
