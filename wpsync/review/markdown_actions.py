"""Each action of one campaign as markdown blocks, in the order apply makes them.

One exhaustive ``match`` over the action types (``assert_never``): a new kind of action is a type
error here until it has a rendering, never a silent gap in the comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from wpsync.plan.actions import STATUS_CALL, STATUS_MARK
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
from wpsync.plan.summary import sets_back
from wpsync.review import escape as md
from wpsync.review import names
from wpsync.review.markdown_edits import deleted_step, settings_rows, version_rows, windows_block
from wpsync.review.markdown_steps import step_block


def action_blocks(actions: Sequence[Action], plan: Plan, *, full: bool) -> list[str]:
    lines: list[str] = []
    shown_windows: set[int] = set()
    restore = next((a for a in actions if isinstance(a, RestoreStatus)), None)
    restored = restore.status if restore else ""
    back = sets_back(actions, restore) if restore else True
    for index, action in enumerate(actions):
        if index in shown_windows:
            continue
        if isinstance(action, UpdateWindows):
            # One schedule used by several steps is one change to a reviewer (one call per step).
            same = [
                i
                for i, other in enumerate(actions)
                if i >= index
                and isinstance(other, UpdateWindows)
                and other.delivery_time == action.delivery_time
                and other.old_delivery_time == action.old_delivery_time
                and (other.schedule == action.schedule)
            ]
            shown_windows.update(same)
            steps = [actions[i].position for i in same if isinstance(actions[i], UpdateWindows)]  # type: ignore[union-attr]
            lines.extend(["", *windows_block(action, steps)])
            continue
        lines.extend(action_block(action, plan, full=full, restored=restored, back=back))
    return lines


def action_block(
    action: Action, plan: Plan, *, full: bool, restored: str = "", back: bool = True
) -> list[str]:
    match action:
        case CreateCampaign():
            body = action.body
            mailboxes = ", ".join(
                md.inline(names.mailbox(plan, m)) for m in body.get("email_account_ids") or []
            )
            settings = " · ".join(
                md.code(f"{k} = {_toml(v)}") for k, v in (body.get("settings") or {}).items()
            )
            steps = action.steps
            lines = ["", f"Mailboxes: {mailboxes or 'none'}\\", f"Settings: {settings}"]
            for number, step in enumerate(steps, start=1):
                block = step_block(number, step, last=number == len(steps), full=full, plan=plan)
                lines.extend(["", *block])
            return lines
        case MakeEditable():
            people = f" with {action.prospects} prospect{'' if action.prospects == 1 else 's'}"
            after = (
                f"and set back to {md.inline(restored)} once they are made"
                if back
                else f"and set to {md.inline(restored)} once they are made, as the file's `status` says"
                if restored
                else "and left EDITED (`--leave-editable`): it sends nothing until it is run again"
            )
            return [
                "",
                "> [!WARNING]",
                f"> **Sending pauses.** Campaign {action.campaign_id} is {md.inline(action.from_status)}"
                f"{people if action.prospects is not None else ''}: it is made EDITED for these edits "
                f"(it sends nothing meanwhile), {after}.",
            ]
        case AppendStep():
            block = step_block(action.position, action.step, last=True, full=full, plan=plan)
            return ["", block[0].replace("**", "**➕ Append ", 1), *block[1:]]
        case RestoreStatus():
            to = "set back to" if back else "set to"
            why = "" if back else ", as the file's `status` says"
            mark = STATUS_MARK.get(action.status, "▶")
            return ["", f"{mark}️ Then campaign {action.campaign_id} is {to} {md.inline(action.status)}{why}."]
        case SetStatus():
            which = f"campaign {action.campaign_id}" if action.campaign_id else "the new campaign"
            since = f" (now {md.inline(action.from_status)})" if action.from_status else ""
            return [
                "",
                f"**{STATUS_MARK[action.status]} {STATUS_CALL[action.status]}** {which}{since} → "
                f"{md.inline(action.status)}, as the file's `status` says",
            ]
        case UpdateCampaign():
            return [
                "",
                "**✏️ Campaign settings** (in place, same campaign id)",
                "",
                *settings_rows(action, plan),
            ]
        case UpdateVersion():
            letter = "ABCDE"[action.version]
            head = f"**✏️ Step {action.position} · version {letter}: copy edited** (in place)"
            return ["", head, *version_rows(action, full=full)]
        case UpdateWindows():
            return ["", *windows_block(action, [action.position])]
        case DeleteStep():
            head = f"**🗑️ Delete step {action.position}** (it processed nobody; this cannot be undone)"
            held = deleted_step(action.content)
            return ["", head, *(["", *held] if held else [])]
        case DeleteCampaign():
            return [
                "",
                f"> [!CAUTION]\n> Campaign {action.campaign_id} is **deleted** in Woodpecker; it cannot be restored.",
            ]
        case _:
            assert_never(action)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return '"null"'
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)
