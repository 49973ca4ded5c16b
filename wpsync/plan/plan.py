"""The plan: a frozen, serialisable value saying what apply will do and what it refuses to do.

Actions (``wpsync.plan.actions``) run in list order, one API call each. Refusals are changes wpsync
will not make, with a reason code, the way out and (for edits) the fields that changed; notes are
things a reviewer should know that change nothing (drift, unmanaged campaigns, unknown facts). The plan
judges its own safety (``raise_if_refused``) and its own staleness (``stale_reasons``); renderers live
in ``wpsync.review`` and the JSON form in ``wpsync.plan.codec``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from wpsync.errors import ChangesRefused
from wpsync.plan.actions import (
    Action,
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    FieldChange,
    MakeEditable,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.plan.facts import Names

if TYPE_CHECKING:  # a no-change plan has no forecast: it does not load the module
    from wpsync.plan.forecast import Forecast, MailboxLoad

__all__ = [
    "Action",
    "AppendStep",
    "Binding",
    "CreateCampaign",
    "DeleteCampaign",
    "DeleteStep",
    "FieldChange",
    "MakeEditable",
    "Note",
    "Plan",
    "Refreshed",
    "Refusal",
    "RefusalCode",
    "RestoreStatus",
    "SetStatus",
    "UpdateCampaign",
    "UpdateVersion",
    "UpdateWindows",
    "no_changes",
    "stale_reasons",
]

JSON = dict[str, Any]

RefusalCode = Literal[
    "step_inserted",
    "step_removed",
    "steps_reordered",
    "step_type_changed",
    "versions_changed",
    "delay_changed",
    "linkedin_edit",
    "first_email_removed",
    "too_many_windows",
    "parent_processed",
    "step_processed",
    "status_not_editable",
    "remote_drift",
    "remote_missing",
    "account_invalid",
    "account_mismatch",
    "state_duplicate",
    "duplicate_name",
    "possible_rename",
]
Refreshed = Literal["none", "changed", "all"]
NoteCode = Literal[
    "unmanaged",
    "drift",
    "offline",
    "warning",
    "editable_pause",
    "partial",
    "unknown",
    "unreadable",
    "moved",
    "restore",
    "targeted",
    "status",
    "edited",
    "adopt",
]


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
    code: NoteCode
    message: str


@dataclass(frozen=True)
class Moved:
    """A campaign file renamed: the record follows the file, no call is made."""

    old_key: str
    new_key: str
    campaign_id: int


@dataclass(frozen=True)
class Binding:
    """What the plan was made from; a saved plan is stale once any of it moved."""

    lineage: str | None
    serials: dict[str, int]  # key → record serial (0 for a campaign not yet in the state)
    digests: dict[str, str]  # key → sha256 of the campaign file's bytes
    tool_version: str


def stale_reasons(then: Binding, now: Binding) -> list[str]:
    """Everything that differs between what a plan was made from (``then``) and what is here ``now``."""
    moved: list[str] = []
    if then.tool_version != now.tool_version:
        moved.append(f"the plan was made by wpsync {then.tool_version}, this is {now.tool_version}")
    if then.lineage is not None and now.lineage != then.lineage:
        moved.append(f"the state's lineage is {now.lineage}, the plan's {then.lineage}: another state")
    for key in sorted(set(then.serials) | {k for k, serial in now.serials.items() if serial}):
        before, after = then.serials.get(key), now.serials.get(key, 0)
        if before is None:
            moved.append(f"{key}: recorded in the state after the plan was made")
        elif before != after:
            moved.append(f"{key}: the state moved (serial {before} → {after})")
    for key in sorted(set(then.digests) | set(now.digests)):
        if key not in now.digests:
            moved.append(f"{key}: its campaign file was removed")
        elif key not in then.digests:
            moved.append(f"{key}: a new campaign file appeared")
        elif now.digests[key] != then.digests[key]:
            moved.append(f"{key}: its campaign file changed")
    return moved


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    refusals: tuple[Refusal, ...]
    notes: tuple[Note, ...]
    binding: Binding
    offline: bool = False
    unchanged: int = 0  # campaigns with nothing to do
    options: dict[str, bool] = field(default_factory=dict)
    moves: tuple[Moved, ...] = ()
    account: str | None = None  # the key's account, when the plan read it (recorded by apply)
    targets: tuple[str, ...] = ()  # `--target KEY`: only these campaigns were considered
    forecasts: tuple[Forecast, ...] = ()  # when, who, how much: per campaign created or changed
    mailboxes: tuple[MailboxLoad, ...] = ()  # projected daily sends that change, or are over the limit
    names: Names | None = None  # mailbox and LinkedIn names (None: not read; renderers show ids)
    # What Woodpecker was asked: "none" (offline, keyless, or nothing changed), "changed" (the campaigns
    # whose files changed) or "all" (--refresh all). Only "all" proves that Woodpecker matches the files.
    refreshed: Refreshed = "none"

    def forecast(self, key: str) -> Forecast | None:
        """The forecast of campaign ``key`` (renderers look each campaign up: a dict, built once)."""
        found: dict[str, Forecast] | None = self.__dict__.get("_forecast_by_key")
        if found is None:
            found = {f.key: f for f in self.forecasts}
            object.__setattr__(self, "_forecast_by_key", found)  # a cache, not a field: frozen stays true
        return found.get(key)

    @property
    def has_changes(self) -> bool:
        return bool(self.actions or self.moves)

    def restores_only(self) -> Plan:
        """What a refused plan still does: set back each campaign an earlier, interrupted apply left
        EDITED (the journal's promise, kept whatever else is refused) — no edit, no rename, and no
        file recorded as matched."""
        made_editable = {a.key for a in self.actions if isinstance(a, MakeEditable)}
        pending = tuple(
            a for a in self.actions if isinstance(a, RestoreStatus) and a.key not in made_editable
        )
        return replace(
            self, actions=pending, refusals=(), moves=(), binding=replace(self.binding, digests={})
        )

    def raise_if_refused(self) -> None:
        """The one judge of a plan's safety: a plan holding any refusal is applied not at all."""
        if self.refusals:
            count = len(self.refusals)
            raise ChangesRefused(
                f"the plan refuses {count} change{'' if count == 1 else 's'} "
                "(see above); resolve them and plan again — nothing was applied"
            )

    def counts(self) -> dict[str, int]:
        kinds = [a.kind for a in self.actions]
        edits = sum(isinstance(a, UpdateCampaign | UpdateWindows | UpdateVersion) for a in self.actions)
        return {
            "create": kinds.count("create_campaign"),
            "append": kinds.count("append_step"),
            "update": edits,
            "delete": kinds.count("delete_step") + kinds.count("delete_campaign"),
            "move": len(self.moves),
            "status": kinds.count("set_status"),
            "refused": len(self.refusals),
        }

    def summary(self) -> str:
        return self._summary() + _targets_note(self.targets) + _volume_note(self.mailboxes)

    def _summary(self) -> str:
        c = self.counts()
        if not self.actions and not self.refusals and not self.moves:
            drift = sum(n.code == "drift" for n in self.notes)
            if drift:
                return f"No changes to apply; {drift} drift note{'' if drift == 1 else 's'} below."
            return no_changes(self.refreshed)
        parts = [
            _count(c["create"], "campaign", "to create"),
            _count(c["append"], "step", "to append"),
        ]
        if c["update"]:
            parts.append(_count(c["update"], "in-place update", "", plural="s"))
        if c["delete"]:
            parts.append(_count(c["delete"], "deletion", ""))
        if c["move"]:
            parts.append(_count(c["move"], "rename", "", plural="s"))
        if c["status"]:
            parts.append(_count(c["status"], "status change", "", plural="s"))
        parts.append(_count(c["refused"], "change", "refused"))
        return "Plan: " + ", ".join(parts) + "."


def no_changes(refreshed: Refreshed) -> str:
    """The headline of a plan with nothing to do: it claims only what it checked."""
    if refreshed == "all":
        return "No changes. Woodpecker matches the campaign files."
    if refreshed == "changed":
        return (
            "No changes. The campaigns read from Woodpecker match their files; the others were not "
            "asked (`wpsync plan --refresh all` compares every campaign)."
        )
    return (
        "No changes to the campaign files since the last apply. Woodpecker was not asked "
        "(`wpsync plan --refresh all` compares every campaign)."
    )


def _targets_note(targets: tuple[str, ...]) -> str:
    if not targets:
        return ""
    return f" Targeted: only {', '.join(targets)}; other campaigns were not considered."


def _volume_note(loads: tuple[MailboxLoad, ...]) -> str:
    """The summary says when a change pushes a mailbox over its daily limit (wpsync.plan.volume)."""
    pushed = [load for load in loads if load.pushed_over]
    if not pushed:
        return ""
    shown = ", ".join(f"{load.mailbox} ({load.after}/day)" for load in pushed[:5])
    more = f" and {len(pushed) - 5} more" if len(pushed) > 5 else ""
    it = "mailbox" if len(pushed) == 1 else "mailboxes"
    return f" ⚠ Pushes {it} {shown}{more} over the {pushed[0].limit} emails/day limit."


def _count(n: int, noun: str, what: str, *, plural: str = "s") -> str:
    return f"{n} {noun}{'' if n == 1 else plural}{' ' + what if what else ''}"
