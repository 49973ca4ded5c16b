"""Settle a mutating call whose outcome is unknown: look in Woodpecker before anything is resent.

Apply writes an intent (``wpsync.state.journal``) before each mutating call and removes it once the
outcome is recorded. An intent found later means a run died or lost the answer in between, and the
change may or may not exist in Woodpecker. ``settle`` answers that and *returns* what it found; the
caller records it (``wpsync.apply.apply.settle_interrupted``). Nothing here writes state.

- create: a campaign is adopted only if it matches everything sent — name, mailboxes, every setting
  in the body and every step's canonical hash — and no record owns it. A campaign of that name that
  matches only in part is reported and the run stops: a human decides (``wpsync import``).
- append: the step right after the recorded parent has the hash that was sent.
- status: the campaign has the target status.
- edit: the campaign (or step) holds the new content; a deleted step is gone.
- delete campaign: the campaign is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, assert_never

from wpsync.errors import StateError
from wpsync.state.journal import (
    AppendIntent,
    CreateIntent,
    DeleteCampaignIntent,
    EditIntent,
    Intent,
    StatusIntent,
)
from wpsync.state.records import CampaignRecord
from wpsync.woodpecker.client import WoodpeckerClient
from wpsync.woodpecker.refresh import get_or_none
from wpsync.woodpecker.remote import read_steps

JSON = dict[str, Any]


@dataclass(frozen=True)
class Happened:
    payload: JSON | None  # the campaign as Woodpecker holds it now (None: it is gone)


@dataclass(frozen=True)
class DidNotHappen:
    pass


Outcome = Happened | DidNotHappen


def recorded_locally(intent: Intent, record: CampaignRecord | None) -> bool:
    """Whether the state already holds this intent's outcome (an apply removes intents only at its
    end, after one sync, so a crash leaves intents of calls it did record)."""
    match intent:
        case CreateIntent():
            return record is not None
        case AppendIntent():
            if record is None:
                return False
            ids = [step.id for step in record.steps]
            if intent.parent_id not in ids:
                return False
            after = ids.index(intent.parent_id) + 1
            return after < len(ids) and record.steps[after].hash == intent.step_hash
        case StatusIntent():
            return record is not None and record.status == intent.target_status
        case EditIntent():
            return record is not None and _edit_done(intent, record.head_hash, record.steps)
        case DeleteCampaignIntent():
            return record is None
        case _:
            assert_never(intent)


def settle(intent: Intent, client: WoodpeckerClient, owned: set[int]) -> Outcome:
    """Look in Woodpecker for the outcome of ``intent``."""
    match intent:
        case CreateIntent():
            found = find_created(client, intent, owned)
            return Happened(found) if found is not None else DidNotHappen()
        case AppendIntent():
            payload = find_appended(client, intent)
            return Happened(payload) if payload is not None else DidNotHappen()
        case StatusIntent():
            payload = get_or_none(client, intent.campaign_id)
            if payload is not None and payload.get("status") == intent.target_status:
                return Happened(payload)
            return DidNotHappen()
        case EditIntent():
            payload = get_or_none(client, intent.campaign_id)
            if payload is None:
                return DidNotHappen()
            if intent.what == "campaign":
                return Happened(payload) if _patched(intent.sent, payload) else DidNotHappen()
            steps = read_steps(payload)
            if _edit_done(intent, None, steps.records):
                return Happened(payload)
            return DidNotHappen()
        case DeleteCampaignIntent():
            gone = get_or_none(client, intent.campaign_id) is None
            return Happened(None) if gone else DidNotHappen()
        case _:
            assert_never(intent)


def _edit_done(intent: EditIntent, head_hash: str | None, steps: Any) -> bool:
    ids = [step.id for step in steps]
    if intent.what == "delete_step":
        return intent.step_id not in ids
    if intent.what == "campaign":
        return head_hash == intent.target_hash if head_hash is not None else False
    if intent.step_id not in ids:
        return False
    return bool(steps[ids.index(intent.step_id)].hash == intent.target_hash)


def _patched(sent: JSON, payload: JSON) -> bool:
    """Whether Woodpecker's campaign holds every value of a campaign PATCH (nothing sent: cannot tell)."""
    if not sent:
        return False
    if "name" in sent and payload.get("name") != sent["name"]:
        return False
    if "email_account_ids" in sent and _normal(payload.get("email_account_ids") or []) != _normal(
        sent["email_account_ids"]
    ):
        return False
    settings: JSON = payload["settings"] if isinstance(payload.get("settings"), dict) else {}
    return all(
        name in settings and _normal(settings[name]) == _normal(value)
        for name, value in (sent.get("settings") or {}).items()
    )


