"""The commands users reach for, end to end against the emulator: show, state list/show, --target,
accounts; and the plan summary when drift is all there is."""

from __future__ import annotations

import json

from tests.e2e.conftest import FOLLOW_UP, Workspace
from wpsync.plan.plan import no_changes

KEYS = ["four-step-multichannel", "one-step-email", "two-step-linkedin"]


def _applied(ws: Workspace) -> None:
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    ws.emulator.clear_requests()


def test_show_renders_a_saved_plan_in_each_format(ws: Workspace) -> None:
    saved = ws.run("plan", "--out", "plan.json")
    assert saved.exit_code == 0, saved.output
    text = ws.run("show", "plan.json")
    assert text.exit_code == 0, text.output
    assert "+ create campaign one-step-email" in text.stdout
    assert text.stdout.rstrip().endswith("Plan: 3 campaigns to create, 0 steps to append, 0 changes refused.")
    as_json = ws.run("show", "plan.json", "--format", "json")
    assert json.loads(as_json.stdout)["summary"]["create"] == 3
    markdown = ws.run("show", "plan.json", "--format", "markdown")
    assert markdown.stdout.startswith("<!-- wpsync:plan -->")
    assert all(r["method"] == "GET" for r in ws.emulator.requests())  # show reads only the file


def test_show_refuses_a_file_that_is_not_a_saved_plan(ws: Workspace) -> None:
    (ws.root / "x.json").write_text("{}", encoding="utf-8")
    result = ws.run("show", "x.json")
    assert result.exit_code == 1
    assert "not a saved wpsync plan" in result.stderr


def test_state_list_and_show_after_apply(ws: Workspace) -> None:
    empty = ws.run("state", "list")
    assert empty.exit_code == 0 and "No campaigns recorded" in empty.stdout
    _applied(ws)
    listing = ws.run("state", "list")
    assert listing.exit_code == 0
    header, *rows = listing.stdout.splitlines()
    assert header.split() == ["KEY", "CAMPAIGN", "STATUS", "STEPS", "APPLIED"]
    assert [row.split()[0] for row in rows] == KEYS
    data = json.loads(ws.run("state", "list", "--format", "json").stdout)
    assert data["format_version"] == 1
    by_key = {c["key"]: c for c in data["campaigns"]}
    assert set(by_key) == set(KEYS)
    one = by_key["one-step-email"]
    assert one["steps"] == 1 and one["status"] == "DRAFT" and one["applied_at"]
    assert ws.campaign(one["campaign_id"])["name"]

    shown = ws.run("state", "show", "four-step-multichannel")
    assert shown.exit_code == 0
    assert shown.stdout.startswith(
        f"four-step-multichannel: campaign {by_key['four-step-multichannel']['campaign_id']}, DRAFT"
    )
    assert "steps:    4" in shown.stdout
    detail = json.loads(ws.run("state", "show", "four-step-multichannel", "--format", "json").stdout)
    assert [s["type"] for s in detail["step_records"]] == ["LINKEDIN", "EMAIL", "LINKEDIN", "EMAIL"]
    assert detail["applied_at"] == by_key["four-step-multichannel"]["applied_at"]

    typo = ws.run("state", "show", "one-step-emial")
    assert typo.exit_code == 1
    assert 'did you mean "one-step-email"?' in typo.stderr


