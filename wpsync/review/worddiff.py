"""A word-level diff of campaign copy, rendered for GitHub markdown as <del>removed</del> and
<ins><b>added</b></ins> (struck through; bold and underlined).

Why inline tags rather than a ```diff block: a diff block colours whole lines, and a refused edit is
usually a few words in a long paragraph; the reviewer needs to see which words. Why <del>/<ins> rather
than ``~~…~~`` / ``**…**``: emphasis delimiters stop working next to punctuation (CommonMark's
flanking rules), so "**,**" or "~~"Hi~~" would show raw asterisks and tildes; the tags always pair, and
GitHub renders them as strikethrough and underline (bold is added so that a replacement, removal
and addition side by side, still reads as two words). Each line is wrapped on its own, so a change that
spans paragraphs never leaves a tag open across a blank line (which GitHub would drop).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from wpsync.review import escape as markdown_escape
from wpsync.review.visible import reveal

Op = Literal["=", "-", "+"]
# Snippets and HTML tags whole, then words, runs of spaces, single line breaks and single punctuation
# marks: a comma changed in a sentence shows as one comma, not the whole word it touches.
_LINE_END = re.compile(r"\r\n?")
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_TOKEN = re.compile(r"\{\{.*?\}\}|<[^<>\n]*>|\n|[^\S\n]+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def diff(old: str, new: str) -> list[Segment]:
    """Old → new as kept, removed and added runs; whitespace between two changes joins them.

    Lines are matched first and words only within changed lines, so an added paragraph shows as one
    added paragraph rather than words and full stops scattered over its neighbours. A line ends where
    CommonMark ends one (\\r\\n, \\r, \\n); any other separator is shown, not obeyed (see escape)."""
    old, new = _LINE_END.sub("\n", old), _LINE_END.sub("\n", new)
    a, b = _LINE.findall(old), _LINE.findall(new)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        before, after = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            raw.append(Segment("=", before))
        elif tag == "replace":
            raw.extend(_words(before, after))
        else:
            raw.append(Segment("-", before) if before else Segment("+", after))
    return _merge(raw)


def _words(old: str, new: str) -> list[Segment]:
    a, b = tokens(old), tokens(new)
    found: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            found.append(Segment("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            found.append(Segment("-", "".join(a[i1:i2])))
        if j2 > j1:
            found.append(Segment("+", "".join(b[j1:j2])))
    return found


def _merge(segments: list[Segment]) -> list[Segment]:
    """Fold "a b" → "x y" into one removal and one addition instead of alternating word by word."""
    out: list[Segment] = []
    removed, added = "", ""

    def flush() -> None:
        nonlocal removed, added
        if removed:
            out.append(Segment("-", removed))
        if added:
            out.append(Segment("+", added))
        removed, added = "", ""

    for index, segment in enumerate(segments):
        if segment.op == "-":
            removed += segment.text
        elif segment.op == "+":
            added += segment.text
        elif (
            (removed or added)
            and index + 1 < len(segments)
            and segments[index + 1].op != "="
            and segment.text.isspace()
            and "\n" not in segment.text
        ):
            removed += segment.text
            added += segment.text
        else:
            flush()
            out.append(segment)
    flush()
    return out


def changed(segments: list[Segment]) -> bool:
    return any(segment.op != "=" for segment in segments)


def render(segments: list[Segment]) -> str:
    """Markdown lines: unchanged text escaped, removals in <del>, additions in <ins>."""
    lines: list[str] = []
    current: list[str] = []
    last = ""  # the raw text of the piece before
    for segment in segments:
        for number, piece in enumerate(segment.text.split("\n")):
            if number:
                lines.append("".join(current))
                current = []
            if not piece:
                continue
            text = markdown_escape.inline(piece)
            if not current:
                text = markdown_escape.line_start(text.lstrip())
            if segment.op == "-":
                text = f"<del>{text}</del>"
            elif segment.op == "+":
                # A word replaced by a word reads as two words, not one run: "<del>old</del> <ins>new</ins>".
                joined = (
                    current
                    and current[-1].endswith("</del>")
                    and last[-1:].strip() != ""
                    and (piece[:1].isalnum() or piece[:1] == "{")
                )
                text = (" " if joined else "") + f"<ins><b>{text}</b></ins>"
            current.append(text)
            last = piece
    lines.append("".join(current))
    return markdown_escape.hard_breaks([line.strip() for line in lines])


_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[0m"


def render_plain(segments: list[Segment], *, color: bool = False) -> list[str]:
    """Text lines in ``git diff --word-diff`` style: ``[-removed-]{+added+}``; on a terminal, colour
    instead of brackets. Hidden characters are shown (``reveal``); each line is closed on its own."""
    lines: list[str] = []
    current: list[str] = []
    for segment in segments:
        for number, piece in enumerate(segment.text.split("\n")):
            if number:
                lines.append("".join(current))
                current = []
            if not piece:
                continue
            text = reveal(piece, keep="\t")
            if segment.op == "-":
                text = f"{_RED}{text}{_RESET}" if color else f"[-{text}-]"
            elif segment.op == "+":
                # Colour alone does not show where a removal ends and its replacement starts.
                apart = " " if color and current and current[-1].endswith(f"{_RESET}") else ""
                text = f"{apart}{_GREEN}{text}{_RESET}" if color else f"{{+{text}+}}"
            current.append(text)
    lines.append("".join(current))
    return [line.rstrip() for line in lines]
