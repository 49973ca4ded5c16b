"""Edits in place, end to end: each allowed edit is planned, applied as exactly the calls the plan
listed, held by Woodpecker on the same campaign id, recorded, and the next plan is empty; each
forbidden edit is refused with exit 3 and no mutating call."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import FOLLOW_UP, Workspace
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import content_hash, step_hash
from wpsync.plan.desired import canonical_head
from wpsync.plan.plan import no_changes

JSON = dict[str, Any]
NO_CHANGES = no_changes("none") + "\n"

SECOND_FOLLOW_UP = """
[[steps]]
type = "EMAIL"
delivery_time = { FRIDAY = [{ from = "10:00", to = "12:00" }] }

[[steps.versions]]
message = "<p>Last one</p>"
track_opens = true
"""

LINKEDIN_THEN_EMAIL = """name = "LinkedIn then email"
email_account_ids = [112233]

[settings]
timezone = "Europe/Warsaw"
daily_enroll = 20

[[steps]]
type = "LINKEDIN"
action_type = "VISIT_PROFILE"
linkedin_account_id = 200002
versions = [{ message = "" }]
followup_after = { range = "DAY", value = 1 }

[[steps]]
type = "EMAIL"
delivery_time = { MONDAY = [{ from = "09:00", to = "10:00" }] }

[[steps.versions]]
subject = "Hello"
message = "<p>Hello there</p>"
"""


def record(ws: Workspace, key: str) -> JSON:
    data: JSON = json.loads((ws.root / "state" / f"{key}.json").read_text())
    return data


def applied_content(ws: Workspace, key: str) -> JSON:
    data: JSON = json.loads((ws.root / "state" / f"{key}.applied.json").read_text())
    return data


def mutating(ws: Workspace) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in ws.emulator.requests() if r["method"] != "GET"]


def bodies(ws: Workspace) -> list[Any]:
    return [r.get("body") for r in ws.emulator.requests() if r["method"] != "GET"]


def chain(remote: JSON) -> list[JSON]:
    """Woodpecker's steps in order, START first."""
    found, node = [], remote["steps"]
    while node:
        found.append(node)
        node = node.get("followup")
    return found


def expected_calls(actions: list[JSON], before: JSON) -> list[tuple[str, str]]:
    """The method and path of each action of a JSON plan, step ids taken from the record as it was."""
    calls: list[tuple[str, str]] = []
    for action in actions:
        base = f"/rest/v2/campaigns/{action['campaign_id']}"
        kind = action["kind"]
        if kind in ("update_windows", "update_version", "delete_step"):
            step = before["steps"][action["position"]]
            path = f"{base}/steps/{step['id']}"
            if kind == "update_version":
                path += f"/versions/{step['version_ids'][action['version']]}"
            calls.append(("PATCH" if kind != "delete_step" else "DELETE", path))
        elif kind == "update_campaign":
            calls.append(("PATCH", base))
        elif kind == "append_step":
            calls.append(("POST", f"{base}/steps"))
        elif kind == "make_editable":
            calls.append(("POST", f"{base}/make_editable"))
        elif kind == "restore_status":
            call = {"RUNNING": "run", "PAUSED": "pause", "STOPPED": "stop"}[action["status"]]
            calls.append(("POST", f"{base}/{call}"))
        else:
            raise AssertionError(f"unexpected action {kind}")
    return calls


def assert_state_matches_file(ws: Workspace, key: str) -> JSON:
    """The record holds the file's content hashes and Woodpecker's step ids; returns the remote campaign."""
    rec = record(ws, key)
    campaign = load_campaign(ws.file(key))
    assert rec["head_hash"] == content_hash(canonical_head(campaign))
    assert [s["hash"] for s in rec["steps"][1:]] == [step_hash(s, campaign.schedules) for s in campaign.steps]
    assert applied_content(ws, key)["head"] == canonical_head(campaign)
    remote = ws.campaign(rec["campaign_id"])
    assert [s["id"] for s in rec["steps"]] == [s["id"] for s in chain(remote)]
    assert "restore_status" not in rec
    assert not list((ws.root / "state").glob("*.intent.json"))
    return remote


