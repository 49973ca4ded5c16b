"""Edits in place as a reviewer reads them, in markdown: settings old → new, copy as a word diff of the
text a prospect reads, delivery windows before → after on the week grid, and what a deleted step held.

Copy is compared as ``wpsync preview`` shows it (HTML as text, snippets such as ``{{FIRST_NAME}}``
kept visible), so a reviewer sees the words that change, not the markup; the raw HTML diff follows,
folded, for whoever wants it. All user text goes through ``escape``.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from wpsync.limits import DAYS
from wpsync.plan.plan import FieldChange, Plan, UpdateCampaign, UpdateVersion, UpdateWindows
from wpsync.review import describe, htmltext, names, worddiff
from wpsync.review import escape as md
from wpsync.review.visible import reveal

JSON = dict[str, Any]
FIRST_WORDS = 16  # of a deleted step's message, enough to recognise it
_HTML_BREAK = re.compile(r"(</(?:div|p|li|h[1-6]|tr|table|ul|ol|blockquote)>|<br\s*/?>)", re.IGNORECASE)


def settings_rows(action: UpdateCampaign, plan: Plan) -> list[str]:
    """One list item per changed field: name, mailboxes (by address), each setting."""
    old, new = action.old_head, action.head
    if not old:  # a plan saved before old heads were kept: the field-level changes are all there is
        return [f"- {md.code(c.path)}: {value(c.old)} → {value(c.new)}" for c in action.changes]
    rows = []
    if "name" in action.patch:
        rows.append(f"- Name: “{md.inline(str(old.get('name')))}” → “{md.inline(str(new.get('name')))}”")
    if "email_account_ids" in action.patch:
        before = [int(i) for i in old.get("email_account_ids") or []]
        after = [int(i) for i in new.get("email_account_ids") or []]
        shown = [_mailbox(plan, i, "-" if i not in after else "=") for i in before]
        shown += [_mailbox(plan, i, "+") for i in after if i not in before]
        rows.append("- Mailboxes: " + (", ".join(shown) or "none"))
    old_settings = old.get("settings") or {}
    for key, after_value in (action.patch.get("settings") or {}).items():
        rows.append(f"- {md.code(key)}: {value(old_settings.get(key))} → {value(after_value)}")
    return rows


def _mailbox(plan: Plan, mailbox_id: int, op: str) -> str:
    text = md.inline(names.mailbox(plan, mailbox_id))
    if op == "-":
        return f"<del>{text}</del> (removed)"
    if op == "+":
        return f"<ins><b>{text}</b></ins> (added)"
    return text


def version_rows(action: UpdateVersion, *, full: bool) -> list[str]:
    """Subject and message as word diffs of what the prospect reads; signature and tracking old → new."""
    lines: list[str] = []
    for change in sorted(action.changes, key=field_order):
        field = change.path.rsplit(".", 1)[-1]
        if field == "subject":
            lines.extend(["", "Subject:", *_quote(subject_diff(change))])
        elif field == "message":
            lines.extend(["", "Message:", *_quote(message_diff(change))])
            if full and htmltext.is_html(f"{change.old or ''}{change.new or ''}"):
                lines.extend(["", *html_diff(str(change.old or ""), str(change.new or ""))])
        elif field == "signature":
            lines.extend(["", f"Signature: {_signature(change.old)} → {_signature(change.new)}"])
        elif field == "track_opens":
            lines.extend(["", f"Opens tracked: {_yes(change.old)} → {_yes(change.new)}"])
        else:
            lines.extend(["", f"{md.code(field)}: {value(change.old)} → {value(change.new)}"])
    return lines


def field_order(change: FieldChange) -> int:
    """Subject first, then the message, then the rest: the order a prospect reads them."""
    field = change.path.rsplit(".", 1)[-1]
    return {"subject": 0, "message": 1}.get(field, 2)


def subject_diff(change: FieldChange) -> str:
    old, new = str(change.old or ""), str(change.new or "")
    if not new:
        return "*removed: the step now replies in the thread*"
    return worddiff.render(worddiff.diff(reveal(old), reveal(new)))


def message_diff(change: FieldChange) -> str:
    old, new = str(change.old or ""), str(change.new or "")
    segments = worddiff.diff(htmltext.to_text(old), htmltext.to_text(new))
    if not worddiff.changed(segments):
        return "*The text reads the same; only the HTML changed (see the HTML diff).*"
    return worddiff.render(segments)


def html_diff(old: str, new: str) -> list[str]:
    """The raw HTML as a folded ```diff block, one tag-delimited line per row."""
    a = [reveal(line, keep="\t") for line in _HTML_BREAK.sub("\\1\n", old).split("\n") if line.strip()]
    b = [reveal(line, keep="\t") for line in _HTML_BREAK.sub("\\1\n", new).split("\n") if line.strip()]
    rows = list(difflib.unified_diff(a, b, lineterm="", n=1))[2:]  # no ---/+++ header
    longest = max((len(run) for row in rows for run in re.findall(r"`+", row)), default=0)
    fence = "`" * max(3, longest + 1)
    return ["<details><summary>The HTML diff</summary>", "", f"{fence}diff", *rows, fence, "", "</details>"]


