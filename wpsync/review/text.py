"""The plan as Terraform-like text: `+` create and append, `~` update in place, `-` delete, `▶` restore, `✗` refused."""

from __future__ import annotations

import json
from typing import Any, assert_never

from wpsync.plan import summary
from wpsync.plan.actions import STATUS_CALL, STATUS_MARK, chain_steps
from wpsync.plan.plan import (
    Action,
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
from wpsync.plan.summary import sets_back, summarise
from wpsync.review import describe, names

JSON = dict[str, Any]

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


def render_text(plan: Plan, *, color: bool = False) -> str:
    """Actions by campaign, in apply's order: a ``#`` line naming the campaign and what its actions do,
    then each action; refused changes after; a campaign's notes under it, the plan's own at the end."""
    lines: list[str] = []
    parts = summary.group(plan)
    acting = [p for p in parts if p.actions or p.moves]
    if acting:
        lines.append("wpsync will perform these actions, in this order:")
    for part in acting:
        said = summarise(part.actions, part.refusals, part.moves).text()
        where = f"  ({part.file})" if part.file else ""
        lines.extend(["", _paint(f"  # {part.key}", "bold", color) + f"{where}: {said}"])
        for move in part.moves:
            lines.append(
                f"  → move {move.old_key} → {move.new_key}  (campaign {move.campaign_id}; the record follows the file, no call)"
            )
        lines.extend(_actions(part.actions, plan, color=color))
        lines.extend(_forecast(plan, part.key))
        lines.extend(_notes(part))
    refused = [p for p in parts if p.refusals]
    if refused:
        from wpsync.review import text_edits

        if lines:
            lines.append("")
        lines.append(
            _paint(
                "Refused — wpsync will not make these changes; only the status restores above are made:"
                if plan.restores_only().actions
                else "Refused — wpsync will not make these changes; apply will not start:",
                "✗",
                color,
            )
        )
        for part in refused:
            for refusal in part.refusals:
                where = f"step {refusal.step}" if refusal.step else "campaign"
                lines.append("")
                # A refusal of the whole plan (account_mismatch) belongs to no campaign and no file.
                head = f"  ✗ {refusal.key} {where}: {refusal.code}" if refusal.key else f"  ✗ {refusal.code}"
                lines.append(_paint(head, "✗", color) + (f"  ({refusal.file})" if refusal.file else ""))
                lines.append(f"      {refusal.reason}")
                for item in refusal.changes:
                    lines.extend(text_edits.refused_change(item, color=color))
                lines.append(f"      way out: {refusal.way_out}")
            if not part.actions:
                lines.extend(_notes(part))
    own = summary.campaign_notes(plan)
    rest = [n.message for i, n in enumerate(plan.notes) if i not in own]
    if names.source(plan):
        rest.append(names.source(plan))
    if rest:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"  - {message}" for message in rest)
    if plan.mailboxes:
        from wpsync.review.forecast import mailboxes_text

        over = mailboxes_text(plan.mailboxes, lambda mailbox: names.mailbox(plan, mailbox))
        lines.extend(["", *over] if over else [])
    if lines:
        lines.append("")
    lines.append(_paint(plan.summary(), "bold", color))
    return "\n".join(lines)


def _forecast(plan: Plan, key: str) -> list[str]:
    """When, who and how much (#18), a few lines under the campaign's actions."""
    found = plan.forecast(key) if plan.forecasts else None
    if found is None:
        return []
    from wpsync.review.forecast import forecast_text

    return [f"      {line}" for line in forecast_text(found)]


def _notes(part: summary.Campaign) -> list[str]:
    return [f"      note: {n.message.removeprefix(part.key + ': ')}" for n in part.notes if n.code != "moved"]