@dataclass
class Edited:
    text: str  # the text plan
    actions: list[JSON]  # the JSON plan's actions
    before: JSON  # the record before apply
    remote: JSON  # Woodpecker's campaign after apply
    sent: list[Any]  # bodies of the mutating calls, in order
    apply_out: str


def apply_edit(ws: Workspace, key: str, *flags: str, expect: list[str]) -> Edited:
    """Plan (text and JSON), apply, then check calls, campaign id, state and an empty next plan."""
    before = record(ws, key)
    ws.emulator.clear_requests()
    text = ws.run("plan", "--detailed-exitcode", *flags)
    assert text.exit_code == 2, text.output
    plan = json.loads(ws.run("plan", "--format", "json", *flags).stdout)
    actions = plan["actions"]
    assert [a["kind"] for a in actions] == expect, actions
    assert all(a["key"] == key and a["campaign_id"] == before["campaign_id"] for a in actions)
    assert mutating(ws) == []  # planning sends nothing
    result = ws.run("apply", "--auto-approve", *flags)
    assert result.exit_code == 0, result.output
    assert mutating(ws) == expected_calls(actions, before)  # exactly the plan's calls, in order, once each
    sent = bodies(ws)
    after = record(ws, key)
    assert after["campaign_id"] == before["campaign_id"]
    remote = assert_state_matches_file(ws, key)
    assert remote["id"] == before["campaign_id"]
    final = ws.run("plan", "--detailed-exitcode")
    assert final.exit_code == 0, final.output
    if remote["status"] == "EDITED":  # never silent: every plan says it sends nothing, and how to resume
        assert f"campaign {remote['id']} is EDITED in Woodpecker: it sends nothing" in final.stdout
        assert final.stdout.endswith(no_changes("changed") + "\n")  # an EDITED campaign is read
    else:
        assert final.stdout == NO_CHANGES
    return Edited(text.stdout, actions, before, remote, sent, result.stdout)


@pytest.fixture
def live(ws: Workspace) -> Workspace:
    """The examples created in Woodpecker, the request log cleared."""
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    ws.emulator.clear_requests()
    return ws


def with_follow_ups(ws: Workspace, *texts: str) -> Workspace:
    for text in texts:
        ws.append("one-step-email", text)
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    return ws


def first_step(remote: JSON) -> JSON:
    return chain(remote)[1]


# --- allowed edits -------------------------------------------------------------------------------


def test_settings_change(live: Workspace) -> None:
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    done = apply_edit(live, "one-step-email", expect=["update_campaign"])
    assert "~ update campaign" in done.text and "      daily_enroll: 25 → 30" in done.text
    assert done.actions[0]["patch"] == {"settings": {"daily_enroll": 30}}
    assert done.sent == [{"settings": {"daily_enroll": 30}}]  # only what changed
    assert done.remote["settings"]["daily_enroll"] == 30
    assert applied_content(live, "one-step-email")["head"]["settings"]["daily_enroll"] == 30


def test_name_change(live: Workspace) -> None:
    live.edit("one-step-email", 'name = "One-step email campaign"', 'name = "Renamed campaign"')
    done = apply_edit(live, "one-step-email", expect=["update_campaign"])
    assert 'name: "One-step email campaign" → "Renamed campaign"' in done.text
    assert done.sent == [{"name": "Renamed campaign"}]
    assert done.remote["name"] == "Renamed campaign"


def test_mailbox_change(live: Workspace) -> None:
    live.edit("one-step-email", "email_account_ids = [112233]", "email_account_ids = [112233, 100001]")
    done = apply_edit(live, "one-step-email", expect=["update_campaign"])
    assert "mailboxes: sales@example.com, {+anna@example.com+}" in done.text  # names from the API
    assert done.sent == [{"email_account_ids": [112233, 100001]}]
    assert sorted(done.remote["email_account_ids"]) == [100001, 112233]


def test_windows_of_one_step(live: Workspace) -> None:
    live.edit(
        "four-step-multichannel",
        'delivery_time = { THURSDAY = [{ from = "06:00", to = "08:00" }, { from = "13:00", to = "15:00" }] }',
        'delivery_time = { FRIDAY = [{ from = "07:00", to = "08:00" }] }',
    )
    done = apply_edit(live, "four-step-multichannel", expect=["update_windows"])
    assert "~ update delivery windows of step 4 in campaign" in done.text
    assert done.sent == [{"delivery_time": {"FRIDAY": [{"from": "07:00", "to": "08:00"}]}}]
    assert chain(done.remote)[4]["delivery_time"] == {"FRIDAY": [{"from": "07:00", "to": "08:00"}]}
    # The other EMAIL step kept its windows.
    assert list(chain(done.remote)[2]["delivery_time"]) == ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"]


