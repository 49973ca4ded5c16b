"""Drift: what Woodpecker holds that wpsync did not put there (an edit in Woodpecker's app).

Pure. When a refresh read the campaign, planning starts from what Woodpecker *holds*, not from what
wpsync last applied: the edits then set every drifted field the API can patch back to the file, as
Terraform does, and each drifted field is shown as a diff (Woodpecker holds X, the file says Y). Drift
no call can undo — steps added or removed in the app — is a refusal whose way out is `wpsync adopt`,
which takes Woodpecker's version into the file instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from wpsync.plan.desired import Desired
from wpsync.plan.diff import field_changes  # a structural refusal lists every step's fields
from wpsync.plan.facts import RemoteCampaign
from wpsync.plan.plan import Note, Refusal
from wpsync.state.records import Applied, CampaignRecord

JSON = dict[str, Any]


@dataclass(frozen=True)
class Baseline:
    """What the campaign's edits are planned from."""

    record: CampaignRecord  # the record, with Woodpecker's step hashes where they drifted
    applied: Applied | None  # the content to diff the file against: Woodpecker's when it was read
    head_drifted: bool = False
    drifted: frozenset[int] = frozenset()  # 0-based steps changed in Woodpecker
    refusal: Refusal | None = None  # drift no call can undo
    notes: tuple[Note, ...] = ()


def adopt_way_out(desired: Desired) -> str:
    return (
        f"`wpsync adopt {desired.key}` takes Woodpecker's version into {desired.file} (no call is made); "
        "or undo the change in Woodpecker's app"
    )


def baseline(
    desired: Desired, record: CampaignRecord, applied: Applied | None, remote: RemoteCampaign | None
) -> Baseline:
    steps = record.content_steps
    unknown = applied is None or (remote is not None and len(remote.contents) != len(remote.step_hashes))
    if remote is not None and unknown and remote.step_hashes != tuple(s.hash for s in steps):
        return Baseline(
            record,
            applied,
            refusal=Refusal(
                desired.key,
                desired.file,
                "remote_drift",
                None,
                f"campaign {record.campaign_id}'s steps were changed in Woodpecker, and what changed "
                "cannot be told (the content last applied, or Woodpecker's, is not known)",
                f"`wpsync forget {desired.key}`, then `wpsync import {record.campaign_id} --key "
                f"{desired.key} --force` to adopt Woodpecker's version",
            ),
        )
    if remote is None or applied is None or len(remote.contents) != len(remote.step_hashes):
        return Baseline(record, applied)
    if remote.step_ids != tuple(s.id for s in record.steps) or tuple(
        c["type"] for c in remote.contents
    ) != tuple(s.type for s in steps):
        return Baseline(record, applied, refusal=_structural(desired, record, applied, remote))
    head = _head(remote.head, desired.head, applied.head)
    drifted = frozenset(i for i, s in enumerate(steps) if remote.step_hashes[i] != s.hash)
    head_drifted = head != applied.head
    if not drifted and not head_drifted:
        return Baseline(record, applied)
    notes = _notes(desired, applied.head, head, desired.head, "") if head_drifted else []
    for index in sorted(i for i in drifted if i < len(desired.steps)):
        notes += _notes(
            desired, applied.steps[index], remote.contents[index], desired.steps[index], f"steps[{index}]"
        )
    held = tuple(replace(s, hash=h) for s, h in zip(steps, remote.step_hashes, strict=True))
    return Baseline(
        replace(record, steps=(record.steps[0], *held)),
        Applied(head=head, steps=remote.contents),
        head_drifted=head_drifted,
        drifted=drifted,
        notes=tuple(notes),
    )


def _head(held: JSON | None, wanted: JSON, applied: JSON) -> JSON:
    """Woodpecker's head, its mailboxes in the file's order when they are the same set."""
    if held is None:
        return applied  # settings wpsync cannot read: no head drift is claimed
    boxes = held.get("email_account_ids") or []
    for order in (wanted, applied):
        if sorted(boxes) == sorted(order.get("email_account_ids") or []):
            return {**held, "email_account_ids": list(order.get("email_account_ids") or [])}
    return held


def _notes(desired: Desired, applied: Any, held: Any, wanted: Any, prefix: str) -> list[Note]:
    """One note per field Woodpecker changed: what it holds, what the file says."""
    before, now, file = _fields(applied, prefix), _fields(held, prefix), _fields(wanted, prefix)
    return [
        Note(
            desired.key,
            "drift",
            f"{desired.key}: {path} changed in Woodpecker: Woodpecker holds {_short(now.get(path))}, the file "
            f"says {_short(file.get(path))}; this plan sets Woodpecker back to the file "
            f"(`wpsync adopt {desired.key}` keeps Woodpecker's instead)",
        )
        for path in sorted(set(before) | set(now))
        if before.get(path) != now.get(path) and now.get(path) != file.get(path)
    ]


def _fields(content: Any, prefix: str) -> dict[str, Any]:
    """A head or a step as the fields a person edits: a setting, a step's windows or delay as a whole,
    a version's subject."""
    if not isinstance(content, dict):
        return {}
    found: dict[str, Any] = {}
    for name, value in content.items():
        path = f"{prefix}.{name}" if prefix else name
        if name == "settings" and isinstance(value, dict):
            found.update({f"settings.{k}": v for k, v in value.items()})
        elif name == "versions" and isinstance(value, list):
            for number, version in enumerate(value):
                for field_name, text in (version or {}).items():
                    found[f"{path}[{number}].{field_name}"] = text
        else:
            found[path] = value
    return found


def _structural(
    desired: Desired, record: CampaignRecord, applied: Applied, remote: RemoteCampaign
) -> Refusal:
    held, recorded = len(remote.step_hashes), len(record.content_steps)
    what = (
        f"{held - recorded} step(s) added"
        if held > recorded
        else (f"{recorded - held} step(s) removed" if held < recorded else "steps replaced")
    )
    return Refusal(
        desired.key,
        desired.file,
        "remote_drift",
        None,
        f"campaign {record.campaign_id}: {what} in Woodpecker's app since wpsync recorded it (Woodpecker "
        f"holds {held} step(s), wpsync recorded {recorded}); no call can undo that",
        adopt_way_out(desired),
        field_changes(list(applied.steps), list(remote.contents), "steps"),
    )


def _short(value: Any) -> str:
    if isinstance(value, dict) and value and all(isinstance(v, list) for v in value.values()):
        text = ", ".join(  # delivery windows, as a reviewer reads them
            f"{day[:3].title()} " + " ".join(f"{w.get('from')}–{w.get('to')}" for w in spans)
            for day, spans in value.items()
        )
        return text if len(text) <= 120 else text[:119] + "…"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"
