"""Characters a reader cannot see, shown as text they can: for the PR comment and for ``wpsync preview``.

Campaign copy is written by many hands and pasted from anywhere, so it can hold characters that change
what a reviewer sees without showing themselves: a carriage return that rewinds the terminal line, an
ESC that starts a terminal escape sequence, a right-to-left override (U+202E) that reverses the text
after it, zero-width spaces and joiners, a byte-order mark, Unicode line and paragraph separators.
Each is replaced by a visible, inert stand-in:

- the C0 whitespace controls by their backslash names: ``\\t`` ``\\n`` ``\\v`` ``\\f`` ``\\r``;
- the other C0 controls and DEL in caret notation, as terminals show them: ``^@`` ``^G`` ``^[`` ``^?``;
- C1 controls, format characters (category Cf: bidi controls, zero-width characters, soft hyphen,
  tag characters), the line and paragraph separators, lone surrogates and a few letters that draw
  nothing (the Hangul fillers, the blank braille pattern) as ``<U+202E>``.

A zero-width joiner between two pictographs is kept: it is how family and profession emoji are built.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_NAMED = {"\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
# Letters and symbols that render as nothing at all; used to fake blank names and "empty" text.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_ZWJ = "\u200d"
# Printable ASCII never needs a look; everything else is checked one character at a time.
_CANDIDATE = re.compile(r"[^\x20-\x7e]")


@cache
def marker(char: str) -> str | None:
    """The visible stand-in for ``char``, or None when it shows itself."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    if char in _BLANK or unicodedata.category(char) in _HIDDEN_CATEGORIES:
        return f"<U+{code:04X}>"
    return None


def _pictograph(char: str) -> bool:
    return unicodedata.category(char) == "So" or 0x1F3FB <= ord(char) <= 0x1F3FF or char == "\ufe0f"


def reveal(text: str, keep: str = "") -> str:
    """``text`` with every hidden character (except those in ``keep``) replaced by its marker."""

    def one(match: re.Match[str]) -> str:
        char = match.group(0)
        if char in keep:
            return char
        if char == _ZWJ:
            at = match.start()
            if 0 < at < len(text) - 1 and _pictograph(text[at - 1]) and _pictograph(text[at + 1]):
                return char
        return marker(char) or char

    return _CANDIDATE.sub(one, text)
