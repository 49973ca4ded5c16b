"""The plan as GitHub markdown, for a pull-request comment or a job summary.

Layout, top to bottom: an invisible marker (so a workflow can find and update its one comment), the
summary line as a heading, a small line of context, a CAUTION banner when anything is refused, notes,
then one collapsible ``<details>`` section per campaign — refused ones first and open, because they
block the apply — and, only when something had to be cut, a NOTE saying exactly what. What a
campaign's section holds is ``wpsync.review.sections``: its summary line and its body's sections.

Size: GitHub refuses a comment over 65,536 characters and a job summary over 1 MiB. When the whole plan
does not fit, every campaign is first shown in short form (its steps as one line each) and then as many
as fit are shown in full, in the same order; if even the short forms do not fit, the sections that do
not fit are left out. A section is never cut in the middle, so the markdown always stays well formed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import PurePath
from typing import Literal

from wpsync.errors import Problem
from wpsync.plan import summary
from wpsync.plan.plan import Plan
from wpsync.plan.summary import Campaign
from wpsync.review import escape as md
from wpsync.review import names, sections
from wpsync.review.sections import CampaignView

MARKER = "<!-- wpsync:plan -->"
COMMENT_LIMIT = 65_536  # GitHub: "Body is too long (maximum is 65536 characters)"
SUMMARY_LIMIT = 1024 * 1024  # GitHub: a step's job summary is at most 1 MiB
MAX_NOTES = 20
MAX_NAMED = 10  # campaigns named in the cut note; the rest are counted
Measure = Literal["chars", "bytes"]


class _Section:
    """One campaign's <details>, rendered in full only when asked: a plan of thousands of campaigns
    renders full copy for just the ones that can fit."""

    def __init__(self, view: CampaignView) -> None:
        self.view = view
        self.key = view.key

    @cached_property
    def full(self) -> str:
        return _details(self.view, sections.body(self.view, full=True))

    @cached_property
    def short(self) -> str:
        note = "*Shown in short form to fit; run `wpsync plan` for all of it.*"
        return _details(self.view, [*sections.body(self.view, full=False), "", note])


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
    parts = [_Section(c) for c in campaigns]
    used = size(head)
    for part in parts:
        used += size(part.full)
        if used > limit:
            return _fit(head, parts, limit, size, "characters" if measure == "chars" else "bytes")
    return head + "".join(p.full for p in parts)


def _group(plan: Plan, warnings: Sequence[Problem]) -> list[CampaignView]:
    """Each campaign's part of the plan, with its warnings (a file's warnings may come with no changes);
    refused ones first, then those with changes, then those with only warnings."""
    found = {part.file: CampaignView(part, plan) for part in summary.group(plan)}
    for problem in warnings:
        view = found.get(problem.file)
        if view is None:
            view = found[problem.file] = CampaignView(
                Campaign(PurePath(problem.file).stem, problem.file), plan
            )
        view.warnings.append(problem)

    def priority(view: CampaignView) -> tuple[int, str]:
        return (0 if view.refusals else 1 if view.actions or view.part.moves else 2), view.key

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
    if names.source(plan):
        context.append(md.attr(names.source(plan)))
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
    if plan.mailboxes:  # a change pushing a mailbox over its daily limit concerns the whole plan
        from wpsync.review.forecast import mailboxes_markdown

        lines.extend(mailboxes_markdown(plan.mailboxes, lambda mailbox: names.mailbox(plan, mailbox)))
    # A campaign's own notes are in its section; the top keeps what concerns the whole plan.
    own = summary.campaign_notes(plan)
    notes = [n for i, n in enumerate(plan.notes) if n.code != "offline" and i not in own]
    if notes:
        lines.extend(["**Notes**", ""])
        lines.extend(f"- {md.message_line(note.message)}" for note in notes[:MAX_NOTES])
        if len(notes) > MAX_NOTES:
            lines.append(f"- … and {len(notes) - MAX_NOTES} more (run `wpsync plan` to see them all)")
        lines.append("")
    return "\n".join(lines) + "\n"


# ---- one campaign ------------------------------------------------------------------------------------


def _details(view: CampaignView, body: list[str]) -> str:
    opened = " open" if view.refusals else ""  # refusals block the apply: show them unasked
    # The blank line after </summary> is what makes GitHub render the body as markdown.
    lines = [
        f"<details{opened}>",
        f"<summary>{sections.summary_line(view)}</summary>",
        "",
        *body,
        "",
        "</details>",
    ]
    return "\n".join(lines) + "\n\n"


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
