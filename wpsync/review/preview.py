"""What a prospect would receive: snippets filled, fallbacks applied, spintax shown, HTML as text.

Pure: a campaign and a prospect in, text out. Woodpecker's rules, as documented:

- ``{{FIRST_NAME}}`` is the prospect's field; ``{{FIRST_NAME | "there"}}`` falls back when it is empty;
  a field that is empty with no fallback means the prospect is **not sent** (it waits in "To check").
- ``{{SPINTAX | "Hi" | "Hello"}}`` sends one variant per prospect: shown as ``{Hi | Hello}``, or one
  chosen reproducibly with a seed.
- ``{{UNSUBSCRIBE}}`` and ``{{CLICK=url}}`` become links: shown as ``[unsubscribe link]`` and
  ``url [click-tracked]``.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wpsync.errors import InputError
from wpsync.files import snippets
from wpsync.files.models import Campaign, EmailStep, EmailVersion, LinkedInStep
from wpsync.limits import CONNECTION_NOTE_MAX, DIRECT_MESSAGE_MAX
from wpsync.review import htmltext
from wpsync.review.visible import reveal

SAMPLE_FIELDS = {
    "FIRST_NAME": "Ada",
    "LAST_NAME": "Lovelace",
    "COMPANY": "Analytical Engines",
    "TITLE": "Head of Research",
    "WEBSITE": "analytical-engines.example",
    "EMAIL": "ada@analytical-engines.example",
}
LETTERS = "ABCDE"
# Private-use characters survive the HTML parser untouched, so links can be found again after it.
_OPEN, _CLOSE = "\ue000", "\ue001"
_UNSUBSCRIBE = f"{_OPEN}U{_CLOSE}"
_CLICK = re.compile(f"{_OPEN}C([^{_CLOSE}]*){_CLOSE}")
_NUMBERED = re.compile(r"SNIPPET_?(\d+)\Z")


@dataclass(frozen=True)
class Prospect:
    fields: Mapping[str, str]  # snippet name → value; an empty value counts as missing
    sample: bool = False

    def label(self) -> str:
        name = " ".join(v for k in ("FIRST_NAME", "LAST_NAME") if (v := self.fields.get(k, "")))
        who = ", ".join(part for part in (name, self.fields.get("COMPANY", "")) if part) or "no name"
        return f"sample prospect ({who})" if self.sample else f"prospect {who}"


SAMPLE = Prospect(SAMPLE_FIELDS, sample=True)


@dataclass(frozen=True)
class Filled:
    text: str
    missing: tuple[str, ...] = ()  # fields empty with no fallback, in order of appearance
    spintax: bool = False  # shown with its variants (no seed)


@dataclass(frozen=True)
class Message:
    step: int  # 1-based
    version: str | None  # None for a step without versions (a profile visit)
    heading: str
    subject: Filled | None = None
    body: Filled | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    reply: bool = False  # an email without a subject: it goes as a reply in the thread

    @property
    def missing(self) -> tuple[str, ...]:
        found = [*(self.subject.missing if self.subject else ()), *(self.body.missing if self.body else ())]
        return tuple(dict.fromkeys(found))


def prospect_from_json(data: Any, source: str) -> Prospect:
    """A JSON object of fields (``"first_name"``, ``"FIRST_NAME"``, ``"snippet1"``, ``"SNIPPET_1"`` …)."""
    if not isinstance(data, dict):
        raise InputError(f'{source}: a prospect is a JSON object of fields, e.g. {{"first_name": "Ada"}}')
    fields: dict[str, str] = {}
    for key, value in data.items():
        name = re.sub(r"[\s-]+", "_", str(key).strip()).upper()
        if match := _NUMBERED.match(name):
            name = f"SNIPPET_{match.group(1)}"
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InputError(
                f"{source}: {key}: a field's value is text or a number, not {type(value).__name__}"
            )
        fields[name] = str(value).strip()
    return Prospect(fields)


def fill(text: str, prospect: Prospect, rng: random.Random | None, *, as_html: bool) -> Filled:
    """The text with every snippet replaced; links marked so ``readable`` can show them."""
    found, errors = snippets.scan(text)
    if errors:  # validation reports these; a preview of a broken template would only mislead
        raise InputError(f"cannot preview text with a snippet error: {errors[0].message}")
    quote = html.escape if as_html else str
    parts: list[str] = []
    missing: list[str] = []
    pos = 0
    for snippet in found:
        parts.append(text[pos : snippet.start])
        pos = snippet.end
        if snippet.kind == "field":
            value = prospect.fields.get(snippet.name, "")
            if value or snippet.fallback is not None:
                parts.append(quote(value or snippet.fallback or ""))
            else:
                missing.append(snippet.name)
                parts.append("{{" + snippet.name + "}}")
        elif snippet.kind == "spintax":
            chosen = rng.choice(snippet.args) if rng else "{" + " | ".join(snippet.args) + "}"
            parts.append(quote(chosen))
        elif snippet.kind == "unsubscribe":
            parts.append(_UNSUBSCRIBE)
        else:
            parts.append(f"{_OPEN}C{snippet.args[0]}{_CLOSE}")
    parts.append(text[pos:])
    spun = rng is None and any(s.kind == "spintax" for s in found)
    return Filled("".join(parts), tuple(dict.fromkeys(missing)), spun)


def readable(filled: Filled, *, as_html: bool) -> Filled:
    text = htmltext.to_text(filled.text) if as_html else filled.text
    text = text.replace(f"[{_UNSUBSCRIBE}]", "[unsubscribe link]").replace(_UNSUBSCRIBE, "[unsubscribe link]")
    text = re.sub(rf"\[{_CLICK.pattern}\]", r"[\1, click-tracked]", text)
    text = _CLICK.sub(r"\1 [click-tracked]", text)
    return Filled(text, filled.missing, filled.spintax)


def _rng(seed: int | None, step: int, version: str) -> random.Random | None:
    # Seeded per step and version, so --step or --version do not change what the others would show.
    return None if seed is None else random.Random(f"{seed}:{step}:{version}")


def preview(
    campaign: Campaign,
    prospect: Prospect,
    *,
    step: int | None = None,
    version: str | None = None,
    seed: int | None = None,
) -> list[Message]:
    """Every step and version (or the one asked for) as ``prospect`` would receive it."""
    if step is not None and not 1 <= step <= len(campaign.steps):
        raise InputError(f"--step {step}: the campaign has steps 1 to {len(campaign.steps)}")
    messages: list[Message] = []
    for number, item in enumerate(campaign.steps, start=1):
        if step is not None and number != step:
            continue
        if isinstance(item, EmailStep):
            for index, email in enumerate(item.versions):
                if version in (None, LETTERS[index]):
                    messages.append(
                        _email(number, LETTERS[index], email, prospect, _rng(seed, number, LETTERS[index]))
                    )
        elif item.action_type == "VISIT_PROFILE":
            if version is None:
                messages.append(Message(number, None, "LINKEDIN visit profile", notes=("nothing is sent",)))
        else:
            for index, note in enumerate(item.versions or []):
                if version in (None, LETTERS[index]):
                    rng = _rng(seed, number, LETTERS[index])
                    messages.append(
                        _linkedin(number, LETTERS[index], item, note.message or "", prospect, rng)
                    )
    if not messages:
        where = f"step {step} has no version" if step is not None else "no step has a version"
        raise InputError(f"--version {version}: {where} {version}")
    return messages


def _email(
    number: int, letter: str, email: EmailVersion, prospect: Prospect, rng: random.Random | None
) -> Message:
    as_html = htmltext.is_html(email.message)
    subject = (
        readable(fill(email.subject, prospect, rng, as_html=False), as_html=False) if email.subject else None
    )
    body = readable(fill(email.message, prospect, rng, as_html=as_html), as_html=as_html)
    notes = ("the mailbox's signature is added below",) if email.signature == "SENDER" else ()
    return Message(number, letter, "EMAIL", subject, body, notes, reply=subject is None)


def _linkedin(
    number: int, letter: str, step: LinkedInStep, text: str, prospect: Prospect, rng: random.Random | None
) -> Message:
    action = step.action_type.replace("_", " ").lower()
    if not text:
        return Message(number, letter, f"LINKEDIN {action}", notes=("sent without a note",))
    body = readable(fill(text, prospect, rng, as_html=False), as_html=False)
    limit = CONNECTION_NOTE_MAX if step.action_type == "CONNECTION_REQUEST" else DIRECT_MESSAGE_MAX
    return Message(
        number, letter, f"LINKEDIN {action}", body=body, notes=(f"{len(body.text)} of {limit} characters",)
    )


def _shown(text: str, keep: str = "") -> str:
    """Text for the terminal: a carriage return, an escape sequence or a bidi override in the copy
    (or in a prospect's fields) is shown as ``\\r``, ``^[``, ``<U+202E>``, not obeyed; a subject is
    one line, so a line break in it is shown too."""
    return reveal(text, keep=keep)


def render(key: str, prospect: Prospect, messages: list[Message], *, seeded: bool) -> str:
    """The preview as terminal text: a rule line per message, the copy, then what stops sending.
    Hidden characters are shown as visible stand-ins (see ``visible``)."""
    lines = [_shown(f"{key} · as {prospect.label()} would receive it")]
    if prospect.sample:
        lines.append("(a made-up prospect: pass --prospect FILE.json to use real fields)")
    if not seeded and any((m.body and m.body.spintax) or (m.subject and m.subject.spintax) for m in messages):
        lines.append("{a | b} is spintax: each prospect gets one variant (--seed N picks one)")
    for message in messages:
        title = f"Step {message.step} · {message.heading}" + (
            f" · version {message.version}" if message.version else ""
        )
        lines.extend(["", f"── {title} " + "─" * max(3, 72 - len(title)), ""])
        if message.subject is not None:
            lines.extend([f"Subject: {_shown(message.subject.text)}", ""])
        elif message.reply:
            lines.extend(["Subject: (none: sent as a reply in the thread)", ""])
        if message.body is not None:
            body = _shown(message.body.text.replace("\r\n", "\n"), keep="\n\t")
            lines.append(body if body.strip() else "(empty message)")
        if message.notes:
            if message.body is not None:
                lines.append("")
            lines.extend(f"({note})" for note in message.notes)
        if message.missing:
            names = ", ".join("{{" + name + "}}" for name in message.missing)
            verb = "is" if len(message.missing) == 1 else "are"
            lines.extend(
                [
                    "",
                    f"✗ NOT SENT to this prospect: {names} {verb} empty with no fallback; Woodpecker "
                    'holds the prospect in "To check". Fill the field, or write a fallback: '
                    + "{{"
                    + message.missing[0]
                    + ' | "…"}}',
                ]
            )
    return "\n".join(lines)
