"""Settle a mutating call whose outcome is unknown: look in Woodpecker before anything is resent.

Before each mutating call apply writes an *intent* (``state/KEY.intent.json``) saying what it is about
to do; after the outcome is recorded it removes it. An intent found later means the run died or lost
the answer in between, and the change may or may not exist in Woodpecker. Settling answers that:

- create_campaign: a campaign is adopted only if its name, mailboxes and every step's canonical hash
  match what was sent, and no other record owns it — never on the name alone. Two matches are a
  question for a human (``wpsync import``), not a guess.
- append_step: adopted if the step right after the recorded parent has the hash that was sent.
- make_editable / run_campaign: done if the campaign has the target status.

What settles is recorded exactly as a successful call would have been; what did not happen is
dropped, and planned again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wpsync.errors import StateError
from wpsync.files.to_api import content_hash
from wpsync.state.store import StateDir
from wpsync.woodpecker.client import WoodpeckerClient
from wpsync.woodpecker.refresh import get_or_none
from wpsync.woodpecker.remote import RemoteSteps, read_steps

JSON = dict[str, Any]


def create_fingerprint(body: JSON, step_hashes: tuple[str, ...] | list[str]) -> str:
    """What identifies a created campaign: its name, its mailboxes and its steps' content."""
    return content_hash(
        {
            "name": body.get("name", "My campaign #0"),
            "mailboxes": sorted(body.get("email_account_ids") or []),
            "steps": list(step_hashes),
        }
    )


def payload_fingerprint(payload: JSON) -> str:
    return create_fingerprint(payload, read_steps(payload).hashes)


def find_created(client: WoodpeckerClient, intent: JSON, owned: set[int]) -> JSON | None:
    """The campaign this create intent made, if Woodpecker has it."""
    name = intent["name"]
    candidates = sorted(
        (c["id"] for c in client.list_campaigns() if c.get("name") == name and c.get("id") not in owned),
        reverse=True,  # newest first: ids grow
    )
    matches = []
    for campaign_id in candidates:
        payload = client.get_campaign(int(campaign_id))
        if payload_fingerprint(payload) == intent["fingerprint"]:
            matches.append(payload)
    if len(matches) > 1:
        ids = ", ".join(str(m["id"]) for m in matches)
        raise StateError(
            f"{intent['key']}: an interrupted create matches {len(matches)} campaigns in Woodpecker ({ids}); "
            f"keep one, then `wpsync import ID --key {intent['key']}` and remove the intent file"
        )
    return matches[0] if matches else None


def find_appended(
    client: WoodpeckerClient, campaign_id: int, intent: JSON
) -> tuple[JSON, RemoteSteps] | None:
    """The campaign payload if the step this intent appended is there after its parent."""
    payload = get_or_none(client, campaign_id)
    if payload is None:
        return None
    steps = read_steps(payload)
    ids = [s.id for s in steps.records]
    if intent["parent_id"] not in ids:
        return None
    after = ids.index(intent["parent_id"]) + 1
    if after < len(ids) and steps.records[after].hash == intent["step_hash"]:
        return payload, steps
    return None


def has_status(client: WoodpeckerClient, campaign_id: int, status: str) -> bool:
    payload = get_or_none(client, campaign_id)
    return payload is not None and payload.get("status") == status


def owned_ids(state: StateDir) -> set[int]:
    return {record.campaign_id for record in state.read_all().values()}


def settle_all(
    state: StateDir,
    client: WoodpeckerClient,
    adopt: Callable[[str, JSON, JSON], None],
    notice: Callable[[str], None],
) -> int:
    """Settle every intent left by an earlier run; ``adopt(key, intent, payload)`` records a found one.
    Returns how many intents there were."""
    intents = state.intents()
    local = 0
    for key, intent in intents.items():
        action = intent["action"]
        if recorded_locally(state, key, intent):
            local += 1  # its outcome reached the state before the run stopped: nothing to ask
            state.clear_intent(key)
            continue
        if action == "create_campaign":
            found = find_created(client, intent, owned_ids(state))
        elif action == "append_step":
            hit = find_appended(client, int(intent["campaign_id"]), intent)
            found = hit[0] if hit else None
        else:
            target = str(intent["target_status"])
            found = (
                get_or_none(client, int(intent["campaign_id"]))
                if has_status(client, int(intent["campaign_id"]), target)
                else None
            )
        if found is not None:
            adopt(key, intent, found)
            notice(
                f"settled an interrupted {action} of {key}: it did happen in Woodpecker, and is now recorded"
            )
        else:
            notice(f"settled an interrupted {action} of {key}: it did not happen; it is planned again")
        state.clear_intent(key)
    if local:
        notice(f"settled an interrupted apply: {local} call(s) whose outcome the state already holds")
    return len(intents)


def recorded_locally(state: StateDir, key: str, intent: JSON) -> bool:
    """Whether the state already holds this intent's outcome (an apply stops syncing intents away
    only at its end, so a crash leaves intents of calls it did record)."""
    record = state.read(key)
    action = intent["action"]
    if action == "create_campaign" or record is None:
        return record is not None
    if action == "append_step":
        ids = [step.id for step in record.steps]
        if intent["parent_id"] not in ids:
            return False
        after = ids.index(intent["parent_id"]) + 1
        return after < len(ids) and record.steps[after].hash == intent["step_hash"]
    return bool(record.status == intent["target_status"])
