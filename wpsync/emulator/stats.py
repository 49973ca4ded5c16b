"""The ``stats`` of ``GET /v1/campaign_list?id=ID``: campaign counters and one ``emails`` entry per EMAIL step.

What api-notes knows: campaign counters (``prospects`` … ``check``), and an ``emails`` array with version
A's ``subject`` and ``msg``, the step's delivery windows per day, ``follow_up``, ``condition``, ``number``, ``step``
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
# [client, newer] No ``days`` key: the step's days come as ``monday``…``sunday`` window lists and
# ``sunFrom``…``satTo``. [assume] The lists hold the step's windows as the v2 payload does (empty for a
# day without one); ``xxxFrom``/``xxxTo`` are the day's first window, null without one.
DAY_KEYS = tuple(day.lower() for day in DAYS)
DAY_PREFIXES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


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
        **_days(step.content["delivery_time"]),
        # [assume] follow_up: the step's followup_after value; condition: null (API campaigns have no IF).
        "follow_up": step.content["followup_after"]["value"],
        "condition": None,
        "number": number,  # 1-based among EMAIL steps
        "step": position,  # 1-based among all steps after START
        **counters,
    }


def _days(delivery_time: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for day, key, prefix in zip(DAYS, DAY_KEYS, DAY_PREFIXES, strict=True):
        windows = delivery_time.get(day) or []
        out[key] = [dict(w) for w in windows]
        out[f"{prefix}From"] = windows[0]["from"] if windows else None
        out[f"{prefix}To"] = windows[0]["to"] if windows else None
    return out


def stats(campaign: Campaign) -> dict[str, Any]:
    result = campaign_stats(campaign)
    if EMAILS_INSIDE_STATS:
        result["emails"] = email_entries(campaign)
    return result