def test_a_schedule_used_by_several_steps_is_one_change_of_several_calls(live: Workspace) -> None:
    with_follow_ups(live, FOLLOW_UP)
    text = live.file("one-step-email").read_text()
    live.file("one-step-email").write_text(text.replace('to = "18:00"', 'to = "16:00"'))
    done = apply_edit(live, "one-step-email", expect=["update_windows", "update_windows"])
    assert [a["position"] for a in done.actions] == [1, 2]
    assert {a["schedule"] for a in done.actions} == {"workdays"}
    # Shown as one change, not one per step.
    assert done.text.count("~ update delivery windows") == 1, done.text
    assert "schedule 'workdays'" in done.text
    assert "Mon–Fri 08:00–16:00" in done.text
    for step in chain(done.remote)[1:]:
        assert step["delivery_time"]["MONDAY"] == [{"from": "08:00", "to": "16:00"}]


@pytest.mark.parametrize(
    ("old", "new", "patch"),
    [
        (
            'subject = "Example subject line"',
            'subject = "A sharper subject"',
            {"subject": "A sharper subject"},
        ),
        ("This is an example cold email message.", "New copy.", None),
        ('signature = "SENDER"', 'signature = "NO_SIGNATURE"', {"signature": "NO_SIGNATURE"}),
        ("track_opens = false", "track_opens = true", {"track_opens": True}),
    ],
    ids=["subject", "message", "signature", "track_opens"],
)
def test_version_copy(live: Workspace, old: str, new: str, patch: JSON | None) -> None:
    live.edit("one-step-email", old, new)
    done = apply_edit(live, "one-step-email", expect=["update_version"])
    assert "~ update step 1 version A in campaign" in done.text
    version = first_step(done.remote)["body"]["versions"][0]
    if patch is None:  # the message: only it is sent
        assert list(done.sent[0]) == ["message"]
        assert "New copy." in done.sent[0]["message"] and "New copy." in version["message"]
        assert "message:" in done.text and "[-an example cold email message-]{+New copy+}" not in done.text
        assert "[-This is an example cold email message-]{+New copy+}." in done.text, done.text
    else:
        assert done.sent == [patch]
        assert done.actions[0]["patch"] == patch
        for name, value in patch.items():
            assert version[name] == value
        label = {"subject": "subject: ", "signature": "signature: ", "track_opens": "opens tracked: no → yes"}
        assert all(label[name] in done.text for name in patch), done.text
    assert "already received the old copy" not in done.text  # a DRAFT campaign sent nothing


def test_several_fields_of_a_version_are_one_patch(live: Workspace) -> None:
    live.edit("one-step-email", 'subject = "Example subject line"', 'subject = "Other"')
    live.edit("one-step-email", "track_opens = false", "track_opens = true")
    done = apply_edit(live, "one-step-email", expect=["update_version"])
    assert done.sent == [{"subject": "Other", "track_opens": True}]


def test_version_b_of_an_ab_step(live: Workspace) -> None:
    live.edit("four-step-multichannel", "Example subject line - version B", "Version B, sharper")
    done = apply_edit(live, "four-step-multichannel", expect=["update_version"])
    assert done.actions[0]["version"] == 1 and done.actions[0]["position"] == 2
    assert "~ update step 2 version B" in done.text
    versions = chain(done.remote)[2]["body"]["versions"]
    assert versions[1]["subject"] == "Version B, sharper"
    assert versions[0]["subject"] == "Example subject line - version A"


def test_linkedin_message(live: Workspace) -> None:
    live.edit(
        "two-step-linkedin",
        "I'd like to add you to my professional network on LinkedIn",
        "let's connect",
    )
    done = apply_edit(live, "two-step-linkedin", expect=["update_version"])
    assert done.sent == [{"message": "Hello {{FIRST_NAME}}, let's connect"}]
    assert chain(done.remote)[2]["body"]["versions"][1]["message"] == "Hello {{FIRST_NAME}}, let's connect"


