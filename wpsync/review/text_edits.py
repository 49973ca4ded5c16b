"""Edits in place as lines of the text plan: settings old → new, copy as a ``git diff --word-diff``
of the text a prospect reads (colour on a terminal), windows day by day before → after, and what a
deleted step held. Every line returned is already indented for its place under the action."""

from __future__ import annotations

import json
from typing import Any

from wpsync.plan.plan import FieldChange, Plan, UpdateCampaign, UpdateVersion
from wpsync.review import describe, htmltext, names, worddiff
from wpsync.review.visible import reveal

JSON = dict[str, Any]
INDENT = "      "
_WIDTH = 80  # a value is cut to about this many characters
_BEFORE = 24  # characters kept before the first difference of an old → new pair


def settings_lines(action: UpdateCampaign, plan: Plan, *, color: bool) -> list[str]:
    old, new = action.old_head, action.head
    if not old:  # saved before old heads were kept
        return [f"{INDENT}{c.path}: {change(c.old, c.new)}" for c in action.changes]
    out = []
    if "name" in action.patch:
        out.append(f"{INDENT}name: {change(old.get('name'), new.get('name'))}")
    if "email_account_ids" in action.patch:
        before, after = old.get("email_account_ids") or [], new.get("email_account_ids") or []
        segments = [worddiff.Segment("=" if i in after else "-", names.mailbox(plan, i)) for i in before]
        segments += [worddiff.Segment("+", names.mailbox(plan, i)) for i in after if i not in before]
        shown = [worddiff.render_plain([s], color=color)[0] for s in segments]
        out.append(f"{INDENT}mailboxes: {', '.join(shown) or 'none'}")
    old_settings = old.get("settings") or {}
    for key, value in (action.patch.get("settings") or {}).items():
        out.append(f"{INDENT}{key}: {change(old_settings.get(key), value)}")
    return out


def version_lines(action: UpdateVersion, *, color: bool) -> list[str]:
    out: list[str] = []
    order = {"subject": 0, "message": 1}
    for item in sorted(action.changes, key=lambda c: order.get(c.path.rsplit(".", 1)[-1], 2)):
        field = item.path.rsplit(".", 1)[-1]
        if field == "subject":
            out.append(f"{INDENT}subject: {_subject(item, color=color)}")
        elif field == "message":
            out.append(f"{INDENT}message:")
            out.extend(f"{INDENT}  {line}".rstrip() for line in _message(item, color=color))
        elif field == "track_opens":
            out.append(f"{INDENT}opens tracked: {_yes(item.old)} → {_yes(item.new)}")
        else:
            out.append(f"{INDENT}{field}: {change(item.old, item.new)}")
    return out


def refused_change(item: FieldChange, *, color: bool) -> list[str]:
    """One field of a refused edit: copy as a word diff of the text (no JSON escapes, no literal
    "\\n"), any other field as ``old → new``."""
    field = item.path.rsplit(".", 1)[-1]
    texts = all(isinstance(v, str | None) for v in (item.old, item.new))
    if field == "subject" and texts:
        return [f"{INDENT}{item.path}: {_subject(item, color=color)}"]
    if field == "message" and texts:
        return [
            f"{INDENT}{item.path}:",
            *(f"{INDENT}  {line}".rstrip() for line in _message(item, color=color)),
        ]
    return [f"{INDENT}{item.path}: {change(item.old, item.new)}"]


def _subject(item: FieldChange, *, color: bool) -> str:
    if not item.new:
        return f"{_value(item.old)} → none (the step now replies in the thread)"
    segments = worddiff.diff(str(item.old or ""), str(item.new))
    return " ".join(worddiff.render_plain(segments, color=color))  # a subject is one line


def _message(item: FieldChange, *, color: bool) -> list[str]:
    old, new = str(item.old or ""), str(item.new or "")
    segments = worddiff.diff(htmltext.to_text(old), htmltext.to_text(new))
    if not worddiff.changed(segments):
        return [
            "(the text reads the same; only the HTML changed)",
            *worddiff.render_plain(worddiff.diff(old, new), color=color),
        ]
    return worddiff.render_plain(segments, color=color)


def windows_lines(old: JSON, new: JSON) -> list[str]:
    """The week before → after, each as Woodpecker's days read ("Mon–Fri 08:00–18:00")."""
    if not old:
        return [f"{INDENT}{describe.windows(new)}"]
    return [f"{INDENT}{describe.windows(old)} → {describe.windows(new)}"]


def deleted_lines(content: JSON) -> list[str]:
    if not content:
        return []
    versions = content.get("versions") or []
    out = [f"{INDENT}was: {describe.one_line(content).rsplit('; then wait', 1)[0]}"]
    for letter, version in zip(describe.letters(len(versions)), versions, strict=False):
        subject = version.get("subject")
        said = f"subject {_value(subject)}, " if subject else ""
        words = htmltext.to_text(str(version.get("message") or "")).split()
        first = " ".join(words[:12]) + (" …" if len(words) > 12 else "")
        out.append(f"{INDENT}  version {letter}: {said}{reveal(first)!s}")
    return out


def _spans(spans: list[JSON]) -> str:
    return ", ".join(f"{w['from']}–{w['to']}" for w in spans) or "–"


def _yes(value: Any) -> str:
    return "default" if value is None else "yes" if value else "no"


def _json(value: Any) -> str:
    return reveal(json.dumps(value, ensure_ascii=False))  # JSON escapes controls; not bidi ones


def quoted(value: Any) -> str:
    """A value as JSON, cut to about 80 characters."""
    return _value(value)


def _value(value: Any) -> str:
    return _window(_json(value), 0)


def change(old: Any, new: Any) -> str:
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
