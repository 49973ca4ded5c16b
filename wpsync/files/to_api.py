"""Campaign models → the JSON bodies Woodpecker's API takes, and the canonical form used for hashing.

Two renderings of a step:

- *as written* (``create_body``, ``add_step_body``): the request body. Optional fields the file omits are
  omitted, so the API applies its documented defaults; the three nullable content fields (``subject``,
  LinkedIn ``versions`` and ``message``) are sent as ``null`` when omitted, as the docs recommend.
- *canonical* (``canonical_step``): every default filled in and equivalent spellings folded
  (``"24:00"`` → ``"00:00"`` for a whole day, ``""`` ≡ ``null`` subjects and notes, windows sorted). Two
  steps with the same canonical form are the same step to Woodpecker; its hash is the step's identity.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from wpsync.files.models import Campaign, DeliveryTime, EmailStep, FollowupAfter, LinkedInStep, Settings
from wpsync.limits import DAYS

JSON = dict[str, Any]
AnyStep = EmailStep | LinkedInStep


def resolve_delivery_time(step: EmailStep, schedules: dict[str, DeliveryTime]) -> DeliveryTime:
    """The step's windows, following a ``delivery_time = "NAME"`` reference (rules.py checks it exists)."""
    if isinstance(step.delivery_time, str):
        return schedules[step.delivery_time]
    return step.delivery_time


def _delivery_time(delivery: DeliveryTime) -> JSON:
    return {
        day: [{"from": w.from_, "to": w.to} for w in windows]
        for day in DAYS
        if (windows := getattr(delivery, day)) is not None
    }


def _followup_after(value: FollowupAfter) -> JSON:
    return value.model_dump(exclude_unset=True)


def _email_step(step: EmailStep, schedules: dict[str, DeliveryTime], *, explicit_tracking: bool) -> JSON:
    versions = []
    for version in step.versions:
        out: JSON = {"subject": version.subject, "message": version.message}
        if "signature" in version.model_fields_set:
            out["signature"] = version.signature
        # add-step requires track_opens; create defaults it to false. Sending false when the file is
        # silent keeps both calls meaning the same thing.
        if explicit_tracking or "track_opens" in version.model_fields_set:
            out["track_opens"] = version.track_opens
        versions.append(out)
    body: JSON = {
        "type": "EMAIL",
        "delivery_time": _delivery_time(resolve_delivery_time(step, schedules)),
        "body": {"versions": versions},
    }
    if "followup_after" in step.model_fields_set:
        body["followup_after"] = _followup_after(step.followup_after)
    return body


def _linkedin_step(step: LinkedInStep) -> JSON:
    versions = None if step.versions is None else [{"message": v.message} for v in step.versions]
    body: JSON = {
        "type": "LINKEDIN",
        "body": {
            "action_type": step.action_type,
            "linkedin_account_id": step.linkedin_account_id,
            "versions": versions,
        },
    }
    if "followup_after" in step.model_fields_set:
        body["followup_after"] = _followup_after(step.followup_after)
    return body


def step_body(step: AnyStep, schedules: dict[str, DeliveryTime]) -> JSON:
    """One step as the create call nests it (without its ``followup``)."""
    if isinstance(step, EmailStep):
        return _email_step(step, schedules, explicit_tracking=False)
    return _linkedin_step(step)


def _settings(settings: Settings) -> JSON:
    return {
        key: (None if value == "null" else value)
        for key, value in settings.model_dump(exclude_unset=True).items()
    }


def create_body(campaign: Campaign) -> JSON:
    """The POST /v2/campaigns body: all steps nested START → followup → … (the last has no followup)."""
    chain: JSON | None = None
    for step in reversed(campaign.steps):
        node = step_body(step, campaign.schedules)
        if chain is not None:
            node["followup"] = chain
        chain = node
    body: JSON = {}
    if "name" in campaign.model_fields_set:
        body["name"] = campaign.name
    if campaign.email_account_ids is not None:
        body["email_account_ids"] = list(campaign.email_account_ids)
    body["settings"] = _settings(campaign.settings)
    body["steps"] = {"type": "START", "followup": chain}
    return body


def add_step_body(step: AnyStep, schedules: dict[str, DeliveryTime], parent_id: str) -> JSON:
    """The POST /v2/campaigns/{id}/steps body appending ``step`` after ``parent_id``: an EMAIL step,
    or a LINKEDIN step as the newer add-step page's "LinkedIn step" tab shows it."""
    if isinstance(step, LinkedInStep):
        return {"parent_id": parent_id, "step": _linkedin_step(step)}
    return {"parent_id": parent_id, "step": _email_step(step, schedules, explicit_tracking=True)}


def canonical_step(step: AnyStep, schedules: dict[str, DeliveryTime]) -> JSON:
    """The step with every default filled and equivalent spellings folded: what Woodpecker would hold."""
    after = {"range": step.followup_after.range, "value": step.followup_after.value}
    if isinstance(step, LinkedInStep):
        versions = None if step.versions is None else [{"message": v.message or ""} for v in step.versions]
        if step.action_type == "VISIT_PROFILE":
            versions = None  # a profile visit carries no message: null, [] and [{"message": ""}] are alike
        return {
            "type": "LINKEDIN",
            "action_type": step.action_type,
            "linkedin_account_id": step.linkedin_account_id,
            "versions": versions,
            "followup_after": after,
        }
    delivery = resolve_delivery_time(step, schedules)
    windows = {
        day: sorted(({"from": w.from_, "to": "00:00" if w.whole_day else w.to} for w in spans), key=_start)
        for day in DAYS
        if (spans := delivery.windows(day))
    }
    return {
        "type": "EMAIL",
        "delivery_time": windows,
        "versions": [
            {
                "subject": v.subject or None,
                "message": v.message,
                "signature": v.signature,
                "track_opens": v.track_opens,
            }
            for v in step.versions
        ],
        "followup_after": after,
    }


def _start(window: dict[str, str]) -> str:
    return window["from"]


def content_hash(value: Any) -> str:
    """A short, stable hash of a JSON value (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def step_hash(step: AnyStep, schedules: dict[str, DeliveryTime]) -> str:
    return content_hash(canonical_step(step, schedules))


def compact_json(value: Any) -> str:
    # ASCII-only on purpose: one non-Latin-1 character (a "—" in the copy) would make CPython store the
    # whole string at 2 or 4 bytes per character; a fleet's create bodies live in memory as these.
    return json.dumps(value, separators=(",", ":"))
