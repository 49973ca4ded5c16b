"""Woodpecker's template snippets in subjects and messages.

    {{FIRST_NAME}}                          a prospect field
    {{FIRST_NAME | "there"}}                the same, with a fallback when the field is empty
    {{SPINTAX | "Hi" | "Hello"}}            one of the variants, chosen per prospect
    {{UNSUBSCRIBE}}                         the unsubscribe link
    {{CLICK=https://example.com}}           a click-tracked link

Custom fields are SNIPPET_1 … SNIPPET_15 (the underscore matters: the API rejects SNIPPET1). Nesting
braces inside a snippet is undocumented, so it is rejected. Single braces are ordinary text (HTML and
CSS use them); only ``{{`` and ``}}`` are syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SnippetKind = Literal["field", "spintax", "unsubscribe", "click"]

STANDARD_FIELDS = frozenset(
    {
        "FIRST_NAME",
        "LAST_NAME",
        "COMPANY",
        "TITLE",
        "WEBSITE",
        "EMAIL",
        "LINKEDIN_URL",
        "PHONE",
        "ADDRESS",
        "CITY",
        "STATE",
        "COUNTRY",
        "INDUSTRY",
    }
)
CUSTOM_FIELDS = frozenset(f"SNIPPET_{n}" for n in range(1, 16))
KNOWN_FIELDS = STANDARD_FIELDS | CUSTOM_FIELDS

_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")
_QUOTED = re.compile(r'\s*"([^"]*)"\s*\Z')
_SNIPPET_NO_UNDERSCORE = re.compile(r"SNIPPET(\d+)\Z")
_SNIPPET_NUMBERED = re.compile(r"SNIPPET_(\d+)\Z")


class SnippetSyntaxError(ValueError):
    """A snippet that Woodpecker would refuse; ``offset`` is where it starts in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Snippet:
    kind: SnippetKind
    name: str  # FIRST_NAME, SPINTAX, UNSUBSCRIBE, CLICK
    args: tuple[str, ...]  # the fallback (0 or 1), the spintax variants, or the click URL
    start: int
    end: int

    @property
    def fallback(self) -> str | None:
        return self.args[0] if self.kind == "field" and self.args else None

    @property
    def known(self) -> bool:
        return self.kind != "field" or self.name in KNOWN_FIELDS


def scan(text: str) -> tuple[list[Snippet], list[SnippetSyntaxError]]:
    """Every snippet in ``text`` and every syntax error, in order of appearance."""
    snippets: list[Snippet] = []
    errors: list[SnippetSyntaxError] = []
    pos = 0
    while True:
        open_at = text.find("{{", pos)
        close_at = text.find("}}", pos)
        if close_at != -1 and (open_at == -1 or close_at < open_at):
            errors.append(SnippetSyntaxError("'}}' without a matching '{{'", close_at))
            pos = close_at + 2
            continue
        if open_at == -1:
            return snippets, errors
        end = text.find("}}", open_at + 2)
        if end == -1:
            errors.append(SnippetSyntaxError("'{{' is never closed with '}}'", open_at))
            return snippets, errors
        inner = text[open_at + 2 : end]
        nested = inner.find("{{")
        if nested != -1:
            # Either a snippet inside a snippet ({{A {{B}} }}) or a '{{' left open before the next one.
            outer_end = text.find("}}", end + 2)
            next_open = text.find("{{", end + 2)
            if outer_end != -1 and (next_open == -1 or outer_end < next_open):
                errors.append(SnippetSyntaxError("snippets cannot be nested inside a snippet", open_at))
                pos = outer_end + 2  # report one mistake once
            else:
                errors.append(
                    SnippetSyntaxError("'{{' is not closed with '}}' before the next '{{'", open_at)
                )
                pos = open_at + 2 + nested
            continue
        try:
            snippets.append(_parse_one(inner, open_at, end + 2))
        except SnippetSyntaxError as exc:
            errors.append(exc)
        pos = end + 2


def parse_snippets(text: str) -> list[Snippet]:
    """The snippets in ``text``; raises the first SnippetSyntaxError."""
    snippets, errors = scan(text)
    if errors:
        raise errors[0]
    return snippets


def _parse_one(inner: str, start: int, end: int) -> Snippet:
    shown = "{{" + inner + "}}"
    if inner.startswith("CLICK="):
        url = inner[len("CLICK=") :].strip()
        if not url:
            raise SnippetSyntaxError(f"{shown}: CLICK needs a URL, as in {{{{CLICK=https://…}}}}", start)
        return Snippet("click", "CLICK", (url,), start, end)
    name, *raw_args = (part.strip() for part in inner.split("|"))
    if not name:
        raise SnippetSyntaxError(f"{shown}: empty snippet name", start)
    if not _NAME.match(name):
        raise SnippetSyntaxError(
            f"{shown}: snippet names are upper-case letters, digits and underscores: {{{{FIRST_NAME}}}}",
            start,
        )
    args = tuple(_quoted(arg, shown, start) for arg in raw_args)
    if name == "SPINTAX":
        if len(args) < 2:
            raise SnippetSyntaxError(f'{shown}: SPINTAX needs at least two variants: "a" | "b"', start)
        return Snippet("spintax", name, args, start, end)
    if name == "UNSUBSCRIBE":
        if args:
            raise SnippetSyntaxError(f"{shown}: UNSUBSCRIBE takes no arguments", start)
        return Snippet("unsubscribe", name, (), start, end)
    if m := _SNIPPET_NO_UNDERSCORE.match(name):
        raise SnippetSyntaxError(f"{shown}: custom snippets need an underscore: SNIPPET_{m.group(1)}", start)
    if (m := _SNIPPET_NUMBERED.match(name)) and not 1 <= int(m.group(1)) <= 15:
        raise SnippetSyntaxError(f"{shown}: custom snippets run from SNIPPET_1 to SNIPPET_15", start)
    if len(args) > 1:
        raise SnippetSyntaxError(
            f'{shown}: a snippet takes at most one fallback: {{{{{name} | "…"}}}}', start
        )
    return Snippet("field", name, args, start, end)


def _quoted(arg: str, shown: str, start: int) -> str:
    m = _QUOTED.match(arg)
    if m is None:
        raise SnippetSyntaxError(f'{shown}: fallbacks and variants are written in double quotes: "…"', start)
    return m.group(1)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` within ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
