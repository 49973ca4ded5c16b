"""A real CommonMark renderer (markdown-it-py) as the oracle for the escaper: what the markdown we
write means, read back as blocks and text the way a renderer sees them."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from wpsync.review.visible import reveal

# GitHub's flavour, as far as markdown-it has it: CommonMark plus tables and strikethrough.
RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
SPLIT = "<!-- -->"  # the escaper's mention and reference guard: an empty comment, shows nothing
_LINE_END = re.compile(r"\r\n|\r|\n")
# What GitHub turns into a mention or a reference when it is whole in one text node.
AUTOLINKED = re.compile(r"(?<!\w)@[a-z0-9]|#\d|(?<![\w-])GH-\d", re.IGNORECASE)


def parse(markdown: str) -> list[Token]:
    return RENDERER.parse(markdown)


def block_types(tokens: list[Token]) -> list[str]:
    return [t.type for t in tokens]


def inline_text(token: Token, *, allowed_html: frozenset[str] = frozenset({SPLIT})) -> str:
    """The text an inline token shows: text, code and autolinks as written, breaks as "\\n"; fails on
    anything the escaper should never let through (emphasis, links, images, tags)."""
    return "".join(child_text(child, allowed_html) for child in token.children or [])


def child_text(child: Token, allowed_html: frozenset[str] = frozenset({SPLIT})) -> str:
    if child.type in ("text", "code_inline"):
        return child.content
    if child.type in ("softbreak", "hardbreak"):
        return "\n"
    if child.type == "html_inline":
        assert child.content in allowed_html, f"raw HTML got through: {child.content!r}"
    elif child.type == "link_open":
        assert child.markup == "autolink", f"a link got through: {child.attrs}"
    elif child.type != "link_close":
        raise AssertionError(f"markup got through: {child.type} {child.content!r}")
    return ""


def split_text_nodes(token: Token) -> list[str]:
    """The text runs GitHub's mention and reference finder would look at one by one (not in links)."""
    runs, current, in_link = [], "", False
    for child in token.children or []:
        in_link = (in_link or child.type == "link_open") and child.type != "link_close"
        if child.type == "text" and not in_link:
            current += child.content
        else:
            runs.append(current)
            current = ""
    return [*runs, current]


def shown_line(text: str) -> str:
    return reveal(text, keep="\t")


def shown_block(text: str) -> str:
    """What ``block(text)`` should show: its lines (at CommonMark's line endings) with hidden
    characters revealed and edges stripped, blank lines as one paragraph break."""
    lines = [shown_line(line).strip() for line in _LINE_END.split(text)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
