"""Names, not ids, end to end against the emulator: mailbox addresses and the LinkedIn sender's name
come from the reads the plan makes (over real HTTP), and a plan made offline shows ids and says so."""

from __future__ import annotations

import json

from tests.e2e.conftest import Workspace


def test_a_created_campaign_names_its_mailboxes_and_linkedin_sender_from_the_api(ws: Workspace) -> None:
    markdown = ws.run("plan", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    # The emulator's seeded mailboxes and LinkedIn account (GET /v2/mailboxes, /v2/linkedin_accounts).
    assert "Mailboxes: anna@example.com, ben@example.com, carla@example.com\\" in markdown.stdout
    assert "**Step 1 · LinkedIn: visit profile** · Example Sender · then wait 2 hours" in markdown.stdout
    assert "shown by id" not in markdown.stdout
    text = ws.run("plan")
    assert "mailboxes: sales@example.com · timezone: Europe/Warsaw" in text.stdout
    assert "LINKEDIN VISIT_PROFILE via Example Sender" in text.stdout
    names = json.loads(ws.run("plan", "--format", "json").stdout)["names"]
    assert names["mailboxes"]["112233"] == "sales@example.com"
    assert names["linkedin"] == {"200002": "Example Sender"} and names["read_at"] == ""


def test_offline_the_plan_shows_ids_and_says_why(ws: Workspace) -> None:
    markdown = ws.run("plan", "--offline", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert "Mailboxes: 100001, 100002, 100003\\" in markdown.stdout
    assert "· account 200002 ·" in markdown.stdout
    assert "mailboxes and LinkedIn accounts are shown by id (names are not read offline)" in markdown.stdout
    assert "example.com" not in markdown.stdout
    text = ws.run("plan", "--offline")
    assert "  - mailboxes and LinkedIn accounts are shown by id (names are not read offline)" in text.stdout
    assert json.loads(ws.run("plan", "--offline", "--format", "json").stdout)["names"] is None


def test_a_mailbox_change_reads_the_mailboxes_and_shows_addresses_and_a_copy_edit_reads_none(
    ws: Workspace,
) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    ws.edit("one-step-email", "email_account_ids = [112233]", "email_account_ids = [112233, 100001]")
    text = ws.run("plan")
    assert text.exit_code == 0, text.output
    assert "      mailboxes: sales@example.com, {+anna@example.com+}" in text.stdout
    assert "  # one-step-email  (campaigns/one-step-email.toml): 1 setting changed" in text.stdout
    assert any(r["path"] == "/rest/v2/mailboxes" for r in ws.emulator.requests())
    ws.edit("one-step-email", "email_account_ids = [112233, 100001]", "email_account_ids = [112233]")
    ws.edit("one-step-email", "<p>Hi ", "<p>Hello ")
    ws.emulator.clear_requests()
    copy = ws.run("plan")
    assert "[-Hi-]{+Hello+}" in copy.stdout, copy.stdout
    assert not any(r["path"] == "/rest/v2/mailboxes" for r in ws.emulator.requests())  # no mailbox changes


def test_a_saved_copy_of_the_names_serves_an_offline_plan_with_its_date(ws: Workspace) -> None:
    saved = ws.run("accounts", "--save-names")
    assert saved.exit_code == 0, saved.output
    assert "Saved the names to campaigns/.wpsync-names.json" in saved.stdout
    cache = json.loads((ws.root / "campaigns" / ".wpsync-names.json").read_text(encoding="utf-8"))
    assert cache["mailboxes"]["100001"] == "anna@example.com" and cache["linkedin"] == {
        "200002": "Example Sender"
    }
    ws.emulator.clear_requests()
    markdown = ws.run("plan", "--offline", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert ws.emulator.requests() == []  # offline: nothing asked
    assert "Mailboxes: anna@example.com, ben@example.com, carla@example.com\\" in markdown.stdout
    assert (
        f"names from the cached copy of {cache['read_at']} (wpsync accounts --save-names)" in markdown.stdout
    )
    assert "shown by id" not in markdown.stdout
    # The cache is hidden in the campaigns folder: validate neither reads nor warns about it.
    checked = ws.run("validate")
    assert ".wpsync-names.json" not in checked.output
