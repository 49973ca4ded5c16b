"""What changed in a recorded step, as the in-place edits the API allows or the reason it will not.

Pure: old and new canonical step contents in, actions or refusals out. The API patches a step's whole
delivery windows and a version's copy (api-notes.md, "Campaign endpoints beyond the two specs"); it
has no call to add or remove an A/B version, to change a step's type or LinkedIn action, and none is
documented for a delay — those are refused here, before any call.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from wpsync.plan.actions import Action, FieldChange, UpdateVersion, UpdateWindows
from wpsync.plan.diff import field_changes
from wpsync.plan.plan import Refusal

JSON = dict[str, Any]
EMAIL_COPY = ("subject", "message", "signature", "track_opens")


@dataclass
class StepEdits:
    actions: list[Action] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)


@dataclass(frozen=True)
class Where:
    key: str
    file: str
    campaign_id: int


def edit_step(
    where: Where, index: int, old: JSON, new: JSON, *, schedule: str = "", processed: int | None = 0
) -> StepEdits:
    """The calls that turn recorded step ``index`` (0-based) from ``old`` into ``new``, or refusals."""
    out = StepEdits()
    n = index + 1
    path = f"steps[{index}]"

    def refuse(code: Any, reason: str, way_out: str, changes: tuple[FieldChange, ...] = ()) -> None:
        out.refusals.append(Refusal(where.key, where.file, code, n, reason, way_out, changes))

    if old["type"] != new["type"]:
        refuse(
            "step_type_changed",
            f"step {n} changed type ({old['type']} → {new['type']}); Woodpecker has no call that changes a step's type",
            f"revert step {n} in {where.file}, or fork into a new campaign file",
        )
        return out
    if old.get("followup_after") != new.get("followup_after"):
        refuse(
            "delay_changed",
            f"step {n}'s delay (followup_after) changed; Woodpecker documents no call that changes a delay, "
            "so wpsync will not try one",
            f"revert the delay of step {n} in {where.file}; to wait differently, append a new step, or fork",
            field_changes(old.get("followup_after"), new.get("followup_after"), f"{path}.followup_after"),
        )
    old_versions, new_versions = old.get("versions") or [], new.get("versions") or []
    if len(old_versions) != len(new_versions):
        refuse(
            "versions_changed",
            f"step {n} has {len(new_versions)} A/B version(s), Woodpecker holds {len(old_versions)}; "
            "Woodpecker has no call that adds or removes a version",
            f"keep {len(old_versions)} version(s) in step {n} of {where.file} (edit their copy instead), or fork",
        )
    if new["type"] == "LINKEDIN":
        for name in ("action_type", "linkedin_account_id"):
            if old.get(name) != new.get(name):
                refuse(
                    "linkedin_edit",
                    f"step {n}'s {name} changed; Woodpecker has no call that changes it",
                    f"revert {name} of step {n} in {where.file}, or fork into a new campaign file",
                    (FieldChange(f"{path}.{name}", old.get(name), new.get(name)),),
                )
    if out.refusals:
        return out
    from wpsync.files.to_api import content_hash  # loads the models: only an edited step needs it

    current = copy.deepcopy(old)
    if new["type"] == "EMAIL" and old.get("delivery_time") != new.get("delivery_time"):
        current["delivery_time"] = new["delivery_time"]
        out.actions.append(
            UpdateWindows(
                where.key,
                where.file,
                where.campaign_id,
                position=n,
                delivery_time=new["delivery_time"],
                step_hash=content_hash(current),
                changes=field_changes(
                    old.get("delivery_time"), new.get("delivery_time"), f"{path}.delivery_time"
                ),
                schedule=schedule,
                old_delivery_time=old.get("delivery_time") or {},
            )
        )
    fields_ = EMAIL_COPY if new["type"] == "EMAIL" else ("message",)
    for number, (before, after) in enumerate(zip(old_versions, new_versions, strict=True)):
        patch = {
            name: _sent(name, after.get(name)) for name in fields_ if before.get(name) != after.get(name)
        }
        if not patch:
            continue
        current["versions"][number] = dict(after)
        out.actions.append(
            UpdateVersion(
                where.key,
                where.file,
                where.campaign_id,
                position=n,
                version=number,
                patch=patch,
                step_hash=content_hash(current),
                changes=field_changes(before, after, f"{path}.versions[{number}]"),
                processed=processed,
            )
        )
    return out


def _sent(name: str, value: Any) -> Any:
    """A version PATCH value as sent. A removed subject goes as ``""``, never ``null``: the current
    version-PATCH page says ``""`` makes a follow-up, and a partial update may read ``null`` as "leave
    it unchanged" (api-notes.md, "Newer evidence"). The canonical form folds the two, so the hash holds."""
    return "" if name == "subject" and value is None else value
