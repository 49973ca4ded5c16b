"""Put user text (campaign copy, names, file paths) into GitHub-flavoured markdown without it turning
into markup.

Campaign copy is written by anyone who can open a pull request, and it lands in a comment that the
whole team reads, so nothing in it may open a tag, start a list or heading, link a table cell, run
LaTeX (``$…$``), ping a GitHub user (``@name``) or link an issue (``#12``). Everything here escapes:
backslash escapes for markdown punctuation (valid CommonMark for any ASCII punctuation), entities for
``<``, ``>`` and ``&``, and a zero-width space after ``@`` and before a digit after ``#`` (what
Renovate and Dependabot do, since GitHub resolves mentions after parsing, so escapes do not stop them).

Two things are kept readable on purpose: URLs become ``<https://…>`` autolinks (escaping their
punctuation would break GitHub's link detection halfway through a URL), and snippets such as
``{{FIRST_NAME | "there"}}`` become code spans, so a reviewer sees at a glance what is filled per
prospect.
"""

from __future__ import annotations

import html
import re

_PUNCTUATION = re.compile(r"[\\`*_~\[\]|$]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_MENTION = re.compile(r"(?<!\w)@")
_ISSUE = re.compile(r"#(?=\d)")
_ZWSP = "&#8203;"
_URL = re.compile(r"https?://[^\s<>\[\]\"'`]+")
_URL_TAIL = ".,;:!?)"
_SNIPPET = re.compile(r"\{\{.*?\}\}")
# What can turn the start of a line into a block: heading, list, quote, setext underline, table row.
_LINE_START = re.compile(r"(#|[-+=]|\d+[.)])")


def _plain(text: str) -> str:
    out = _PUNCTUATION.sub(lambda m: "\\" + m.group(0), text)
    out = "".join(_ENTITIES.get(ch, ch) for ch in out)
    out = _ISSUE.sub("#" + _ZWSP, out)  # first: the mention guard's own entity holds "#8203"
    return _MENTION.sub("@" + _ZWSP, out)


def _with_urls(text: str) -> str:
    parts: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_URL_TAIL)
        parts.append(_plain(text[pos : match.start()]))
        parts.append(f"<{url}>")
        pos = match.start() + len(url)
    parts.append(_plain(text[pos:]))
    return "".join(parts)


def inline(text: str) -> str:
    """One line of user text as markdown inline content: snippets as code, URLs as links."""
    parts: list[str] = []
    pos = 0
    for match in _SNIPPET.finditer(text):
        parts.append(_with_urls(text[pos : match.start()]))
        parts.append(code(match.group(0)))
        pos = match.end()
    parts.append(_with_urls(text[pos:]))
    return "".join(parts)


def line_start(text: str) -> str:
    """Escape what would make an (already escaped) line a heading, list item or setext underline."""
    match = _LINE_START.match(text)
    if match is None:
        return text
    marker = match.group(0)
    if marker[-1] in ".)":  # "1." / "1)" start an ordered list: escape the punctuation
        return marker[:-1] + "\\" + marker[-1] + text[len(marker) :]
    return "\\" + text


def block(text: str) -> str:
    """Multi-line user text as markdown lines: no indentation, no block markers, and its line breaks
    kept as hard breaks (GitHub comments keep soft breaks; job summaries and files do not)."""
    return hard_breaks([line_start(inline(line.strip())) for line in text.split("\n")])


def hard_breaks(lines: list[str]) -> str:
    """Join rendered lines; a line followed by another non-blank line ends in a hard break."""
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(line + "\\" if line and following else line)
    return "\n".join(out)


def code(text: str) -> str:
    """A code span that holds ``text`` exactly, whatever backticks it contains."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def attr(text: str) -> str:
    """Text for inside raw HTML (<summary>, <b>): entities only, plus the mention and issue guards."""
    escaped = html.escape(text, quote=True)
    return _MENTION.sub("@" + _ZWSP, _ISSUE.sub("#" + _ZWSP, escaped))


def quote(text: str) -> str:
    """Already-rendered markdown lines as a blockquote (blank lines kept as paragraph breaks)."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
