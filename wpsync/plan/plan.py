"""The plan: a frozen, serialisable value saying what apply will do and what it refuses to do.

Actions run in list order, one API call each:

    CreateCampaign   POST /v2/campaigns                   all of a new campaign's steps at once
    MakeEditable     POST /v2/campaigns/{id}/make_editable only with --make-editable
    AppendStep       POST /v2/campaigns/{id}/steps        one new trailing EMAIL step
    RunCampaign      POST /v2/campaigns/{id}/run          only with --run-after

Refusals are changes the API forbids, with a reason code, the way out and (for edits) the fields that
changed; notes are things a reviewer should know that change nothing (drift, unmanaged campaigns).
The JSON form (``to_json``) is a documented, stable schema: see docs/plan-format.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PLAN_FORMAT = 1


def compact_json(value: Any) -> str:
    # ASCII-only on purpose: one non-Latin-1 character (a "—" in the copy) would make CPython store the
    # whole string at 2 or 4 bytes per character; a fleet's create bodies live in memory as these.
    return json.dumps(value, separators=(",", ":"))


JSON = dict[str, Any]

RefusalCode = Literal[
    "step_inserted",
    "step_edited",
    "step_removed",
    "steps_reordered",
    "step_type_changed",
    "campaign_edited",
    "linkedin_append",
    "too_many_windows",
    "parent_processed",
    "status_not_editable",
    "remote_drift",
    "remote_missing",
    "account_invalid",
]


@dataclass(frozen=True)
class CreateCampaign:
    key: str
    file: str
    body_json: str  # the exact POST /v2/campaigns body, as compact JSON: a fleet's bodies stay small
    head: JSON  # canonical name, mailboxes and settings, recorded once created
    head_hash: str
    step_hashes: tuple[str, ...]
    kind: Literal["create_campaign"] = "create_campaign"

    @property
    def body(self) -> JSON:
        body: JSON = json.loads(self.body_json)
        return body


@dataclass(frozen=True)
class MakeEditable:
    key: str
    file: str
    campaign_id: int
    from_status: str
    kind: Literal["make_editable"] = "make_editable"


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
class RunCampaign:
    key: str
    file: str
    campaign_id: int
    kind: Literal["run_campaign"] = "run_campaign"


Action = CreateCampaign | MakeEditable | AppendStep | RunCampaign


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Refusal:
    key: str
    file: str
    code: RefusalCode
    step: int | None  # 1-based step number, None for the campaign itself
    reason: str
    way_out: str
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Note:
    key: str
    code: Literal["unmanaged", "drift", "offline", "warning", "editable_pause", "partial"]
    message: str


@dataclass(frozen=True)
class Binding:
    """What the plan was made from; a saved plan is stale once any of it moved."""

    lineage: str | None
    serials: dict[str, int]  # key → record serial (0 for a campaign not yet in the state)
    digests: dict[str, str]  # key → sha256 of the campaign file's bytes
    tool_version: str


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    refusals: tuple[Refusal, ...]
    notes: tuple[Note, ...]
    binding: Binding
    offline: bool = False
    unchanged: int = 0  # campaigns with nothing to do
    options: dict[str, bool] = field(default_factory=dict)
    targets: tuple[str, ...] = ()  # `--target KEY`: only these campaigns were considered

    @property
    def has_changes(self) -> bool:
        return bool(self.actions)

    def counts(self) -> dict[str, int]:
        creates = sum(isinstance(a, CreateCampaign) for a in self.actions)
        appends = sum(isinstance(a, AppendStep) for a in self.actions)
        return {"create": creates, "append": appends, "refused": len(self.refusals)}

    def summary(self) -> str:
        return self._summary() + _targets_note(self.targets)

    def _summary(self) -> str:
        c = self.counts()
        if not self.actions and not self.refusals:
            drift = sum(note.code == "drift" for note in self.notes)
            if drift:
                # Not "Woodpecker matches": it does not, and the notes say where.
                return f"No changes to apply; {drift} drift note{'' if drift == 1 else 's'} below."
            return "No changes. Woodpecker matches the campaign files."
        parts = [
            _count(c["create"], "campaign", "to create"),
            _count(c["append"], "step", "to append"),
            _count(c["refused"], "change", "refused"),
        ]
        return "Plan: " + ", ".join(parts) + "."


def _targets_note(targets: tuple[str, ...]) -> str:
    if not targets:
        return ""
    return f" Targeted: only {', '.join(targets)}; other campaigns were not considered."


def _count(n: int, noun: str, what: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'} {what}"


# ---- JSON ----------------------------------------------------------------------------------------


def to_json(plan: Plan) -> JSON:
    c = plan.counts()
    return {
        "format_version": PLAN_FORMAT,
        "summary": {**c, "text": plan.summary(), "unchanged": plan.unchanged},
        "offline": plan.offline,
        "options": dict(plan.options),
        "targets": list(plan.targets),
        "actions": [_action_json(a) for a in plan.actions],
        "refused": [asdict(r) for r in plan.refusals],
        "notes": [asdict(n) for n in plan.notes],
        "binding": asdict(plan.binding),
    }


def _action_json(action: Action) -> JSON:
    data = asdict(action)
    if isinstance(action, CreateCampaign):  # the documented form carries the body itself
        del data["body_json"]
        data = {
            "kind": data.pop("kind"),
            "key": data.pop("key"),
            "file": data.pop("file"),
            "body": action.body,
        } | data
    return data


_ACTIONS: dict[str, type[Action]] = {
    "create_campaign": CreateCampaign,
    "make_editable": MakeEditable,
    "append_step": AppendStep,
    "run_campaign": RunCampaign,
}


def from_json(data: JSON) -> Plan:
    """A saved plan back into a value; raises KeyError/TypeError/ValueError on a malformed one."""
    if data.get("format_version") != PLAN_FORMAT:
        raise ValueError(f"plan format {data.get('format_version')!r} is not {PLAN_FORMAT}")
    actions: list[Action] = []
    for raw in data["actions"]:
        cls = _ACTIONS[raw["kind"]]
        fields = dict(raw)
        if cls is CreateCampaign:
            fields["step_hashes"] = tuple(fields["step_hashes"])
            fields["body_json"] = compact_json(fields.pop("body"))
        actions.append(cls(**fields))
    refusals = tuple(
        Refusal(**{**r, "changes": tuple(FieldChange(**c) for c in r["changes"])}) for r in data["refused"]
    )
    return Plan(
        actions=tuple(actions),
        refusals=refusals,
        notes=tuple(Note(**n) for n in data["notes"]),
        binding=Binding(**data["binding"]),
        offline=bool(data["offline"]),
        unchanged=int(data["summary"]["unchanged"]),
        options=dict(data.get("options", {})),
        targets=tuple(data.get("targets", ())),
    )
