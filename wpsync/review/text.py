"""The plan as Terraform-like text: `+` create and append, `~` update in place, `-` delete, `▶` restore, `✗` refused."""

from __future__ import annotations

import json
from typing import Any

from wpsync.plan.actions import STATUS_CALL, STATUS_MARK
from wpsync.plan.plan import (
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    MakeEditable,
    Plan,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.review import describe
from wpsync.review.visible import reveal

_COLOURS = {
    "+": "\x1b[32m",
    "~": "\x1b[33m",
    "-": "\x1b[31m",
    "▶": "\x1b[36m",
    "⏸": "\x1b[36m",
    "⏹": "\x1b[36m",
    "✗": "\x1b[31m",
    "bold": "\x1b[1m",
}
_RESET = "\x1b[0m"


def _paint(text: str, mark: str, color: bool) -> str:
    return f"{_COLOURS[mark]}{text}{_RESET}" if color else text


_WIDTH = 80  # a value is cut to about this many characters
_BEFORE = 24  # characters kept before the first difference of an old → new pair


def _json(value: Any) -> str:
    return reveal(json.dumps(value, ensure_ascii=False))  # JSON escapes controls; not bidi ones


def _value(value: Any) -> str:
    return _window(_json(value), 0)


def _change(old: Any, new: Any) -> str:
    """``old → new``, each cut around the first place they differ, so a long value edited near its
    end shows the edit on both sides rather than the same prefix twice."""
    before, after = _json(old), _json(new)
    at = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), None)
    if at is None:
        at = min(len(before), len(after))
    return f"{_window(before, at)} → {_window(after, at)}"


def _window(text: str, at: int) -> str:
    """At most about ``_WIDTH`` characters of ``text`` that show position ``at``; a cut end is "…"."""
    if len(text) <= _WIDTH:
        return text
    start = max(0, min(at - _BEFORE, len(text) - _WIDTH))
    end = start + _WIDTH
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def render_text(plan: Plan, *, color: bool = False) -> str:
    lines: list[str] = []
    if plan.actions or plan.moves:
        lines.append("wpsync will perform these actions, in this order:")
        lines.append("")
    shown_schedules: set[tuple[str, str]] = set()
    for move in plan.moves:
        lines.append(
            f"  → move {move.old_key} → {move.new_key}  (campaign {move.campaign_id}; the record follows the file, no call)"
        )
    for action in plan.actions:
        match action:
            case CreateCampaign():
                body = action.body
                lines.append(_paint(f"  + create campaign {action.key}", "+", color) + f"  ({action.file})")
                settings = body.get("settings", {})
                mailboxes = ", ".join(str(m) for m in body.get("email_account_ids") or []) or "none"
                lines.append(f"      name: {_value(body.get('name', 'My campaign #0'))}")
                lines.append(
                    f"      mailboxes: {mailboxes} · timezone: {settings.get('timezone')} · "
                    f"daily_enroll: {settings.get('daily_enroll')}"
                )
                for number, step in enumerate(action.steps, start=1):
                    lines.append(
                        _paint(f"      + step {number}", "+", color) + f"  {describe.one_line(step)}"
                    )
            case MakeEditable():
                lines.append(
                    _paint(f"  ~ make campaign {action.campaign_id} editable", "~", color)
                    + f"  ({action.key}: {action.from_status} → EDITED; it sends nothing until run again)"
                )
            case AppendStep():
                lines.append(
                    _paint(f"  + append step {action.position} to campaign {action.campaign_id}", "+", color)
                    + f"  ({action.key}, {action.file})"
                )
                lines.append(f"      {describe.one_line(action.step)}")
            case UpdateCampaign():
                lines.append(
                    _paint(f"  ~ update campaign {action.campaign_id}", "~", color)
                    + f"  ({action.key}, {action.file})"
                )
                lines.extend(f"      {c.path}: {_change(c.old, c.new)}" for c in action.changes)
            case UpdateWindows():
                if action.schedule and (action.key, action.schedule) in shown_schedules:
                    continue
                steps = [action.position]
                if action.schedule:
                    shown_schedules.add((action.key, action.schedule))
                    steps = [
                        a.position
                        for a in plan.actions
                        if isinstance(a, UpdateWindows)
                        and a.key == action.key
                        and a.schedule == action.schedule
                    ]
                which = f"step {steps[0]}" if len(steps) == 1 else "steps " + ", ".join(map(str, steps))
                source = f" (schedule {action.schedule!r}: one call per step)" if action.schedule else ""
                lines.append(
                    _paint(
                        f"  ~ update delivery windows of {which} in campaign {action.campaign_id}", "~", color
                    )
                    + f"  ({action.key}){source}"
                )
                lines.append(f"      {describe.windows(action.delivery_time)}")
            case UpdateVersion():
                letter = "ABCDE"[action.version]
                lines.append(
                    _paint(
                        f"  ~ update step {action.position} version {letter} in campaign {action.campaign_id}",
                        "~",
                        color,
                    )
                    + f"  ({action.key})"
                )
                lines.extend(f"      {c.path}: {_change(c.old, c.new)}" for c in action.changes)
            case DeleteStep():
                lines.append(
                    _paint(f"  - delete step {action.position} of campaign {action.campaign_id}", "-", color)
                    + f"  ({action.key})"
                )
            case DeleteCampaign():
                lines.append(
                    _paint(f"  - delete campaign {action.campaign_id} {action.name!r}", "-", color)
                    + f"  ({action.key}; it cannot be restored)"
                )
            case RestoreStatus():
                lines.append(
                    _paint(f"  ▶ set campaign {action.campaign_id} back to {action.status}", "▶", color)
                    + f"  ({action.key})"
                )
            case SetStatus():
                mark, call = STATUS_MARK[action.status], STATUS_CALL[action.status]
                which = f"campaign {action.campaign_id}" if action.campaign_id else "the new campaign"
                since = f"{action.from_status} → " if action.from_status else ""
                lines.append(
                    _paint(f"  {mark} {call} {which}", mark, color)
                    + f"  ({action.key}: {since}{action.status}, as the file's status says)"
                )
    if plan.refusals:
        if lines:
            lines.append("")
        lines.append(
            _paint("Refused — wpsync will not make these changes; apply will not start:", "✗", color)
        )
        for refusal in plan.refusals:
            where = f"step {refusal.step}" if refusal.step else "campaign"
            lines.append("")
            lines.append(
                _paint(f"  ✗ {refusal.key} {where}: {refusal.code}", "✗", color) + f"  ({refusal.file})"
            )
            lines.append(f"      {refusal.reason}")
            for change in refusal.changes:
                lines.append(f"      {change.path}: {_change(change.old, change.new)}")
            lines.append(f"      way out: {refusal.way_out}")
    if plan.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"  - {note.message}" for note in plan.notes)
    if lines:
        lines.append("")
    lines.append(_paint(plan.summary(), "bold", color))
    return "\n".join(lines)
