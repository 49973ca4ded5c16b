"""The plan's actions: one API call each, in list order. Small frozen values, serialisable as JSON.

    CreateCampaign     POST   /v2/campaigns                              all of a new campaign at once
    MakeEditable       POST   /v2/campaigns/{id}/make_editable           only with --make-editable
    UpdateCampaign     PATCH  /v2/campaigns/{id}                          name, mailboxes, changed settings
    UpdateWindows      PATCH  /v2/campaigns/{id}/steps/{step}            a step's whole delivery_time
    UpdateVersion      PATCH  /v2/campaigns/{id}/steps/{step}/versions/{v}   a version's changed copy
    DeleteStep         DELETE /v2/campaigns/{id}/steps/{step}            a trailing EMAIL step
    AppendStep         POST   /v2/campaigns/{id}/steps                   one new trailing step (EMAIL/LINKEDIN)
    RestoreStatus      POST   /v2/campaigns/{id}/run|pause|stop          back to the status it had
    SetStatus          POST   /v2/campaigns/{id}/run|pause|stop          the status the file asks for
    DeleteCampaign     DELETE /v2/campaigns/{id}                          only from `wpsync destroy`

Steps are named by position (1 = the first after START); apply takes their ids from the state at the
moment of the call, so a plan never carries an id the state does not vouch for.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Literal

JSON = dict[str, Any]


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CreateCampaign:
    key: str
    file: str
    body_packed: bytes  # the exact POST /v2/campaigns body as compact JSON, packed: see ``pack``
    head: JSON  # canonical name, mailboxes and settings, recorded once created
    head_hash: str
    step_hashes: tuple[str, ...]
    kind: Literal["create_campaign"] = "create_campaign"

    @property
    def body_json(self) -> str:
        return unpack(self.body_packed)

    @property
    def body(self) -> JSON:
        body: JSON = json.loads(self.body_json)
        return body

    @property
    def steps(self) -> list[JSON]:
        """The body's steps in order, START left out (the body nests each under its parent's followup)."""
        return chain_steps(self.body)


def pack(body_json: str) -> bytes:
    """A create body held until it is sent: its copy is most of a new campaign's memory in a plan
    (25 KB of JSON each in the benchmark fleet, 250 MB for 10,000), and zlib's fastest level keeps a
    tenth of it for 0.09 ms a body; reading it back adds 0.05 ms to the 0.2 ms of parsing its JSON."""
    return zlib.compress(body_json.encode("utf-8"), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")


def chain_steps(body: JSON) -> list[JSON]:
    """A create body's steps in order, START left out. For a caller that already holds ``body``: each
    ``CreateCampaign.body`` parses the JSON again (a fleet's bodies stay compact in memory)."""
    found: list[JSON] = []
    node = body["steps"].get("followup")
    while isinstance(node, dict):
        found.append(node)
        node = node.get("followup")
    return found


@dataclass(frozen=True)
class MakeEditable:
    key: str
    file: str
    campaign_id: int
    from_status: str
    prospects: int | None = None  # in the campaign, when Woodpecker said
    kind: Literal["make_editable"] = "make_editable"


@dataclass(frozen=True)
class UpdateCampaign:
    key: str
    file: str
    campaign_id: int
    patch: JSON  # only what changed: name, email_account_ids, settings.{changed}
    head: JSON  # the canonical head once done
    head_hash: str
    changes: tuple[FieldChange, ...]
    # The head it replaces, so a reviewer sees each field old → new (empty in plans saved before 0.2).
    old_head: JSON = field(default_factory=dict)
    kind: Literal["update_campaign"] = "update_campaign"


@dataclass(frozen=True)
class UpdateWindows:
    key: str
    file: str
    campaign_id: int
    position: int
    delivery_time: JSON  # the whole new delivery_time: the call replaces it
    step_hash: str  # the step's hash once done (with every other edit of it made)
    changes: tuple[FieldChange, ...]
    schedule: str = ""  # the [schedules.NAME] it came from, so a reviewer sees one change
    # The windows it replaces, so a reviewer sees before → after (empty in plans saved before 0.2).
    old_delivery_time: JSON = field(default_factory=dict)
    kind: Literal["update_windows"] = "update_windows"


@dataclass(frozen=True)
class UpdateVersion:
    key: str
    file: str
    campaign_id: int
    position: int
    version: int  # 0-based: A = 0
    patch: JSON  # only the fields that changed
    step_hash: str
    changes: tuple[FieldChange, ...]
    processed: int | None = 0  # prospects the step already processed (None: unknown)
    kind: Literal["update_version"] = "update_version"


@dataclass(frozen=True)
class DeleteStep:
    key: str
    file: str
    campaign_id: int
    position: int
    # The step's canonical content as last applied (channel, windows, versions), so a reviewer sees
    # what is deleted; empty when the state does not hold it.
    content: JSON = field(default_factory=dict)
    kind: Literal["delete_step"] = "delete_step"


@dataclass(frozen=True)
class AppendStep:
    key: str
    file: str
    campaign_id: int
    position: int  # 1-based step number once appended
    parent_position: int  # the step it is parented on (0 = START)
    step: JSON  # the add-step body's "step" object; parent_id is filled in at apply time
    step_hash: str
    kind: Literal["append_step"] = "append_step"


@dataclass(frozen=True)
class RestoreStatus:
    key: str
    file: str
    campaign_id: int
    status: str = "RUNNING"  # RUNNING (run), PAUSED (pause) or STOPPED (stop)
    kind: Literal["restore_status"] = "restore_status"


@dataclass(frozen=True)
class SetStatus:
    """Status as code: the file's ``status`` differs from Woodpecker's. ``campaign_id`` is 0 for a
    campaign created earlier in the same plan (apply takes the id from the state at the call)."""

    key: str
    file: str
    campaign_id: int
    status: str  # RUNNING (run), PAUSED (pause) or STOPPED (stop)
    from_status: str  # what Woodpecker holds now ("" for a campaign this plan creates)
    kind: Literal["set_status"] = "set_status"


@dataclass(frozen=True)
class DeleteCampaign:
    key: str
    file: str
    campaign_id: int
    name: str
    kind: Literal["delete_campaign"] = "delete_campaign"


Action = (
    CreateCampaign
    | MakeEditable
    | UpdateCampaign
    | UpdateWindows
    | UpdateVersion
    | DeleteStep
    | AppendStep
    | RestoreStatus
    | SetStatus
    | DeleteCampaign
)
ACTION_KINDS: dict[str, type[Action]] = {
    cls.kind: cls
    for cls in (
        CreateCampaign,
        MakeEditable,
        UpdateCampaign,
        UpdateWindows,
        UpdateVersion,
        DeleteStep,
        AppendStep,
        RestoreStatus,
        SetStatus,
        DeleteCampaign,
    )
}
EDITS = (UpdateCampaign, UpdateWindows, UpdateVersion, DeleteStep)
STATUS_CALL = {"RUNNING": "run", "PAUSED": "pause", "STOPPED": "stop"}
STATUS_MARK = {"RUNNING": "▶", "PAUSED": "⏸", "STOPPED": "⏹"}  # how a plan shows each status call
