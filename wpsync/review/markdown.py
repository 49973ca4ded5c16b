"""The plan as GitHub markdown, for a pull-request comment or a job summary.

Layout, top to bottom: an invisible marker (so a workflow can find and update its one comment), the
summary line as a heading, a small line of context, a CAUTION banner when anything is refused, notes,
then one collapsible ``<details>`` section per campaign — refused ones first and open, because they
block the apply — and, only when something had to be cut, a NOTE saying exactly what.

Size: GitHub refuses a comment over 65,536 characters and a job summary over 1 MiB. When the whole plan
does not fit, every campaign is first shown in short form (its steps as one line each) and then as many
as fit are shown in full, in the same order; if even the short forms do not fit, the sections that do
not fit are left out. A section is never cut in the middle, so the markdown always stays well formed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import Literal, assert_never

from wpsync.errors import Problem
from wpsync.plan.actions import STATUS_CALL, STATUS_MARK
from wpsync.plan.plan import (
    Action,
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    MakeEditable,
    Plan,
    Refusal,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.review import describe
from wpsync.review import escape as md
from wpsync.review.markdown_steps import refusal_block, step_block

MARKER = "<!-- wpsync:plan -->"
COMMENT_LIMIT = 65_536  # GitHub: "Body is too long (maximum is 65536 characters)"
SUMMARY_LIMIT = 1024 * 1024  # GitHub: a step's job summary is at most 1 MiB
MAX_NOTES = 20
MAX_NAMED = 10  # campaigns named in the cut note; the rest are counted
Measure = Literal["chars", "bytes"]


@dataclass
class _Campaign:
    key: str
    file: str = ""
    actions: list[Action] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class _Section:
    """One campaign's <details>, rendered in full only when asked: a plan of thousands of campaigns
    renders full copy for just the ones that can fit."""

    def __init__(self, campaign: _Campaign) -> None:
        self.campaign = campaign
        self.key = campaign.key

    @cached_property
    def full(self) -> str:
        return _details(self.campaign, _body(self.campaign, full=True))

    @cached_property
    def short(self) -> str:
        note = "*Shown in short form to fit; run `wpsync plan` for all of it.*"
        return _details(self.campaign, [*_body(self.campaign, full=False), "", note])


def render_markdown(
    plan: Plan,
    *,
    limit: int = COMMENT_LIMIT,
    warnings: Sequence[Problem] = (),
    measure: Measure = "chars",
    title: str | None = None,
    accounts: Sequence[tuple[str, str]] = (),
) -> str:
    """The plan as markdown of at most ``limit`` characters (or UTF-8 bytes, for a job summary).

    Several accounts (``wpsync.review.accounts``): ``title`` replaces the plan's summary as the heading
    and ``accounts`` (name, summary line) are listed under it."""
    size: Callable[[str], int] = len if measure == "chars" else (lambda text: len(text.encode("utf-8")))
    campaigns = _group(plan, warnings)
    head = _head(plan, sum(len(c.warnings) for c in campaigns), title, accounts)
    sections = [_Section(c) for c in campaigns]
    used = size(head)
    for section in sections:
        used += size(section.full)
        if used > limit:
            return _fit(head, sections, limit, size, "characters" if measure == "chars" else "bytes")
    return head + "".join(s.full for s in sections)


def _group(plan: Plan, warnings: Sequence[Problem]) -> list[_Campaign]:
    """Actions, refusals and warnings by campaign file (a file's warnings may come with no changes)."""
    found: dict[str, _Campaign] = {}
    for action in plan.actions:
        found.setdefault(action.file, _Campaign(action.key, action.file)).actions.append(action)
    for refusal in plan.refusals:
        found.setdefault(refusal.file, _Campaign(refusal.key, refusal.file)).refusals.append(refusal)
    for problem in warnings:
        campaign = found.setdefault(problem.file, _Campaign(PurePath(problem.file).stem, problem.file))
        campaign.warnings.append(problem)

    def priority(campaign: _Campaign) -> tuple[int, str]:
        return (0 if campaign.refusals else 1 if campaign.actions else 2), campaign.key

    return sorted(found.values(), key=priority)


# ---- the head ----------------------------------------------------------------------------------------


def _head(
    plan: Plan, warning_count: int, title: str | None = None, accounts: Sequence[tuple[str, str]] = ()
) -> str:
    lines = [MARKER, f"### {md.inline(title or plan.summary())}", ""]
    if accounts:
        lines.extend(f"- **{md.inline(name)}**: {md.inline(summary)}" for name, summary in accounts)
        lines.append("")
    context = [f"wpsync {md.attr(plan.binding.tool_version)}"]
    if plan.offline:
        context.append("planned offline from the recorded state: Woodpecker was not asked")
    context.extend(f"--{name.replace('_', '-')}" for name, on in sorted(plan.options.items()) if on)
    if plan.unchanged:
        context.append(f"{plan.unchanged} campaign{_s(plan.unchanged)} unchanged")
    if warning_count:
        context.append(f"⚠️ {warning_count} warning{_s(warning_count)}")
    lines.extend([f"<sub>{' · '.join(context)}</sub>", ""])
    refused = len(plan.refusals)
    if refused:
        it = "it" if refused == 1 else "them"
        lines.extend(
            [
                "> [!CAUTION]",
                f"> **{refused} change{_s(refused)} refused.** The Woodpecker API cannot make {it}, so "
                "`wpsync apply` will not run this plan. Each refused change below says why and the way out.",
                "",
            ]
        )
    notes = [n for n in plan.notes if n.code != "offline"]
    if notes:
        lines.extend(["**Notes**", ""])
        lines.extend(f"- {md.line(note.message)}" for note in notes[:MAX_NOTES])
        if len(notes) > MAX_NOTES:
            lines.append(f"- … and {len(notes) - MAX_NOTES} more (run `wpsync plan` to see them all)")
        lines.append("")
    return "\n".join(lines) + "\n"


# ---- one campaign ------------------------------------------------------------------------------------


def _details(campaign: _Campaign, body: list[str]) -> str:
    opened = " open" if campaign.refusals else ""  # refusals block the apply: show them unasked
    # The blank line after </summary> is what makes GitHub render the body as markdown.
    lines = [f"<details{opened}>", f"<summary>{_summary(campaign)}</summary>", "", *body, "", "</details>"]
    return "\n".join(lines) + "\n\n"


def _summary(campaign: _Campaign) -> str:
    key = f"<code>{md.attr(campaign.key)}</code>"
    parts: list[str] = []
    creates = [a for a in campaign.actions if isinstance(a, CreateCampaign)]
    appends = [a for a in campaign.actions if isinstance(a, AppendStep)]
    if campaign.refusals:
        count = len(campaign.refusals)
        parts.append(f"⛔ {key} · {count} change{_s(count)} refused")
    elif creates:
        name = creates[0].body.get("name", "My campaign #0")
        steps = len(creates[0].steps)
        parts.append(f"➕ <b>create</b> {key} · “{md.attr(str(name))}” · {steps} step{_s(steps)}")
    elif appends:
        numbers = [a.position for a in appends]
        which = f"step {numbers[0]}" if len(numbers) == 1 else f"steps {numbers[0]}–{numbers[-1]}"
        parts.append(f"➕ <b>append</b> {key} · {which} to campaign {appends[0].campaign_id}")
    else:
        parts.append(f"{key} · no changes")
    if any(isinstance(a, MakeEditable) for a in campaign.actions):
        parts.append("made editable first")
    parts.extend(
        f"{STATUS_MARK[a.status]} {STATUS_CALL[a.status]}"
        for a in campaign.actions
        if isinstance(a, SetStatus)
    )
    if campaign.warnings:
        parts.append(f"⚠️ {len(campaign.warnings)} warning{_s(len(campaign.warnings))}")
    return " · ".join(parts)


def _body(campaign: _Campaign, *, full: bool) -> list[str]:
    lines = [f"File: {md.code(campaign.file)}" if campaign.file else ""]
    for refusal in campaign.refusals:
        lines.extend(["", *refusal_block(refusal, full=full)])
    for action in campaign.actions:
        lines.extend(_action(action, full=full))
    if campaign.warnings:
        lines.extend(["", f"**⚠️ {len(campaign.warnings)} warning{_s(len(campaign.warnings))}**", ""])
        shown = campaign.warnings if full else campaign.warnings[:3]
        lines.extend(_warning(problem) for problem in shown)
        if len(shown) < len(campaign.warnings):
            lines.append(f"- … and {len(campaign.warnings) - len(shown)} more (`wpsync validate`)")
    return lines


def _action(action: Action, *, full: bool) -> list[str]:
    match action:
        case CreateCampaign():
            body = action.body
            mailboxes = ", ".join(md.code(str(m)) for m in body.get("email_account_ids") or []) or "none"
            settings = " · ".join(
                md.code(f"{k} = {_toml(v)}") for k, v in (body.get("settings") or {}).items()
            )
            steps = action.steps
            lines = ["", f"Mailboxes: {mailboxes}\\", f"Settings: {settings}"]
            for number, step in enumerate(steps, start=1):
                lines.extend(["", *step_block(number, step, last=number == len(steps), full=full)])
            return lines
        case MakeEditable():
            return [
                "",
                f"> [!WARNING]\n> Campaign {action.campaign_id} is {md.inline(action.from_status)}: it is made "
                "EDITED first, and sends nothing until it is run again.",
            ]
        case AppendStep():
            block = step_block(action.position, action.step, last=True, full=full)
            return ["", block[0].replace("**", "**➕ ", 1), *block[1:]]
        case RestoreStatus():
            return ["", f"▶️ Then campaign {action.campaign_id} is set back to {md.inline(action.status)}."]
        case SetStatus():
            which = f"campaign {action.campaign_id}" if action.campaign_id else "the new campaign"
            since = f" (now {md.inline(action.from_status)})" if action.from_status else ""
            return [
                "",
                f"**{STATUS_MARK[action.status]} {STATUS_CALL[action.status]}** {which}{since} → "
                f"{md.inline(action.status)}, as the file's `status` says",
            ]
        case UpdateCampaign() | UpdateVersion():
            what = (
                "campaign settings"
                if isinstance(action, UpdateCampaign)
                else f"step {action.position} version {'ABCDE'[action.version]}"
            )
            rows = [
                f"- {md.code(c.path)}: {md.code(str(c.old))} → {md.code(str(c.new))}" for c in action.changes
            ]
            return ["", f"**✏️ update {what}** (in place, same campaign id)", "", *rows]
        case UpdateWindows():
            source = f" (schedule {md.code(action.schedule)})" if action.schedule else ""
            windows = md.inline(describe.windows(action.delivery_time))
            return ["", f"**✏️ update step {action.position}'s delivery windows**{source}: {windows}"]
        case DeleteStep():
            return ["", f"**🗑️ delete step {action.position}** (it processed nobody; cannot be restored)"]
        case DeleteCampaign():
            return [
                "",
                f"> [!CAUTION]\n> Campaign {action.campaign_id} is **deleted** in Woodpecker; it cannot be restored.",
            ]
        case _:
            assert_never(action)


def _warning(problem: Problem) -> str:
    where = md.code(problem.path) if problem.path else md.code(problem.file)
    line = f" (line {problem.line})" if problem.line else ""
    return f"- {where}{line}: {md.inline(problem.message)}"


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


# ---- fitting under the limit -------------------------------------------------------------------------


def _fit(head: str, sections: list[_Section], limit: int, size: Callable[[str], int], unit: str) -> str:
    chosen = [s.short for s in sections]
    full_keys: set[str] = set()
    if size(head) + sum(size(s) for s in chosen) > limit:
        chosen = []  # not even the short forms fit: keep a prefix of them, cut the rest
        used = size(head)
        for section in sections:
            if used + size(section.short) > limit:
                break
            chosen.append(section.short)
            used += size(section.short)
    else:
        used = size(head) + sum(size(s) for s in chosen)
        for index, section in enumerate(sections):
            extra = size(section.full) - size(section.short)
            if used + extra <= limit:
                chosen[index] = section.full
                full_keys.add(section.key)
                used += extra
    while True:
        shown = sections[: len(chosen)]
        note = _cut_note(
            len(chosen),
            [s.key for s in shown if s.key not in full_keys],
            [s.key for s in sections[len(chosen) :]],
            limit,
            unit,
        )
        text = head + "".join(chosen) + note
        if size(text) <= limit or not chosen:
            return text
        chosen.pop()  # make room for the note itself, one whole section at a time


def _cut_note(shown: int, short: list[str], cut: list[str], limit: int, unit: str) -> str:
    parts = [f"> [!NOTE]\n> **This plan was cut to fit in {limit:,} {unit}.**"]
    if short and len(short) == shown:
        parts.append(f"All {shown} campaign{_s(shown)} shown are in short form.")
    elif short:
        parts.append(f"{len(short)} campaign{_s(len(short))} shown in short form: {_names(short)}.")
    if cut:
        parts.append(f"{len(cut)} campaign{_s(len(cut))} not shown: {_names(cut)}.")
    parts.append("Nothing is left out of the plan itself: run `wpsync plan` to see all of it.")
    return " ".join(parts) + "\n"


def _names(keys: list[str]) -> str:
    named = ", ".join(md.code(key) for key in keys[:MAX_NAMED])
    return named + (f" and {len(keys) - MAX_NAMED} more" if len(keys) > MAX_NAMED else "")


def _s(count: int) -> str:
    return "" if count == 1 else "s"
