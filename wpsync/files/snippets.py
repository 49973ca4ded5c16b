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

import functools
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
_BRACES = re.compile(r"\{\{|\}\}")


def did_you_mean(name: str) -> str | None:
    """The known snippet name closest to a misspelt one: FIRSTNAME → FIRST_NAME, SNIPET_2 → SNIPPET_2."""
    import difflib

    candidates = sorted(KNOWN_FIELDS | {"SPINTAX", "UNSUBSCRIBE"})
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    if not close:  # a missing or extra underscore counts for much in a short name: compare without them
        bare = {candidate.replace("_", ""): candidate for candidate in candidates}
        close = [
            bare[found] for found in difflib.get_close_matches(name.replace("_", ""), bare, n=1, cutoff=0.8)
        ]
    return close[0] if close else None


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
    if "{{" not in text and "}}" not in text:
        return snippets, errors
    # One pass over the brace tokens: a fleet's copy holds hundreds of thousands of snippets.
    tokens = [(m.start(), m.group() == "{{") for m in _BRACES.finditer(text)]
    count, i = len(tokens), 0
    while i < count:
        at, is_open = tokens[i]
        if not is_open:
            errors.append(SnippetSyntaxError("'}}' without a matching '{{'", at))
            i += 1
            continue
        close = next((k for k in range(i + 1, count) if not tokens[k][1]), None)
        if close is None:
            errors.append(SnippetSyntaxError("'{{' is never closed with '}}'", at))
            break
        if close == i + 1:
            end = tokens[close][0]
            parsed = _parse_cached(text[at + 2 : end])
            if isinstance(parsed, str):
                errors.append(SnippetSyntaxError(parsed, at))
            else:
                snippets.append(Snippet(parsed[0], parsed[1], parsed[2], at, end + 2))
            i = close + 1
            continue
        # A '{{' inside: a snippet inside a snippet ({{A {{B}} }}), or a '{{' left open before the next.
        if close + 1 < count and not tokens[close + 1][1]:
            errors.append(SnippetSyntaxError("snippets cannot be nested inside a snippet", at))
            i = close + 2  # report one mistake once
        else:
            errors.append(SnippetSyntaxError("'{{' is not closed with '}}' before the next '{{'", at))
            i += 1
    return snippets, errors


def field_snippets(text: str) -> tuple[tuple[str, bool], ...] | None:
    """(name, has a fallback) of each field snippet, in order — when every brace in ``text`` belongs to
    a well-formed, valid snippet; None otherwise (then ``scan`` finds and places the errors).

    The fast path of validation: C-speed passes over the text and a cache lookup per distinct snippet,
    instead of Python work per snippet occurrence. (The combinations of a text's snippets are not
    cached: a fleet's spintax and links make most of them unique — 22% hits at 1,000 × 16.)
    """
    # Every brace is in a well-formed snippet exactly when the text reads s {{ i }} s {{ i }} … s with
    # no brace in any s or i: split at each "{{", and count. (What the regex \{\{([^{}]*)\}\} found,
    # with the same counts, at a third less: str.split and str.find skip the copy at C speed.)
    parts = text.split("{{")
    count = len(parts) - 1
    if text.count("{") != 2 * count or text.count("}") != 2 * count:
        return None
    inners: list[str] = []
    for part in parts[1:]:  # each holds exactly two "}" now: the snippet is well-formed if they touch
        end = part.find("}}")
        if end < 0:
            return None
        inners.append(part[:end])
    found: list[tuple[str, bool]] = []
    for inner in dict.fromkeys(inners):
        parsed = _parse_cached(inner)
        if isinstance(parsed, str):
            return None
        if parsed[0] == "field":
            found.append((parsed[1], bool(parsed[2])))
    return tuple(found)


def parse_snippets(text: str) -> list[Snippet]:
    """The snippets in ``text``; raises the first SnippetSyntaxError."""
    snippets, errors = scan(text)
    if errors:
        raise errors[0]
    return snippets


@functools.lru_cache(maxsize=4096)
def _parse_cached(inner: str) -> tuple[SnippetKind, str, tuple[str, ...]] | str:
    """The snippet inside ``{{…}}`` as (kind, name, args), or its error message. Cached: a fleet repeats
    the same few snippets hundreds of thousands of times."""
    try:
        found = _parse_one(inner, 0, 0)
    except SnippetSyntaxError as exc:
        return exc.message
    return found.kind, found.name, found.args


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
