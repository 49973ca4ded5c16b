"""The plan as Terraform-like text: `+` create and append, `~` make editable, `▶` run, `✗` refused."""

from __future__ import annotations

import json
from typing import Any

from wpsync.plan.plan import AppendStep, CreateCampaign, MakeEditable, Plan, RunCampaign
from wpsync.review import describe

_COLOURS = {"+": "\x1b[32m", "~": "\x1b[33m", "▶": "\x1b[36m", "✗": "\x1b[31m", "bold": "\x1b[1m"}
_RESET = "\x1b[0m"


def _paint(text: str, mark: str, color: bool) -> str:
    return f"{_COLOURS[mark]}{text}{_RESET}" if color else text


def _value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + '…"'


def render_text(plan: Plan, *, color: bool = False) -> str:
    lines: list[str] = []
    if plan.actions:
        lines.append("wpsync will perform these actions, in this order:")
        lines.append("")
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
            case RunCampaign():
                lines.append(
                    _paint(f"  ▶ run campaign {action.campaign_id}", "▶", color) + f"  ({action.key})"
                )
    if plan.refusals:
        if lines:
            lines.append("")
        lines.append(_paint("Refused — the API cannot make these changes; apply will not start:", "✗", color))
        for refusal in plan.refusals:
            where = f"step {refusal.step}" if refusal.step else "campaign"
            lines.append("")
            lines.append(
                _paint(f"  ✗ {refusal.key} {where}: {refusal.code}", "✗", color) + f"  ({refusal.file})"
            )
            lines.append(f"      {refusal.reason}")
            for change in refusal.changes:
                lines.append(f"      {change.path}: {_value(change.old)} → {_value(change.new)}")
            lines.append(f"      way out: {refusal.way_out}")
    if plan.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"  - {note.message}" for note in plan.notes)
    if lines:
        lines.append("")
    lines.append(_paint(plan.summary(), "bold", color))
    return "\n".join(lines)