def test_delete_a_trailing_email_step(live: Workspace) -> None:
    with_follow_ups(live, FOLLOW_UP)
    live.file("one-step-email").write_text(live.file("one-step-email").read_text().replace(FOLLOW_UP, ""))
    done = apply_edit(live, "one-step-email", expect=["delete_step"])
    assert "- delete step 2" in done.text, done.text
    assert len(chain(done.remote)) == 2
    assert len(record(live, "one-step-email")["steps"]) == 2


def test_delete_two_trailing_steps_last_first(live: Workspace) -> None:
    with_follow_ups(live, FOLLOW_UP, SECOND_FOLLOW_UP)
    text = live.file("one-step-email").read_text()
    live.file("one-step-email").write_text(text.replace(FOLLOW_UP, "").replace(SECOND_FOLLOW_UP, ""))
    done = apply_edit(live, "one-step-email", expect=["delete_step", "delete_step"])
    assert [a["position"] for a in done.actions] == [3, 2]
    assert "- delete step 3" in done.text and "- delete step 2" in done.text
    assert len(chain(done.remote)) == 2


def test_edits_and_an_append_in_one_apply(live: Workspace) -> None:
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    live.edit("one-step-email", 'subject = "Example subject line"', 'subject = "Fresh"')
    live.append("one-step-email", FOLLOW_UP)
    done = apply_edit(live, "one-step-email", expect=["update_campaign", "update_version", "append_step"])
    assert len(chain(done.remote)) == 3


def test_a_copy_edit_of_a_step_that_processed_prospects_says_so(live: Workspace) -> None:
    rec = record(live, "one-step-email")
    live.emulator.set_status(rec["campaign_id"], "EDITED")
    live.emulator.mark_processed(rec["campaign_id"], rec["steps"][1]["id"], 7)
    live.edit("one-step-email", 'subject = "Example subject line"', 'subject = "Second wave"')
    done = apply_edit(live, "one-step-email", expect=["update_version"])
    assert "step 1: 7 prospect(s) already received the old copy; the new copy goes to the rest" in done.text
    assert first_step(done.remote)["body"]["versions"][0]["subject"] == "Second wave"
    assert done.remote["status"] == "EDITED"


# --- a sending campaign -------------------------------------------------------------------------


def running(ws: Workspace, key: str = "one-step-email") -> int:
    campaign_id = int(record(ws, key)["campaign_id"])
    ws.emulator.set_status(campaign_id, "RUNNING")
    ws.edit(key, "daily_enroll = 25", "daily_enroll = 30")
    ws.edit(key, 'subject = "Example subject line"', 'subject = "While running"')
    return campaign_id


def test_a_running_campaign_needs_make_editable(live: Workspace) -> None:
    campaign_id = running(live)
    plan = live.run("plan")
    assert plan.exit_code == 3
    assert f"campaign {campaign_id} is RUNNING" in plan.stdout and "--make-editable" in plan.stdout
    apply = live.run("apply", "--auto-approve")
    assert apply.exit_code == 3
    assert mutating(live) == []
    assert live.campaign(campaign_id)["status"] == "RUNNING"


def test_make_editable_edits_then_runs_again(live: Workspace) -> None:
    campaign_id = running(live)
    done = apply_edit(
        live,
        "one-step-email",
        "--make-editable",
        expect=["make_editable", "update_campaign", "update_version", "restore_status"],
    )
    assert f"~ make campaign {campaign_id} editable" in done.text
    assert "then set back to RUNNING" in done.text
    assert done.remote["status"] == "RUNNING"
    assert done.remote["settings"]["daily_enroll"] == 30
    assert first_step(done.remote)["body"]["versions"][0]["subject"] == "While running"
    assert record(live, "one-step-email")["status"] == "RUNNING"


