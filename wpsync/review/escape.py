"""Put user text (campaign copy, names, file paths) into GitHub-flavoured markdown without it turning
into markup.

Campaign copy is written by anyone who can open a pull request, and it lands in a comment that the
whole team reads, so nothing in it may open a tag, start a list or heading, link a table cell, run
LaTeX (``$…$``), ping a GitHub user (``@name``) or link an issue (``#12``, ``GH-12``). Everything here
escapes: backslash escapes for markdown punctuation (valid CommonMark for any ASCII punctuation),
entities for ``<``, ``>`` and ``&``, and an empty HTML comment inside ``@name``, ``#12`` and ``GH-12``.
GitHub finds mentions and issue references in the text of the rendered HTML, so neither a backslash
nor an entity (``&#64;``) stops them; the comment splits the text in two, and shows nothing.

Characters a reader cannot see (controls, bidi overrides, zero-width characters) are shown as visible
stand-ins (``\\r``, ``^[``, ``<U+202E>``: see ``visible``). Line endings are CommonMark's: ``\\r\\n``,
``\\r`` and ``\\n`` all end a line, so ``block`` shows each as a line break; ``inline`` text is one
line, so it shows them as ``\\r`` and ``\\n``. Nothing else ends a line in CommonMark or in a browser's
normal text flow, so U+2028, U+2029, U+0085, ``\\v`` and ``\\f`` are shown as stand-ins too.

Two things are kept readable on purpose: URLs become ``<https://…>`` autolinks (escaping their
punctuation would break GitHub's link detection halfway through a URL), and snippets such as
``{{FIRST_NAME | "there"}}`` become code spans, so a reviewer sees at a glance what is filled per
prospect (adjacent snippets share one code span: two spans side by side would read as one fence).
"""

from __future__ import annotations

import html
import re

from wpsync.review.visible import reveal

_PUNCTUATION = re.compile(r"[\\`*_~\[\]|$]")
_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_SPLIT = "<!-- -->"  # an empty comment: invisible, but it cuts a mention or reference in two
_MENTION = re.compile(r"(?<!\w)@(?=\w)")
_ISSUE = re.compile(r"#(?=\d)")
_GH = re.compile(r"(?<![\w-])(GH)(?=-\d)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\[\]\"'`]+")
_URL_TAIL = ".,;:!?)"
_SNIPPETS = re.compile(r"(?:\{\{.*?\}\})+")
_LINE_END = re.compile(r"\r\n|\r|\n")  # CommonMark's line endings
# What can turn the start of a line into a block: heading, list, quote, setext underline, table row.
_LINE_START = re.compile(r"(#|[-+=]|\d+[.)])")


def _guard(text: str) -> str:
    """Stop GitHub turning ``@name``, ``#12`` and ``GH-12`` into mentions and links."""
    text = _ISSUE.sub("#" + _SPLIT, text)
    text = _GH.sub(r"\1" + _SPLIT, text)
    return _MENTION.sub("@" + _SPLIT, text)


def _plain(text: str) -> str:
    out = _PUNCTUATION.sub(lambda m: "\\" + m.group(0), text)
    return _guard("".join(_ENTITIES.get(ch, ch) for ch in out))


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
    """One line of user text as markdown inline content: snippets as code, URLs as links, and any
    line break in it shown as ``\\r`` / ``\\n`` (it is one line: a subject, a name, a reason)."""
    text = reveal(text, keep="\t")
    parts: list[str] = []
    pos = 0
    for match in _SNIPPETS.finditer(text):
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


def line(text: str) -> str:
    """One line of user text that starts a markdown line (a list item, a paragraph's next line):
    inline, its edges stripped (leading spaces would make it indented code) and its start escaped."""
    return line_start(inline(text).strip())


def message(text: str) -> str:
    """One line of wpsync's own words (a note, a reason, a way out) as markdown inline content: the
    parts it quotes in backticks — a command, a file, a field — as code spans, the rest as user text.
    Such a message embeds user text (a campaign name, a key); a backtick in it can only pair the spans
    oddly, since every part is escaped either way, and an odd count is not ours: all of it is text."""
    parts = text.split("`")
    if len(parts) % 2 == 0:
        return inline(text)
    return "".join(code(part) if index % 2 else inline(part) for index, part in enumerate(parts))


def message_line(text: str) -> str:
    """``message`` starting a markdown line (a list item): edges stripped, its start escaped."""
    return line_start(message(text).strip())


def split_lines(text: str) -> list[str]:
    """User text split at CommonMark's line endings, each line with its hidden characters shown and
    its edges stripped (leading spaces would make code blocks, trailing ones hard breaks)."""
    return [reveal(line, keep="\t").strip() for line in _LINE_END.split(text)]


def block(text: str) -> str:
    """Multi-line user text as markdown lines: no indentation, no block markers, and its line breaks
    kept as hard breaks (GitHub comments keep soft breaks; job summaries and files do not)."""
    return hard_breaks([line_start(inline(line)) for line in split_lines(text)])


def hard_breaks(lines: list[str]) -> str:
    """Join rendered lines; a line followed by another non-blank line ends in a hard break."""
    out = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        out.append(line + "\\" if line and following else line)
    return "\n".join(out)


def code(text: str) -> str:
    """A code span that holds ``text`` exactly, whatever backticks or spaces it contains; hidden
    characters, line breaks included, shown as their stand-ins. An empty text shows as one space."""
    text = reveal(text, keep="\t") or " "
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each end when both ends have one (and the text is not all
    # spaces); a backtick at an end would join the fence. Either way, one space each side keeps it.
    padded = text[0] == "`" or text[-1] == "`" or (text[0] == text[-1] == " " and bool(text.strip(" ")))
    pad = " " if padded else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def attr(text: str) -> str:
    """Text for inside raw HTML (<summary>, <b>): entities only, plus the mention and issue guards;
    one line, its hidden characters and line breaks shown as stand-ins."""
    return _guard(html.escape(reveal(text), quote=True))


def quote(text: str) -> str:
    """Already-rendered markdown lines as a blockquote (blank lines kept as paragraph breaks)."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