def holds_patch(sent: JSON, payload: JSON) -> bool:
    """Whether Woodpecker's answer to a campaign PATCH holds what was sent. A null setting asks for the
    default, whose value wpsync does not know, so it is not compared."""
    settings = {k: v for k, v in (sent.get("settings") or {}).items() if v is not None}
    rest = {k: v for k, v in sent.items() if k != "settings"}
    return _patched(rest | ({"settings": settings} if settings else {}), payload) or not (rest or settings)


def mismatches(
    sent: JSON, step_hashes: tuple[str, ...], payload: JSON, hashes: tuple[str, ...] | None = None
) -> list[str]:
    """What differs between a create body as sent and a campaign Woodpecker holds ([] = the same).
    ``hashes``: the payload's step hashes when the caller has read them already (reading a payload's
    steps validates and hashes each one: the most of checking a create's answer)."""
    found: list[str] = []
    if payload.get("name") != sent.get("name", "My campaign #0"):
        found.append("name")
    if sorted(payload.get("email_account_ids") or []) != sorted(sent.get("email_account_ids") or []):
        found.append("email_account_ids")
    settings: JSON = payload["settings"] if isinstance(payload.get("settings"), dict) else {}
    for name, value in (sent.get("settings") or {}).items():
        if _normal(settings.get(name)) != _normal(value):
            found.append(f"settings.{name}")
    if hashes is None:
        try:
            hashes = read_steps(payload).hashes
        except Exception:  # a payload wpsync cannot read is no match
            return [*found, "steps"]
    if hashes != step_hashes:
        found.append("steps")
    return found


def _normal(value: Any) -> Any:
    return sorted(map(str, value)) if isinstance(value, list) else value


def find_created(client: WoodpeckerClient, intent: CreateIntent, owned: set[int]) -> JSON | None:
    """The campaign this create made, if Woodpecker has one matching everything sent."""
    candidates = sorted(
        (
            int(c["id"])
            for c in client.list_campaigns()
            if c.get("name") == intent.name and isinstance(c.get("id"), int) and c["id"] not in owned
        ),
        reverse=True,  # newest first: ids grow
    )
    matches: list[JSON] = []
    partial: list[str] = []
    for campaign_id in candidates:
        payload = get_or_none(client, campaign_id)
        if payload is None:
            continue
        differ = mismatches(intent.sent, intent.step_hashes, payload)
        if not differ:
            matches.append(payload)
        else:
            partial.append(f"{campaign_id} (differs in {', '.join(differ)})")
    if len(matches) > 1:
        ids = ", ".join(str(m["id"]) for m in matches)
        raise StateError(
            f"{intent.key}: an interrupted create matches {len(matches)} campaigns in Woodpecker ({ids}); "
            f"keep one, then `wpsync import ID --key {intent.key}` and remove the intent file"
        )
    if not matches and partial:
        raise StateError(
            f"{intent.key}: an interrupted create may have made a campaign, and Woodpecker has "
            f"{len(partial)} untracked one(s) named {intent.name!r} that do not match what was sent: "
            f"{'; '.join(partial)}. wpsync adopts only an exact match and will not guess: if one is "
            f"this campaign, `wpsync import ID --key {intent.key} --force`; otherwise delete "
            f"state/{intent.key}.intent.json and apply again to create it"
        )
    return matches[0] if matches else None


def find_appended(client: WoodpeckerClient, intent: AppendIntent) -> JSON | None:
    """The campaign payload if the step this intent appended is there after its parent."""
    payload = get_or_none(client, intent.campaign_id)
    if payload is None:
        return None
    records = read_steps(payload).records
    ids = [s.id for s in records]
    if intent.parent_id not in ids:
        return None
    after = ids.index(intent.parent_id) + 1
    if after < len(ids) and records[after].hash == intent.step_hash:
        return payload
    return None