def test_make_editable_then_the_files_new_status_is_not_called_a_return(live: Workspace) -> None:
    # The file pauses a RUNNING campaign along with its edits: the one call after them sets PAUSED,
    # which is where the file sends it, not "back" where it was.
    campaign_id = running(live)
    live.edit("one-step-email", "email_account_ids", 'status = "PAUSED"\nemail_account_ids')
    markdown = live.run("plan", "--make-editable", "--format", "markdown").stdout
    assert f"Then campaign {campaign_id} is set to PAUSED, as the file's `status` says." in markdown
    assert "and set to PAUSED once they are made, as the file's `status` says" in markdown
    assert "set back to" not in markdown
    done = apply_edit(
        live,
        "one-step-email",
        "--make-editable",
        expect=["make_editable", "update_campaign", "update_version", "restore_status"],
    )
    assert f"▶ set campaign {campaign_id} to PAUSED (the file's status)" in done.text
    assert "then set to PAUSED" in done.text and "back to PAUSED" not in done.text
    assert "then PAUSED, as the file's status says" in done.text
    assert done.remote["status"] == "PAUSED"


def test_leave_editable_leaves_it_edited(live: Workspace) -> None:
    campaign_id = running(live)
    before = record(live, "one-step-email")
    live.emulator.clear_requests()
    plan = json.loads(live.run("plan", "--format", "json", "--make-editable", "--leave-editable").stdout)
    assert [a["kind"] for a in plan["actions"]] == ["make_editable", "update_campaign", "update_version"]
    result = live.run("apply", "--auto-approve", "--make-editable", "--leave-editable")
    assert result.exit_code == 0, result.output
    assert mutating(live) == expected_calls(plan["actions"], before)
    assert live.campaign(campaign_id)["status"] == "EDITED"
    after = record(live, "one-step-email")
    assert after["status"] == "EDITED" and "restore_status" not in after
    later = live.run("plan", "--detailed-exitcode")
    assert later.exit_code == 0, later.output
    assert later.stdout == (
        "\nNotes:\n"
        f"  - one-step-email: campaign {campaign_id} is EDITED in Woodpecker: it sends nothing until it is run. "
        'To resume, set status = "RUNNING" in campaigns/one-step-email.toml and apply (or run it in '
        "Woodpecker's app)\n\n" + no_changes("changed") + "\n"  # an EDITED campaign is read
    )


# --- forbidden edits ----------------------------------------------------------------------------


def refused(ws: Workspace, *expected: str, flags: tuple[str, ...] = ()) -> None:
    ws.emulator.clear_requests()
    plan = ws.run("plan", *flags)
    assert plan.exit_code == 3, plan.output
    for text in expected:
        assert text in plan.stdout, plan.stdout
    apply = ws.run("apply", "--auto-approve", *flags)
    assert apply.exit_code == 3, apply.output
    assert mutating(ws) == []


def _insert(ws: Workspace) -> None:
    path = ws.file("four-step-multichannel")
    path.write_text(
        path.read_text().replace(
            "\n# 3. A connection request",
            '\n[[steps]]\ntype = "EMAIL"\ndelivery_time = { MONDAY = [{ from = "09:00", to = "10:00" }] }\n'
            '[[steps.versions]]\nmessage = "inserted"\n\n# 3. A connection request',
        )
    )


def _reorder(ws: Workspace) -> None:
    path = ws.file("four-step-multichannel")
    text = path.read_text()
    two = text[text.index("\n# 2. The opening email") : text.index("\n# 3. A connection request")]
    three = text[text.index("\n# 3. A connection request") : text.index("\n# 4. A follow-up")]
    path.write_text(text.replace(two + three, three + two))


def _type_change(ws: Workspace) -> None:
    path = ws.file("four-step-multichannel")
    text = path.read_text()
    three = text[text.index("\n# 3. A connection request") : text.index("\n# 4. A follow-up")]
    path.write_text(
        text.replace(
            three,
            '\n[[steps]]\ntype = "EMAIL"\nfollowup_after = { range = "DAY", value = 1 }\n'
            'delivery_time = { MONDAY = [{ from = "09:00", to = "10:00" }] }\n'
            '[[steps.versions]]\nmessage = "was LinkedIn"\n',
        )
    )


def _version_added(ws: Workspace) -> None:
    ws.append("one-step-email", '\n[[steps.versions]]\nsubject = "B"\nmessage = "<p>version B</p>"\n')


def _version_removed(ws: Workspace) -> None:
    path = ws.file("four-step-multichannel")
    text = path.read_text()
    start = text.index('[[steps.versions]]\nmessage = "<div>First email followup, version C')
    path.write_text(text[:start])


