"""One campaign's part of the markdown plan: its summary line and the sections of its body.

A campaign's body is the sections in ``SECTIONS``, in order, each a function of the campaign's view
and whether it is shown in full; a section with nothing to say returns no lines. To show something
new about each campaign (a timeline, the people a change touches), write one such function and add
it to ``SECTIONS``: the layout, the size fitting and the folding stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from wpsync.errors import Problem
from wpsync.plan.plan import Action, MakeEditable, Note, Plan, Refusal
from wpsync.plan.summary import Campaign, Summary, summarise
from wpsync.review import escape as md
from wpsync.review.forecast import forecast_markdown
from wpsync.review.markdown_actions import action_blocks
from wpsync.review.markdown_steps import refusal_block


@dataclass
class CampaignView:
    """What a section may read: the campaign's part of the plan, its lint warnings, the whole plan."""

    part: Campaign
    plan: Plan
    warnings: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.part.key

    @property
    def file(self) -> str:
        return self.part.file

    @property
    def actions(self) -> list[Action]:
        return self.part.actions

    @property
    def refusals(self) -> list[Refusal]:
        return self.part.refusals

    @property
    def notes(self) -> list[Note]:
        return self.part.notes

    @cached_property
    def summary(self) -> Summary:
        return summarise(self.part.actions, self.part.refusals, self.part.moves)


Section = Callable[[CampaignView, bool], list[str]]


def summary_line(view: CampaignView) -> str:
    """The <summary> of the campaign's <details>: its key, then what its actions do (raw HTML)."""
    mark = "⛔" if view.refusals else "✏️" if view.actions or view.part.moves else "⚠️"
    if view.summary.created_steps is not None and not view.refusals:
        mark = "➕"
    # A refusal of the whole plan (an account mismatch) belongs to no campaign: no empty <code></code>.
    parts = [f"{mark} <code>{md.attr(view.key)}</code>" if view.key else f"{mark} the whole plan"]
    phrases = view.summary.phrases()
    parts.extend(f"<b>{md.attr(p)}</b>" if i == 0 else md.attr(p) for i, p in enumerate(phrases))
    if not phrases:
        parts.append("no changes")
    if view.warnings:
        parts.append(f"⚠️ {len(view.warnings)} warning{_s(len(view.warnings))}")
    return " · ".join(parts)


def changes(view: CampaignView, full: bool) -> list[str]:
    """Refused changes first (they block the apply), then each action, in the order apply makes them."""
    lines: list[str] = []
    for refusal in view.refusals:
        lines.extend(["", *refusal_block(refusal, full=full)])
    for move in view.part.moves:
        lines.extend(
            [
                "",
                f"**➡️ Renamed** from {md.code(move.old_key)}: campaign {move.campaign_id} keeps its id and "
                "its prospects (no call).",
            ]
        )
    lines.extend(action_blocks(view.actions, view.plan, full=full))
    return lines


def notes(view: CampaignView, full: bool) -> list[str]:
    """The campaign's own notes, without the "key: " each starts with (the section says whose)."""
    del full
    paused = any(isinstance(a, MakeEditable) for a in view.actions)
    shown = [
        n
        for n in view.notes
        if not (paused and n.code == "editable_pause") and n.code != "moved"  # said above already
    ]
    if not shown:
        return []
    lines = ["", "**Notes**", ""]
    lines.extend(f"- {md.message_line(note.message.removeprefix(view.key + ': '))}" for note in shown)
    return lines


def warnings(view: CampaignView, full: bool) -> list[str]:
    if not view.warnings:
        return []
    count = len(view.warnings)
    lines = ["", f"**⚠️ {count} warning{_s(count)}**", ""]
    shown = view.warnings if full else view.warnings[:3]
    lines.extend(_warning(problem) for problem in shown)
    if len(shown) < count:
        lines.append(f"- … and {count - len(shown)} more (`wpsync validate`)")
    return lines


def forecast(view: CampaignView, full: bool) -> list[str]:
    """When each step goes out, who the change touches, how much its mailboxes send (#18)."""
    found = view.plan.forecast(view.key)
    return [] if found is None else forecast_markdown(found, full=full)


SECTIONS: tuple[Section, ...] = (changes, forecast, notes, warnings)


def body(view: CampaignView, *, full: bool) -> list[str]:
    lines = [f"File: {md.code(view.file)}"] if view.file else []
    for section in SECTIONS:
        lines.extend(section(view, full))
    return lines[1:] if lines and not view.file else lines  # no file: no blank line to start


def _warning(problem: Problem) -> str:
    where = md.code(problem.path) if problem.path else md.code(problem.file)
    line = f" (line {problem.line})" if problem.line else ""
    return f"- {where}{line}: {md.inline(problem.message)}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
