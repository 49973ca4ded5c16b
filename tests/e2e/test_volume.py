"""Mailbox volume end to end: validate's lint over every campaign sharing a mailbox, and the plan's
summary when a change pushes one over the limit (summed with campaigns the plan leaves alone)."""

from __future__ import annotations

import json

from tests.e2e.conftest import Workspace

KEY = "one-step-email"  # daily_enroll 25, one EMAIL step, mailbox 112233


def copy_of(ws: Workspace, key: str, enroll: int) -> None:
    text = ws.file(KEY).read_text(encoding="utf-8").replace("daily_enroll = 25", f"daily_enroll = {enroll}")
    ws.file(key).write_text(text, encoding="utf-8")


def test_validate_warns_in_each_file_sharing_a_mailbox_over_the_limit(ws: Workspace) -> None:
    copy_of(ws, "second", 180)
    result = ws.run("validate", "--format", "json")
    assert result.exit_code == 0, result.output
    found = [
        p for p in json.loads(result.stdout)["problems"] if "max_daily_sends_per_mailbox" in p["message"]
    ]
    assert sorted(p["file"] for p in found) == ["campaigns/one-step-email.toml", "campaigns/second.toml"]
    assert found[0]["message"].startswith(
        "mailbox 112233 would send up to 205 emails a day (second 180, one-step-email 25"
    )
    assert found[0]["severity"] == "warning"
    (ws.root / "wpsync.toml").write_text("[lint]\nmax_daily_sends_per_mailbox = 300\n", encoding="utf-8")
    quiet = json.loads(ws.run("validate", "--format", "json").stdout)["problems"]
    assert not [p for p in quiet if "max_daily_sends_per_mailbox" in p["message"]]


def test_the_plan_summary_says_when_a_change_pushes_a_mailbox_over(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    copy_of(ws, "second", 170)  # 25 + 170 = 195: under the limit
    plan = json.loads(ws.run("plan", "--format", "json").stdout)
    assert [(m["mailbox"], m["before"], m["after"], m["pushed_over"]) for m in plan["mailboxes"]] == [
        (112233, 25, 195, False)
    ]
    copy_of(ws, "second", 180)  # 205: over, with one-step-email (unchanged, from the state) counted
    result = ws.run("plan")
    assert "⚠ Pushes mailbox 112233 (205/day) over the 200 emails/day limit." in result.stdout
    markdown = ws.run("plan", "--format", "markdown").stdout
    assert "> [!WARNING]" in markdown
    assert "emails a day (limit 200) — pushed over by this plan; from `one-step-email`, `second`" in markdown