def _delay(ws: Workspace) -> None:
    ws.edit(
        "four-step-multichannel",
        'followup_after = { range = "DAY", value = 4 }',
        'followup_after = { range = "DAY", value = 6 }',
    )


def _linkedin_action(ws: Workspace) -> None:
    ws.edit(
        "two-step-linkedin",
        'action_type = "VISIT_PROFILE"\nlinkedin_account_id = 200002\nversions = [{ message = "" }]',
        'action_type = "DIRECT_MESSAGE"\nlinkedin_account_id = 200002\nversions = [{ message = "Hi" }]',
    )


def _delete_linkedin(ws: Workspace) -> None:
    path = ws.file("two-step-linkedin")
    text = path.read_text()
    path.write_text(text[: text.index('\n[[steps]]\ntype = "LINKEDIN"\naction_type = "CONNECTION_REQUEST"')])


FORBIDDEN: dict[str, tuple[Callable[[Workspace], None], tuple[str, ...]]] = {
    "insert": (_insert, ("step 3: step_inserted",)),
    "reorder": (_reorder, ("steps_reordered",)),
    "type_change": (_type_change, ("step 3: step_type_changed",)),
    "version_added": (_version_added, ("step 1: versions_changed", "no call that adds or removes a version")),
    "version_removed": (_version_removed, ("step 4: versions_changed",)),
    "delay": (_delay, ("step 2: delay_changed", "steps[1].followup_after.value: 4 → 6")),
    "linkedin_action_type": (_linkedin_action, ("step 1: linkedin_edit", "step 1's action_type changed")),
    "delete_linkedin_step": (
        _delete_linkedin,
        ("step 2: step_removed", "Woodpecker deletes EMAIL steps only"),
    ),
}


@pytest.mark.parametrize("name", list(FORBIDDEN))
def test_forbidden_edit(live: Workspace, name: str) -> None:
    change, expected = FORBIDDEN[name]
    change(live)
    refused(live, *expected)


@pytest.mark.parametrize("name", ["delay", "version_added", "insert"])
def test_forbidden_edit_of_a_running_campaign_sends_not_even_make_editable(
    live: Workspace, name: str
) -> None:
    change, expected = FORBIDDEN[name]
    for key in ("one-step-email", "four-step-multichannel"):
        live.emulator.set_status(int(record(live, key)["campaign_id"]), "RUNNING")
    change(live)
    refused(live, *expected, flags=("--make-editable",))
    for key in ("one-step-email", "four-step-multichannel"):
        assert live.campaign(int(record(live, key)["campaign_id"]))["status"] == "RUNNING"


def test_deleting_the_first_email_step_is_refused(ws: Workspace) -> None:
    for path in (ws.root / "campaigns").glob("*.toml"):
        path.unlink()
    ws.file("li-email").write_text(LINKEDIN_THEN_EMAIL)
    assert ws.run("apply", "--auto-approve").exit_code == 0
    text = ws.file("li-email").read_text()
    ws.file("li-email").write_text(text[: text.index('\n[[steps]]\ntype = "EMAIL"')])
    refused(ws, "step 2: first_email_removed", "Woodpecker does not delete it")


def test_deleting_a_step_that_processed_prospects_is_refused(live: Workspace) -> None:
    with_follow_ups(live, FOLLOW_UP)
    rec = record(live, "one-step-email")
    live.emulator.set_status(rec["campaign_id"], "EDITED")
    live.emulator.mark_processed(rec["campaign_id"], rec["steps"][2]["id"], 3)
    live.file("one-step-email").write_text(live.file("one-step-email").read_text().replace(FOLLOW_UP, ""))
    refused(live, "step 2: step_processed", "has processed 3 prospect(s)")


def test_files_are_unchanged_by_the_tests(ws: Workspace) -> None:
    # A guard for the helpers above: the examples they edit still say what the edits expect.
    root = Path(__file__).resolve().parents[2] / "campaigns"
    assert "daily_enroll = 25" in (root / "one-step-email.toml").read_text()
    assert (
        'followup_after = { range = "DAY", value = 4 }' in (root / "four-step-multichannel.toml").read_text()
    )


