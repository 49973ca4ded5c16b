"""A state knows the Woodpecker account it belongs to; a key of another account is refused, never taken
for "every campaign was deleted" (which `forget` would have turned into duplicates in the wrong account)."""

from __future__ import annotations

import json

import httpx
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
    assert "\n  ✗ account_mismatch\n" in plan.stdout  # whole: no empty key, no "()"
    markdown = ws.run("plan", "--format", "markdown").stdout
    assert "Plan: account mismatch" in markdown and "<code></code>" not in markdown, markdown
    assert "⛔ the whole plan" in markdown, markdown
    ours, theirs = (
        httpx.get(f"{ws.emulator.base_url}/v1/me", headers={"x-api-key": key}).json()
        for key in ("test-key", "other-key")
    )
    assert (
        f"this state belongs to Woodpecker account {ours['company_name']}, {ours['email']} "
        f"(company {ours['company_id']}); the API key is for {theirs['company_name']}, {theirs['email']} "
        f"(company {theirs['company_id']})"
    ) in plan.stdout
    assert "create campaign" not in plan.stdout and "duplicate_name" not in plan.stdout
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


def test_a_mismatch_suppresses_the_deleted_and_forget_advice_it_would_cause(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.append("one-step-email", FOLLOW_UP)  # an edit: its campaign is read, and is not found with this key
    monkeypatch.setenv("WOODPECKER_API_KEY", "other-key")
    for args in (("plan",), ("plan", "--refresh", "all")):
        plan = ws.run(*args)
        assert plan.exit_code == 3, plan.output
        assert "✗ account_mismatch" in plan.stdout
        for advice in (
            "was deleted",
            "remote_missing",
            "wpsync forget",
            "wpsync destroy",
            "no longer exists",
        ):
            assert advice not in plan.stdout, (args, advice)
        refused = json.loads(ws.run(*args, "--format", "json").stdout)["refused"]
        assert [r["code"] for r in refused] == ["account_mismatch"]