def test_target_plans_and_applies_only_the_named_campaigns(ws: Workspace) -> None:
    plan = ws.run("plan", "--target", "one-step-email", "--format", "json")
    assert plan.exit_code == 0, plan.output
    data = json.loads(plan.stdout)
    assert [a["key"] for a in data["actions"]] == ["one-step-email"]
    assert data["targets"] == ["one-step-email"]
    assert "other campaigns were not considered" in data["summary"]["text"]
    text = ws.run("plan", "--target", "one-step-email", "--target", "two-step-linkedin")
    assert text.stdout.rstrip().endswith(
        "Targeted: only one-step-email, two-step-linkedin; other campaigns were not considered."
    )
    # An invalid file outside the targets does not stop a targeted plan: it is not even read.
    (ws.root / "campaigns" / "broken.toml").write_text("name = [", encoding="utf-8")
    applied = ws.run("apply", "--auto-approve", "--target", "one-step-email")
    assert applied.exit_code == 0, applied.output
    assert len(ws.posts()) == 1  # one campaign created, the others untouched
    listing = json.loads(ws.run("state", "list", "--format", "json").stdout)
    assert [c["key"] for c in listing["campaigns"]] == ["one-step-email"]
    # A saved targeted plan binds only its targets: a change elsewhere does not make it stale.
    ws.append("one-step-email", FOLLOW_UP)
    assert ws.run("plan", "--target", "one-step-email", "--out", "p.json").exit_code == 0
    ws.edit("two-step-linkedin", "CONNECTION_REQUEST", "CONNECTION_REQUEST")
    (ws.root / "campaigns" / "two-step-linkedin.toml").write_text(
        (ws.root / "campaigns" / "two-step-linkedin.toml").read_text() + "\n", encoding="utf-8"
    )
    done = ws.run("apply", "p.json")
    assert done.exit_code == 0, done.output
    assert "1 step(s) appended" in done.stdout


def test_an_unknown_target_is_an_error_with_a_suggestion(ws: Workspace) -> None:
    result = ws.run("plan", "--target", "one-step-emali")
    assert result.exit_code == 1
    assert 'did you mean "one-step-email"?' in result.stderr
    both = ws.run("apply", "plan.json", "--target", "one-step-email")
    assert both.exit_code == 1


def test_accounts_lists_smtp_mailboxes_and_linkedin_accounts(ws: Workspace) -> None:
    ws.emulator.seed_mailbox(424242, "imap@example.com", type="IMAP")
    ws.emulator.seed_mailbox(515151, "broken@example.com", connected=False)
    result = ws.run("accounts")
    assert result.exit_code == 0, result.output
    assert "Mailboxes (email_account_ids; SMTP only):" in result.stdout
    assert "LinkedIn accounts (linkedin_account_id):" in result.stdout
    assert "424242" not in result.stdout  # an IMAP entry cannot be used in a campaign
    data = json.loads(ws.run("accounts", "--format", "json").stdout)
    boxes = {b["id"]: b for b in data["mailboxes"]}
    assert 424242 not in boxes
    assert boxes[515151]["email"] == "broken@example.com"
    assert boxes[515151]["health"].startswith("error: ")
    assert all(b["email"] for b in boxes.values())
    assert data["linkedin_accounts"] and all(
        a["name"] and a["session_status"] for a in data["linkedin_accounts"]
    )
    assert all(r["method"] == "GET" for r in ws.emulator.requests())


def test_accounts_reads_the_address_from_details_first() -> None:
    from wpsync.commands.accounts import _mailbox

    assert (
        _mailbox({"id": 1, "email": "top@x.io", "details": {"email": "inner@x.io"}})["email"] == "inner@x.io"
    )
    assert _mailbox({"id": 1, "email": "top@x.io", "details": {}})["email"] == "top@x.io"
    assert _mailbox({"id": 1, "details": None})["email"] is None


def test_accounts_needs_a_key(ws: Workspace, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.delenv("WOODPECKER_API_KEY")
    result = ws.run("accounts")
    assert result.exit_code == 1 and "needs the API key" in result.stderr


def test_no_changes_with_drift_does_not_say_woodpecker_matches(ws: Workspace) -> None:
    _applied(ws)
    record = json.loads((ws.root / "state" / "one-step-email.json").read_text())
    # Paused in the app, and the file states no status: drift to report, nothing to do.
    ws.emulator.set_status(record["campaign_id"], "PAUSED")
    drift = ws.run("plan", "--refresh", "all")
    assert drift.exit_code == 0
    assert "Woodpecker matches" not in drift.stdout
    assert drift.stdout.rstrip().endswith("No changes to apply; 1 drift note below.")
    assert ws.run("plan").stdout == no_changes("none") + "\n"