def windows_block(action: UpdateWindows, steps: list[int]) -> list[str]:
    """The week grid before and after, changed days marked."""
    old, new = action.old_delivery_time, action.delivery_time
    which = f"step {steps[0]}" if len(steps) == 1 else "steps " + ", ".join(map(str, steps))
    source = f" (schedule {md.code(action.schedule)}, one call per step)" if action.schedule else ""
    head = f"**✏️ Delivery windows of {which}**{source}"
    if not old:  # saved before old windows were kept
        return [head, "", *week_grid_rows(new, new, label="")]
    return [head, "", *week_grid_rows(old, new, label="x")]


def week_grid_rows(old: JSON, new: JSON, *, label: str) -> list[str]:
    """A Monday-to-Sunday table; with ``label``, a *before* and an *after* row, changed cells marked."""
    header = "| " + ("| " if label else "") + " | ".join(d[:3].title() for d in DAYS) + " |"
    rule = "|" + (":---|" if label else "") + "|".join(":---:" for _ in DAYS) + "|"
    if not label:
        return [header, rule, "| " + " | ".join(day_cell(new, d) for d in DAYS) + " |"]
    before, after = [], []
    for day in DAYS:
        was, now = day_cell(old, day), day_cell(new, day)
        changed = (old.get(day) or []) != (new.get(day) or [])
        before.append(f"<del>{was}</del>" if changed and was != "–" else was)
        after.append(f"<ins><b>{now}</b></ins>" if changed and now != "–" else ("**–**" if changed else now))
    return [
        header,
        rule,
        "| before | " + " | ".join(before) + " |",
        "| **after** | " + " | ".join(after) + " |",
    ]


def day_cell(delivery_time: JSON, day: str) -> str:
    spans = delivery_time.get(day) or []
    return "<br>".join(_span(w["from"], w["to"]) for w in spans) or "–"


def _span(start: str, end: str) -> str:
    return "all day" if start == "00:00" and end in ("00:00", "24:00") else f"{start}–{end}"


def deleted_step(content: JSON) -> list[str]:
    """A deleted step's channel, windows, subject and first words (empty when the state lacks it)."""
    if not content:
        return []
    versions = content.get("versions") or []
    kind = "Email" if content.get("type") == "EMAIL" else "LinkedIn"
    parts = [kind, f"{len(versions)} version{'' if len(versions) == 1 else 's'}"]
    if content.get("delivery_time"):
        parts.append(md.inline(describe.windows(content["delivery_time"])))
    lines = [" · ".join(parts)]
    for letter, version in zip(describe.letters(len(versions)), versions, strict=False):
        subject = version.get("subject")
        said = f"**Subject:** {md.inline(str(subject))} · " if subject else "*same thread* · "
        lines.append(
            f"- Version {letter}: {said}“{md.inline(first_words(str(version.get('message') or '')))}”"
        )
    return lines


def first_words(message: str, count: int = FIRST_WORDS) -> str:
    words = htmltext.to_text(message).split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _quote(rendered: str) -> list[str]:
    return md.quote(rendered).split("\n")


def _signature(value_: Any) -> str:
    return "sender's signature" if value_ == "SENDER" else "no signature" if value_ else "*default*"


def _yes(value_: Any) -> str:
    return "*default*" if value_ is None else "yes" if value_ else "no"


def value(value_: Any) -> str:
    if value_ is None:
        return "*none*"
    text = json.dumps(value_, ensure_ascii=False)
    return md.code(text if len(text) <= 200 else text[:199] + "…")
