"""Plans for the review tests: the example campaigns planned offline, and hand-made plans with refusals,
appends and many campaigns (values built directly: no state or API needed to render them)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from wpsync.commands.plan import PlanRequest, build_plan
from wpsync.commands.workspace import workspace
from wpsync.errors import Problem
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import add_step_body, compact_json, create_body
from wpsync.plan.actions import pack
from wpsync.plan.plan import (
    AppendStep,
    Binding,
    CreateCampaign,
    FieldChange,
    MakeEditable,
    Note,
    Plan,
    Refusal,
    RestoreStatus,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "campaigns"
BINDING = Binding(lineage="lineage-1", serials={}, digests={}, tool_version="0.1.0")


def example_plan(tmp_path: Path) -> tuple[Plan, list[Problem]]:
    """The example campaigns planned offline against an empty state; run with tmp_path as the cwd so
    file names in the output are the relative ones a reviewer sees."""
    shutil.copytree(EXAMPLES, tmp_path / "campaigns")
    return build_plan(workspace(Path("campaigns"), Path("state")), None, PlanRequest(offline=True))


OLD_MESSAGE = (
    '<div>Hi {{FIRST_NAME | "there"}},</div><div><br /></div><div>This is an example cold email message. '
    "</div><div><br /></div><div>Best wishes, </div>"
)
NEW_MESSAGE = (
    '<div>Hello {{FIRST_NAME | "there"}},</div><div><br /></div><div>This is a shorter cold email. '
    "</div><div><br /></div><div>Best wishes, </div><div>*Ada* @ada #12</div>"
)


def refused_plan() -> Plan:
    """One campaign whose first step's delay changed along with its copy, and which drifted in Woodpecker;
    one append needing make-editable."""
    refusals = (
        Refusal(
            "q4-ctos",
            "campaigns/q4-ctos.toml",
            "delay_changed",
            1,
            "step 1's delay (followup_after) changed; Woodpecker documents no call that changes a delay, "
            "so wpsync will not try one",
            "revert the delay of step 1 in campaigns/q4-ctos.toml; to wait differently, append a new step, "
            "or fork",
            (
                FieldChange("steps[0].followup_after.value", 3, 4),
                FieldChange("steps[0].versions[0].message", OLD_MESSAGE, NEW_MESSAGE),
                FieldChange(
                    "steps[0].versions[0].subject", "Quick question", "Quick question, {{FIRST_NAME}}?"
                ),
                FieldChange(
                    "steps[0].versions[1].message",
                    '<p>Hi <a href="https://a.example">x</a></p>',
                    '<p>Hi <a href="https://b.example">x</a></p>',
                ),
            ),
        ),
        Refusal(
            "q4-ctos",
            "campaigns/q4-ctos.toml",
            "versions_changed",
            2,
            "step 2 has 3 A/B version(s), Woodpecker holds 2; Woodpecker has no call that adds or removes a "
            "version",
            "keep 2 version(s) in step 2 of campaigns/q4-ctos.toml (edit their copy instead), or fork",
            (FieldChange("settings.daily_enroll", 25, 40),),
        ),
    )
    campaign = load_campaign(EXAMPLES / "one-step-email.toml")
    step = add_step_body(campaign.steps[0], campaign.schedules, parent_id="")["step"]  # type: ignore[arg-type]
    actions = (
        MakeEditable("one-step-email", "campaigns/one-step-email.toml", 4242, "RUNNING"),
        AppendStep("one-step-email", "campaigns/one-step-email.toml", 4242, 2, 1, step, "h2"),
        RestoreStatus("one-step-email", "campaigns/one-step-email.toml", 4242, "RUNNING"),
    )
    notes = (Note("old-campaign", "unmanaged", "old-campaign: no campaign file any more; campaign 17 stays"),)
    return Plan(
        actions,
        refusals,
        notes,
        BINDING,
        unchanged=2,
        options={"make_editable": True, "leave_editable": False},
    )


def many_campaigns_plan(count: int) -> Plan:
    """``count`` creates of the four-step example (each ~4 KB of markdown), with distinct keys."""
    campaign = load_campaign(EXAMPLES / "four-step-multichannel.toml")
    body = pack(compact_json(create_body(campaign)))
    actions = tuple(
        CreateCampaign(f"campaign-{n:04d}", f"campaigns/campaign-{n:04d}.toml", body, {}, "h", ())
        for n in range(count)
    )
    return Plan(actions, (), (), BINDING)


def create_action(
    key: str, name: str, subject: str, message: str, signature: str, note: str
) -> CreateCampaign:
    """A create with the given text in every field that reaches the comment: an email step of two
    versions (one plain text, one HTML) and a LinkedIn connection request with a note."""
    linkedin = {
        "type": "LINKEDIN",
        "body": {
            "action_type": "CONNECTION_REQUEST",
            "linkedin_account_id": 2,
            "versions": [{"message": note}],
        },
        "followup_after": {"range": "DAY", "value": 1},
    }
    email = {
        "type": "EMAIL",
        "delivery_time": {"MONDAY": [{"from": "09:00", "to": "17:00"}]},
        "body": {
            "versions": [
                {"subject": subject, "message": message, "signature": signature, "track_opens": True},
                {"subject": subject, "message": f"<div>{message}</div>", "signature": "SENDER"},
            ]
        },
        "followup_after": {"range": "DAY", "value": 2},
        "followup": linkedin,
    }
    body = {
        "name": name,
        "email_account_ids": [1],
        "settings": {"daily_enroll": 5},
        "steps": {"type": "START", "followup": email},
    }
    return CreateCampaign(key, f"campaigns/{key}.toml", pack(json.dumps(body)), {}, "h", ())
