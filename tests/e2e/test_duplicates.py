"""Never a second copy by accident (#20): a create is planned only when wpsync is sure the campaign is
new. Each path that would have created a duplicate is refused (exit 3) before any call, naming the exact
command that resolves it — and that command, run as printed, does."""

from __future__ import annotations

import json
import re
import shlex
import shutil

import pytest

from tests.e2e.conftest import Workspace


def _creates(ws: Workspace) -> list[dict[str, object]]:
    return [r for r in ws.emulator.requests() if r["method"] == "POST" and r["path"] == "/rest/v2/campaigns"]


def _cid(ws: Workspace, key: str) -> int:
    value: int = json.loads((ws.root / "state" / f"{key}.json").read_text())["campaign_id"]
    return value


def _command(text: str, start: str) -> list[str]:
    """The backquoted command in ``text`` that begins with ``start``, as argv after `wpsync`."""
    found = re.search(r"`(" + re.escape(start) + r"[^`]*)`", text)
    assert found, text
    return shlex.split(found.group(1))[1:]


def test_a_lost_state_refuses_the_creates_and_names_the_import(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _cid(ws, "one-step-email")
    shutil.rmtree(ws.root / "state")  # the state is lost (never committed, say)
    ws.emulator.clear_requests()
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 3, plan.output
    assert "✗ one-step-email campaign: duplicate_name  (campaigns/one-step-email.toml)" in plan.stdout
    assert f"Woodpecker already has campaign {cid} named 'One-step email campaign', which no record owns" in (
        plan.stdout
    )
    assert f"`wpsync import {cid} --key one-step-email --force`" in plan.stdout
    assert "the state is empty, but this Woodpecker account holds 3 campaigns no record owns" in plan.stdout
    apply = ws.run("apply", "--auto-approve")
    assert apply.exit_code == 3, apply.output
    assert _creates(ws) == [] and ws.posts() == []
    # The command exactly as printed adopts it: the next plan creates only the two still refused.
    adopted = ws.run(*_command(plan.stdout, f"wpsync import {cid}"))
    assert adopted.exit_code == 0, adopted.output
    again = json.loads(ws.run("plan", "--format", "json").stdout)
    assert [r["key"] for r in again["refused"]] == ["four-step-multichannel", "two-step-linkedin"]
    assert again["actions"] == []


def test_allow_duplicate_name_creates_a_second_copy_on_purpose(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _cid(ws, "one-step-email")
    assert ws.run("forget", "one-step-email").exit_code == 0  # its campaign stays, now owned by no record
    ws.edit(
        "one-step-email",
        'name = "One-step email campaign"',
        'allow_duplicate_name = true\nname = "One-step email campaign"',
    )
    assert ws.run("validate").exit_code == 0
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert "+ create campaign one-step-email" in plan.stdout
    assert (
        f"creating a second campaign named 'One-step email campaign' on purpose (allow_duplicate_name = true); Woodpecker already has {cid}"
        in plan.stdout
    )
    ws.emulator.clear_requests()
    assert ws.run("apply", "--auto-approve").exit_code == 0
    (create,) = _creates(ws)
    assert "allow_duplicate_name" not in json.dumps(create["body"])  # wpsync's own field is never sent
    assert _cid(ws, "one-step-email") != cid


def test_a_rename_with_an_edit_is_refused_with_the_state_mv(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _cid(ws, "one-step-email")
    ws.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    ws.file("one-step-email").rename(ws.root / "campaigns" / "welcome.toml")
    ws.emulator.clear_requests()
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 3, plan.output
    assert "✗ welcome campaign: possible_rename" in plan.stdout
    assert (
        f"looks like one-step-email (campaign {cid} 'One-step email campaign'), whose file is gone"
        in plan.stdout
    )
    assert "`wpsync state mv one-step-email welcome`" in plan.stdout
    assert "wpsync destroy one-step-email" not in plan.stdout  # no advice that would delete the renamed one
    assert ws.run("apply", "--auto-approve").exit_code == 3
    assert _creates(ws) == [] and ws.posts() == []
    moved = ws.run(*_command(plan.stdout, "wpsync state mv"))
    assert moved.exit_code == 0, moved.output
    after = ws.run("plan")
    assert "~ update campaign" in after.stdout and "      daily_enroll: 25 → 30" in after.stdout
    assert json.loads(ws.run("plan", "--format", "json").stdout)["actions"][0]["campaign_id"] == cid


@pytest.mark.parametrize("edit", ["name", "steps"])
def test_a_rename_that_changed_the_name_or_the_steps_is_still_caught(ws: Workspace, edit: str) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    if edit == "name":  # the name and a setting changed; the steps are the same
        ws.edit("one-step-email", 'name = "One-step email campaign"', 'name = "Welcome"')
        ws.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    else:  # the copy changed; name, mailboxes and settings are the same
        ws.edit("one-step-email", "<p>", "<p>Hello! ")
    ws.file("one-step-email").rename(ws.root / "campaigns" / "welcome.toml")
    ws.emulator.clear_requests()
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    assert "`wpsync state mv one-step-email welcome`" in plan.stdout
    assert _creates(ws) == []


def test_one_orphan_and_three_identical_new_files_move_nowhere(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    text = ws.file("one-step-email").read_text()
    ws.file("one-step-email").unlink()
    for key in ("copy-a", "copy-b", "copy-c"):
        ws.file(key).write_text(text)
    ws.emulator.clear_requests()
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    assert "→ move" not in plan.stdout
    for key in ("copy-a", "copy-b", "copy-c"):
        assert f"✗ {key} campaign: possible_rename" in plan.stdout
        assert f"`wpsync state mv one-step-email {key}`" in plan.stdout
    assert "copy-a and copy-b, copy-c all equal one-step-email" in plan.stdout
    assert ws.run("apply", "--auto-approve").exit_code == 3
    assert _creates(ws) == []


def test_a_plain_rename_is_still_a_move_and_a_target_sees_other_records_as_owned(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.file("one-step-email").rename(ws.root / "campaigns" / "welcome.toml")
    assert "→ move one-step-email → welcome" in ws.run("plan").stdout
    # A new file with the name of a campaign another (untargeted) record owns is a fork, not a duplicate.
    ws.file("fork").write_text(ws.file("two-step-linkedin").read_text().replace("Hello", "Hi"))
    ws.emulator.clear_requests()
    plan = ws.run("plan", "--target", "fork", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert "+ create campaign fork" in plan.stdout and "duplicate_name" not in plan.stdout


def test_a_no_change_plan_reads_no_campaign_list(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    assert ws.run("plan").exit_code == 0
    assert ws.emulator.requests() == []


def test_a_saved_offline_plan_with_creates_is_not_applied(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    shutil.rmtree(ws.root / "state")  # lost: offline, nothing tells that these campaigns exist
    saved = ws.run("plan", "--offline", "--out", "offline.json")
    assert saved.exit_code == 0 and "+ create campaign one-step-email" in saved.stdout
    ws.emulator.clear_requests()
    result = ws.run("apply", "offline.json", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert (
        "offline.json was planned offline: it could not check Woodpecker for campaigns of the same name"
        in (result.stderr)
    )
    assert "`wpsync plan --out offline.json`" in result.stderr
    assert _creates(ws) == []
