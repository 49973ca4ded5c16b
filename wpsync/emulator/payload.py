"""From validated request bodies to stored campaigns, and from stored campaigns to the response payload.

The response is the "full campaign payload" of the spec: every optional field filled with its documented
default, an ``id`` on every step (START too) and version, ``version`` letters A-E in array order, and the
steps nested START → followup → … → ``"followup": null``. Inputs here have passed ``validation``.
"""

from __future__ import annotations

import copy
import secrets
import uuid
from collections.abc import Iterator
from typing import Any

from wpsync.emulator.step_rules import DAYS
from wpsync.emulator.store import Campaign, Mailbox, Step

DEFAULT_NAME = "My campaign #0"
SETTINGS_DEFAULTS: dict[str, Any] = {
    "prospect_timezone": False,
    "gdpr_unsubscribe": False,
    "list_unsubscribe": False,
    "open_disabled_list": [],
    "auto_pause_prospect_from_domain": False,
    "catch_all_verification_mode": "BALANCED",
}
LETTERS = "ABCDE"
# [assume] Live GET payloads carry keys the spec does not list (api-notes "Values and limits"); their
# values are not documented, so these defaults are ours. The two settings are also accepted in create
# and PATCH bodies [client, newer], and then stored and shown as sent.
LIVE_SETTINGS_EXTRAS: dict[str, Any] = {
    "auto_pause_prospect_from_domain_statuses": ["REPLIED", "BOUNCED"],
    "count_followup_delay_in_working_days": False,
}
LIVE_TOP_LEVEL_EXTRAS: dict[str, Any] = {
    "bounce_shield_enabled": True,
    "bounce_shield_threshold": 5,
    "bounce_shield_autopaused_at": None,  # [client, newer] set when the shield paused the campaign
}

Body = dict[str, Any]


def new_step_id() -> str:
    # "UUID-like": clients must not validate step ids as strict UUIDs, but a real UUID is fine to send.
    return str(uuid.uuid4())


def new_version_id() -> str:
    return secrets.token_hex(32)  # 64 characters, like Woodpecker's version ids


def iter_chain(steps: Body) -> Iterator[tuple[str, Body]]:
    """(JSON path, step) for every step after START, in order."""
    node, path = steps.get("followup"), "steps.followup"
    while node is not None:
        yield path, node
        node, path = node.get("followup"), f"{path}.followup"


def new_campaign(campaign_id: int, body: Body) -> Campaign:
    settings = {"timezone": body["settings"]["timezone"], "daily_enroll": body["settings"]["daily_enroll"]}
    for key, default in SETTINGS_DEFAULTS.items():
        given = body["settings"].get(key)
        # null is accepted for two of these; the stored (and returned) value is then the default.
        settings[key] = default if given is None else given
    for key, default in LIVE_SETTINGS_EXTRAS.items():
        settings[key] = copy.deepcopy(body["settings"].get(key, default))
    steps = [Step(new_step_id(), "START", {})]
    steps += [new_step(step) for _, step in iter_chain(body["steps"])]
    return Campaign(
        id=campaign_id,
        name=body.get("name", DEFAULT_NAME),
        status="DRAFT",
        email_account_ids=list(body.get("email_account_ids") or []),
        settings=settings,
        steps=steps,
    )


def new_step(step: Body) -> Step:
    delay = step.get("followup_after") or {}
    followup_after = {"range": delay.get("range", "DAY"), "value": delay.get("value", 1)}
    if step["type"] == "EMAIL":
        content: dict[str, Any] = {
            # Days in week order and windows as given: "00:00"-"24:00" is not rewritten to the default
            # "00:00"-"00:00", because nothing documents that the server rewrites it.
            "delivery_time": {
                day: step["delivery_time"][day] for day in DAYS if day in step["delivery_time"]
            },
            "body": {"versions": [_email_version(i, v) for i, v in enumerate(step["body"]["versions"])]},
            "followup_after": followup_after,
        }
    else:
        body = step["body"]
        versions = body.get("versions")
        content = {
            "body": {
                "action_type": body["action_type"],
                "linkedin_account_id": body["linkedin_account_id"],
                "versions": None
                if versions is None
                else [_linkedin_version(i, v) for i, v in enumerate(versions)],
            },
            "followup_after": followup_after,
        }
    return Step(new_step_id(), step["type"], content)


def _email_version(index: int, version: Body) -> Body:
    return {
        "id": new_version_id(),
        "version": LETTERS[index],
        "subject": version.get("subject"),
        "message": version["message"],
        "signature": version.get("signature", "NO_SIGNATURE"),
        "track_opens": version.get("track_opens", False),
    }


def _linkedin_version(index: int, version: Body) -> Body:
    return {"id": new_version_id(), "version": LETTERS[index], "message": version.get("message")}


def render(campaign: Campaign) -> Body:
    chain: Body | None = None
    for step in reversed(campaign.steps):
        chain = {"id": step.id, "type": step.type, **step.content, "followup": chain}
    return {
        "id": campaign.id,
        "name": campaign.name,
        "status": campaign.status,
        "email_account_ids": campaign.email_account_ids,
        "settings": {**LIVE_SETTINGS_EXTRAS, **campaign.settings},
        "steps": chain,
        **LIVE_TOP_LEVEL_EXTRAS,
    }


def render_mailbox(mailbox: Mailbox) -> Body:
    """One entry of GET /v2/mailboxes: ``{"id", "type", "details": {"email", "error", "imap_id"}}`` [doc]."""
    return {
        "id": mailbox.id,
        "type": mailbox.type,
        "details": {"email": mailbox.email, "error": mailbox.error, "imap_id": mailbox.imap_id},
    }


def apply_settings(campaign: Campaign, settings: Body) -> None:
    """PATCH: each given setting replaces its value alone; null means the default where null is allowed."""
    for key, value in settings.items():
        campaign.settings[key] = copy.deepcopy(SETTINGS_DEFAULTS.get(key)) if value is None else value


SAMPLE_NAME = "Your first multichannel campaign - sample"


def sample_campaign(campaign_id: int) -> Campaign:
    """Woodpecker's own sample campaign, which answers 409 API_UNSUPPORTED_CAMPAIGN_FEATURES on GET
    [doc + client, newer]: a real account's very first campaign may be one the API cannot read.
    [assume] Its content (what the v1 list and stats show) is ours: an email, then a profile visit."""
    body: Body = {
        "name": SAMPLE_NAME,
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 20},
        "steps": {
            "type": "START",
            "followup": {
                "type": "EMAIL",
                "delivery_time": {"MONDAY": [{"from": "09:00", "to": "17:00"}]},
                "body": {"versions": [{"subject": "Hello {{FIRST_NAME}}", "message": "<p>Hi!</p>"}]},
                "followup": {
                    "type": "LINKEDIN",
                    "body": {"action_type": "VISIT_PROFILE", "linkedin_account_id": 0, "versions": None},
                },
            },
        },
    }
    campaign = new_campaign(campaign_id, body)
    campaign.unsupported = True
    return campaign
