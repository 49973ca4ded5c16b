"""The journal: one *intent* per mutating call, durable before the call is sent.

An intent says what apply is about to do, precisely enough to find out later whether it happened:
apply writes it before the call and removes it once the outcome is recorded. An intent found by a
later run means the earlier one died or lost the answer in between; ``wpsync.apply.settle`` looks in
Woodpecker and returns what it found. Each kind is a small frozen value, matched exhaustively.

On disk an intent is a JSON object with ``"action"`` naming its kind; a damaged one is reported with
its file and the way to recover, never a KeyError.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from wpsync.errors import StateError

JSON = dict[str, Any]


@dataclass(frozen=True)
class CreateIntent:
    """POST /v2/campaigns. ``sent`` is the head exactly as sent (name, mailboxes, the settings in the
    body): a campaign found later is adopted only if it matches all of it, and every step hash."""

    key: str
    name: str
    sent: JSON
    step_hashes: tuple[str, ...]
    head: JSON  # canonical head recorded once created
    head_hash: str
    digest: str
    action: ClassVar[str] = "create_campaign"
    looks_for: ClassVar[str] = "a campaign with this name, mailboxes, settings and steps that no record owns"


@dataclass(frozen=True)
class AppendIntent:
    """POST /v2/campaigns/{id}/steps: a step with ``step_hash`` right after ``parent_id``."""

    key: str
    campaign_id: int
    parent_id: str
    step_hash: str
    action: ClassVar[str] = "append_step"
    looks_for: ClassVar[str] = "the step right after the recorded parent, with the content sent"


@dataclass(frozen=True)
class StatusIntent:
    """make_editable / run / pause / stop: the campaign reaches ``target_status``."""

    key: str
    campaign_id: int
    call: str  # make_editable, run, pause or stop
    target_status: str
    action: ClassVar[str] = "set_status"
    looks_for: ClassVar[str] = "the campaign in the target status"


@dataclass(frozen=True)
class EditIntent:
    """A PATCH or a step DELETE of an existing campaign. PATCHes replace values, so sending one again
    cannot double anything; settling still looks first so that the record follows what happened.
    ``step_id`` is empty for the campaign itself; ``version_id`` only for a version's copy. A campaign
    PATCH also keeps what it sent (Woodpecker's answer has no head hash to compare, but holds those
    values once done) and the canonical head to record then; intents written before them lack both."""

    key: str
    campaign_id: int
    what: str  # campaign, step_windows, version or delete_step
    step_id: str = ""
    version_id: str = ""
    target_hash: str = ""  # head hash (campaign) or step hash (windows, version) once done
    sent: JSON = field(default_factory=dict)  # campaign: the PATCH body
    head: JSON = field(default_factory=dict)  # campaign: the canonical head once done
    action: ClassVar[str] = "edit"
    looks_for: ClassVar[str] = "the campaign or step holding the new content (or the step gone)"


@dataclass(frozen=True)
class DeleteCampaignIntent:
    key: str
    campaign_id: int
    action: ClassVar[str] = "delete_campaign"
    looks_for: ClassVar[str] = "the campaign gone"


Intent = CreateIntent | AppendIntent | StatusIntent | EditIntent | DeleteCampaignIntent
_KINDS: dict[str, type[Intent]] = {
    kind.action: kind for kind in (CreateIntent, AppendIntent, StatusIntent, EditIntent, DeleteCampaignIntent)
}
_TYPES: dict[str, type] = {"str": str, "int": int, "JSON": dict, "tuple[str, ...]": list}


def intent_to_json(intent: Intent) -> JSON:
    # Shallow on purpose: dataclasses.asdict deep-copies the head and settings of every create, and an
    # apply writes one intent per call.
    data: JSON = {"action": intent.action}
    for spec in fields(intent):
        value = getattr(intent, spec.name)
        data[spec.name] = list(value) if isinstance(value, tuple) else value
    return data


def intent_from_json(where: str, data: Any) -> Intent:
    """The intent in ``data``, or a StateError naming ``where``, what is wrong and how to recover."""
    kind = _KINDS.get(str(data.get("action"))) if isinstance(data, dict) else None
    if kind is None:
        found = data.get("action") if isinstance(data, dict) else type(data).__name__
        raise _damaged(where, f"unknown intent {found!r}", None)
    values: JSON = {}
    for spec in fields(kind):
        if spec.name not in data:
            if spec.default is not spec.default_factory:  # has a default: optional on disk
                continue
            raise _damaged(where, f"missing field {spec.name!r}", kind)
        value: Any = data[spec.name]
        expected: Any = _TYPES[str(spec.type)]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise _damaged(where, f"field {spec.name!r} should be {expected.__name__}", kind)
        if expected is list:
            if not all(isinstance(item, str) for item in value):
                raise _damaged(where, f"field {spec.name!r} should be a list of strings", kind)
            value = tuple(value)
        if spec.name == "sent":
            _check_sent(where, value, kind)
        values[spec.name] = value
    return kind(**values)


def _check_sent(where: str, sent: JSON, kind: type[Intent]) -> None:
    """What was sent is compared field by field when settling: each part must be of its type."""
    for name, expected, what in (
        ("name", str, "text"),
        ("email_account_ids", list, "a list"),
        ("settings", dict, "an object"),
    ):
        if name in sent and not isinstance(sent[name], expected):
            raise _damaged(where, f"field 'sent.{name}' should be {what}", kind)


def _damaged(where: str, problem: str, kind: type[Intent] | None) -> StateError:
    settle = (
        f"; if it cannot be restored, look in Woodpecker for {kind.looks_for} (what the next apply "
        "would look for), then delete the file and `wpsync import` what you found"
        if kind is not None
        else "; if it cannot be restored, delete it after checking in Woodpecker that the campaign "
        "matches the state"
    )
    return StateError(
        f"{where}: the journal entry is damaged ({problem}); restore it from git "
        f"(`git checkout -- {where}`){settle}"
    )
