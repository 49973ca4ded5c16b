"""The ``stats`` of ``GET /v1/campaign_list?id=ID``: campaign counters and one ``emails`` entry per EMAIL step.

What api-notes knows: campaign counters (``prospects`` … ``check``), and an ``emails`` array with version
A's ``subject`` and ``msg``, the step's delivery days, ``follow_up``, ``condition``, ``number``, ``step``
and per-step counters; LinkedIn tasks are omitted; no step UUID. The emulator has no prospects, so the
counters follow what tests arrange with hooks: ``mark_processed`` (derived below) and ``set_*_stats``
(explicit overrides, merged last).
"""

from __future__ import annotations

from typing import Any

from wpsync.emulator.step_rules import DAYS
from wpsync.emulator.store import Campaign, Step

CAMPAIGN_COUNTERS = (
    "prospects",
    "sent",
    "delivery",
    "opened",
    "clicked",
    "replied",
    "autoreplied",
    "bounced",
    "invalid",
    "queue",
    "optout",
    "interested",
    "not_interested",
    "maybe_later",
    "check",
)
EMAIL_COUNTERS = ("emailSend", "toSend", "delivery", "open", "reply", "invalid", "bounce")
# [assume] Where ``emails`` sits is not certain (inside ``stats`` or beside it on the item): inside.
EMAILS_INSIDE_STATS = True
# [assume] The name of the "delivery days" field is not known: ``days``, the weekdays with a window.
DELIVERY_DAYS_KEY = "days"


def campaign_stats(campaign: Campaign) -> dict[str, Any]:
    """Campaign counters derived from the processed counts, then the hook's overrides.

    An EMAIL step's processed prospects were sent an email (``sent``); a LINKEDIN step's are only known
    to be in the campaign (``prospects``) and waiting in its ``queue``: the v1 stats cannot show LinkedIn
    tasks, so a client reading them sees "unknown", never a proof of zero.
    """
    counters = dict.fromkeys(CAMPAIGN_COUNTERS, 0)
    steps = campaign.steps[1:]
    counters["prospects"] = max((s.processed for s in steps), default=0)
    counters["sent"] = sum(s.processed for s in steps if s.type == "EMAIL")
    counters["queue"] = sum(s.processed for s in steps if s.type == "LINKEDIN")
    counters.update(campaign.stats)
    return counters


def email_entries(campaign: Campaign) -> list[dict[str, Any]]:
    entries = []
    number = 0
    for position, step in enumerate(campaign.steps[1:], start=1):
        if step.type != "EMAIL":
            continue  # LinkedIn tasks are omitted [doc]
        number += 1
        entries.append(_email_entry(step, number, position))
    return entries


def _email_entry(step: Step, number: int, position: int) -> dict[str, Any]:
    version_a = step.content["body"]["versions"][0]
    counters = dict.fromkeys(EMAIL_COUNTERS, 0)
    counters["emailSend"] = step.processed  # metrics cover all versions combined
    counters.update(step.stats)
    return {
        "subject": version_a["subject"],
        "msg": version_a["message"],
        DELIVERY_DAYS_KEY: [day for day in DAYS if step.content["delivery_time"].get(day)],
        # [assume] follow_up: the step's followup_after value; condition: null (API campaigns have no IF).
        "follow_up": step.content["followup_after"]["value"],
        "condition": None,
        "number": number,  # 1-based among EMAIL steps
        "step": position,  # 1-based among all steps after START
        **counters,
    }


def stats(campaign: Campaign) -> dict[str, Any]:
    result = campaign_stats(campaign)
    if EMAILS_INSIDE_STATS:
        result["emails"] = email_entries(campaign)
    return result
