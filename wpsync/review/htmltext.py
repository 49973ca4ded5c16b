"""Email HTML as the readable text a person sees: paragraphs, line breaks, list items and links.

Shared by the markdown plan (each version's copy, and the word diff of a refused edit) and by
``wpsync preview``. Woodpecker messages are HTML written in its editor (``<div>`` per line,
``<div><br /></div>`` for a blank line, ``<p>`` paragraphs), so those are what this gets right; it is
not a browser. Text with no tags is taken as plain text and kept as written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_SPACE = re.compile(r"[ \t\r\n\f]+")
_LINE_END = re.compile(r"\r\n?")
# Blocks that end the current line; the second set also stands apart by a blank line.
_LINE_BLOCKS = frozenset({"div", "li", "tr", "section", "article", "header", "footer", "center", "dd", "dt"})
_PARAGRAPH_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr", "dl"}
)
_SKIPPED = frozenset({"script", "style", "head", "title"})


def is_html(text: str) -> bool:
    return _TAG.search(text) is not None


def to_text(text: str) -> str:
    """HTML → text; links as ``text [href]``. Plain text comes back as written (line ends normalised)."""
    text = _LINE_END.sub("\n", text)  # as an HTML parser does first: a lone \r is a line end too
    if not is_html(text):
        return text.strip("\n")
    parser = _Readable()
    parser.feed(text)
    parser.close()
    return parser.result()


class _Readable(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current = ""
        self.blank_wanted = False  # a paragraph block ended: the next text starts after a blank line
        self.links: list[tuple[str, int]] = []  # (href, where its text starts in self.current)
        self.lists: list[int | None] = []  # None for <ul>, the next number for <ol>
        self.skipping = 0
        self.pre = 0

    # ---- building lines ------------------------------------------------------------------------

    def _soft_break(self) -> None:
        """End the current line if it has text (block boundaries never make empty lines)."""
        if self.current.strip():
            self.lines.append(self.current.rstrip())
        self.current = ""

    def _hard_break(self) -> None:
        """<br>: end the line even if empty; `<div><br /></div>` is how editors write a blank line."""
        self._flush_blank()
        self.lines.append(self.current.rstrip())
        self.current = ""

    def _flush_blank(self) -> None:
        if self.blank_wanted and self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.blank_wanted = False

    def _write(self, text: str) -> None:
        if not self.current:
            self._flush_blank()
            text = text.lstrip(" ") if not self.pre else text
        self.current += text

    # ---- parser callbacks ----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "br":
            self._hard_break()
        elif tag == "a":
            self.links.append((values.get("href", "").strip(), len(self.current)))
        elif tag == "img":
            alt = values.get("alt", "").strip()
            self._write(f"[image: {alt}]" if alt else "[image]")
        elif tag in ("ul", "ol"):
            self._paragraph_edge()
            self.lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._soft_break()
            self._write(self._bullet())
        elif tag == "hr":
            self._paragraph_edge()
            self._write("———")
            self._paragraph_edge()
        elif tag in _PARAGRAPH_BLOCKS:
            self._paragraph_edge()
            self.pre += tag == "pre"
        elif tag in _LINE_BLOCKS:
            self._soft_break()
        elif tag in ("td", "th") and self.current.strip():
            self._write(" | ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "a" and self.links:
            href, start = self.links.pop()
            label = self.current[start:].strip()
            if href and href != label:
                self._write(f" [{href}]" if label else f"[{href}]")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._paragraph_edge()
        elif tag in _PARAGRAPH_BLOCKS:
            self.pre -= tag == "pre" and self.pre > 0
            self._paragraph_edge()
        elif tag in _LINE_BLOCKS:
            self._soft_break()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            for number, part in enumerate(data.split("\n")):
                if number:
                    self._hard_break()
                self._write(part)
            return
        text = _SPACE.sub(" ", data)
        if text.strip() or self.current:
            self._write(text)

    # ---- helpers -------------------------------------------------------------------------------

    def _paragraph_edge(self) -> None:
        self._soft_break()
        self.blank_wanted = bool(self.lines)

    def _bullet(self) -> str:
        if not self.lists or self.lists[-1] is None:
            return "- "
        number = self.lists[-1]
        self.lists[-1] = number + 1
        return f"{number}. "

    def result(self) -> str:
        self._soft_break()
        text = "\n".join(self.lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