def _actions(actions: list[Action], plan: Plan, *, color: bool) -> list[str]:
    from wpsync.review import text_edits  # diffs and HTML as text: only a plan with changes needs them

    lines: list[str] = []
    shown_schedules: set[str] = set()
    for action in actions:
        match action:
            case CreateCampaign():
                body = action.body
                lines.append(_paint(f"  + create campaign {action.key}", "+", color))
                settings = body.get("settings", {})
                mailboxes = names.mailboxes(plan, body.get("email_account_ids") or [])
                lines.append(f"      name: {text_edits.quoted(body.get('name', 'My campaign #0'))}")
                lines.append(
                    f"      mailboxes: {mailboxes} · timezone: {settings.get('timezone')} · "
                    f"daily_enroll: {settings.get('daily_enroll')}"
                )
                for number, step in enumerate(chain_steps(body), start=1):
                    lines.append(_paint(f"      + step {number}", "+", color) + f"  {_one_line(step, plan)}")
            case MakeEditable():
                lines.append(
                    _paint(f"  ~ make campaign {action.campaign_id} editable", "~", color)
                    + f"  ({action.from_status} → EDITED; it sends nothing until run again)"
                )
            case AppendStep():
                lines.append(
                    _paint(f"  + append step {action.position} to campaign {action.campaign_id}", "+", color)
                )
                lines.append(f"      {describe.one_line(action.step)}")
            case UpdateCampaign():
                lines.append(_paint(f"  ~ update campaign {action.campaign_id}", "~", color))
                lines.extend(text_edits.settings_lines(action, plan, color=color))
            case UpdateWindows():
                group = (
                    action.schedule,
                    json.dumps([action.old_delivery_time, action.delivery_time], sort_keys=True),
                )
                if action.schedule and "|".join(group) in shown_schedules:
                    continue
                steps = [action.position]
                if action.schedule:
                    shown_schedules.add("|".join(group))
                    steps = [
                        a.position
                        for a in actions
                        if isinstance(a, UpdateWindows)
                        and a.schedule == action.schedule
                        and a.delivery_time == action.delivery_time
                        and a.old_delivery_time == action.old_delivery_time
                    ]
                which = f"step {steps[0]}" if len(steps) == 1 else "steps " + ", ".join(map(str, steps))
                source = f"  (schedule {action.schedule!r}: one call per step)" if action.schedule else ""
                lines.append(
                    _paint(
                        f"  ~ update delivery windows of {which} in campaign {action.campaign_id}", "~", color
                    )
                    + source
                )
                lines.extend(text_edits.windows_lines(action.old_delivery_time, action.delivery_time))
            case UpdateVersion():
                letter = "ABCDE"[action.version]
                lines.append(
                    _paint(
                        f"  ~ update step {action.position} version {letter} in campaign {action.campaign_id}",
                        "~",
                        color,
                    )
                )
                lines.extend(text_edits.version_lines(action, color=color))
            case DeleteStep():
                lines.append(
                    _paint(f"  - delete step {action.position} of campaign {action.campaign_id}", "-", color)
                    + "  (it processed nobody; this cannot be undone)"
                )
                lines.extend(text_edits.deleted_lines(action.content))
            case DeleteCampaign():
                lines.append(
                    _paint(f"  - delete campaign {action.campaign_id} {action.name!r}", "-", color)
                    + "  (it cannot be restored)"
                )
            case SetStatus():
                mark, call = STATUS_MARK[action.status], STATUS_CALL[action.status]
                which = f"campaign {action.campaign_id}" if action.campaign_id else "the new campaign"
                since = f"{action.from_status} → " if action.from_status else ""
                lines.append(
                    _paint(f"  {mark} {call} {which}", mark, color)
                    + f"  ({since}{action.status}, as the file's status says)"
                )
            case RestoreStatus():
                if sets_back(actions, action):
                    line = f"  ▶ set campaign {action.campaign_id} back to {action.status}"
                else:
                    line = f"  ▶ set campaign {action.campaign_id} to {action.status} (the file's status)"
                lines.append(_paint(line, "▶", color))
            case _:
                assert_never(action)
    return lines


def _one_line(step: JSON, plan: Plan) -> str:
    """A created step in one line, its LinkedIn sender by name when the plan knows it."""
    text = describe.one_line(step)
    account = (step.get("body") or {}).get("linkedin_account_id")
    if step.get("type") == "LINKEDIN" and account is not None:
        text = text.replace(f"via account {account}", f"via {names.linkedin(plan, account)}")
    return text