def test_a_copy_edit_of_a_running_campaign_that_already_sent(live: Workspace) -> None:
    """The usual case: a RUNNING campaign whose only step has sent to prospects gets new copy."""
    campaign_id = running(live)
    rec = record(live, "one-step-email")
    live.emulator.mark_processed(campaign_id, rec["steps"][1]["id"], 5)
    done = apply_edit(
        live,
        "one-step-email",
        "--make-editable",
        expect=["make_editable", "update_campaign", "update_version", "restore_status"],
    )
    assert "5 prospect(s) already received the old copy" in done.text
    assert done.remote["status"] == "RUNNING"


def test_an_append_whose_parent_sent_since_the_plan_stops_before_make_editable(live: Workspace) -> None:
    campaign_id = running(live)
    live.append("one-step-email", FOLLOW_UP)
    saved = live.root / "plan.json"
    assert live.run("plan", "--make-editable", "--out", str(saved)).exit_code == 0
    rec = record(live, "one-step-email")
    live.emulator.mark_processed(campaign_id, rec["steps"][-1]["id"], 2)  # it sends meanwhile
    live.emulator.clear_requests()
    result = live.run("apply", str(saved))
    # Planned again before anything is sent, the append is refused now: the saved plan is stale.
    assert result.exit_code == 4, result.output
    assert "does not match what wpsync plans now" in result.stderr
    assert "a plan made now refuses a change (parent_processed" in result.stderr
    assert mutating(live) == []  # checked before the campaign stopped sending
    assert live.campaign(campaign_id)["status"] == "RUNNING"


@pytest.mark.parametrize(("status", "call"), [("PAUSED", "pause"), ("STOPPED", "stop")])
def test_make_editable_restores_paused_and_stopped(live: Workspace, status: str, call: str) -> None:
    campaign_id = running(live)
    live.emulator.set_status(campaign_id, status)
    done = apply_edit(
        live,
        "one-step-email",
        "--make-editable",
        expect=["make_editable", "update_campaign", "update_version", "restore_status"],
    )
    assert f"then set back to {status}" in done.text
    assert done.actions[-1]["status"] == status
    assert done.remote["status"] == status
    assert record(live, "one-step-email")["status"] == status


def test_a_saved_plan_of_edits_applies_exactly_its_calls(live: Workspace) -> None:
    with_follow_ups(live, FOLLOW_UP, SECOND_FOLLOW_UP)
    text = live.file("one-step-email").read_text().replace(SECOND_FOLLOW_UP, "")
    text = text.replace("Just bumping this", "Still bumping this").replace('to = "18:00"', 'to = "17:30"')
    live.file("one-step-email").write_text(text.replace("daily_enroll = 25", "daily_enroll = 24"))
    before = record(live, "one-step-email")
    saved = live.root / "plan.json"
    assert live.run("plan", "--out", str(saved)).exit_code == 0
    actions = json.loads(saved.read_text())["plan"]["actions"]
    assert [a["kind"] for a in actions] == [
        "update_campaign",
        "update_windows",
        "update_windows",
        "update_version",
        "delete_step",
    ]
    live.emulator.clear_requests()
    result = live.run("apply", str(saved))
    assert result.exit_code == 0, result.output
    assert mutating(live) == expected_calls(actions, before)
    assert_state_matches_file(live, "one-step-email")
    assert live.run("plan").stdout == NO_CHANGES


def test_a_follow_up_subject_added_then_removed(live: Workspace) -> None:
    """A subject on a follow-up starts a new thread; removing it again sends subject "" — the newer
    version-PATCH page's follow-up, which a partial update cannot mistake for "unchanged" (null)."""
    with_follow_ups(live, FOLLOW_UP)
    live.edit(
        "one-step-email",
        'message = "<p>Just bumping this',
        'subject = "New thread"\nmessage = "<p>Just bumping this',
    )
    added = apply_edit(live, "one-step-email", expect=["update_version"])
    assert added.sent == [{"subject": "New thread"}]
    live.edit("one-step-email", 'subject = "New thread"\n', "")
    removed = apply_edit(live, "one-step-email", expect=["update_version"])
    assert removed.sent == [{"subject": ""}]
    assert removed.actions[0]["patch"] == {"subject": ""}  # the plan shows exactly what is sent
    assert chain(removed.remote)[2]["body"]["versions"][0]["subject"] == ""
