"""The one canonical layout of a campaign file: what `wpsync fmt` writes and `wpsync import` produces.

The layout is taplo's with the shipped ``taplo.toml`` (so `taplo fmt` leaves a formatted file alone):

- ``key = value``, no indentation, a trailing comment one space after its value: ``value # note``;
- arrays without comments on one line, ``[1, 2]``; inline tables with spaces, ``{ from = "09:00", to = "17:00" }``;
- one blank line before each table header (before the comments that lead into it), none right after
  it, never two in a row; exactly one newline at the end;
- everything else as written: the order of keys and tables, every comment, each string's quoting and
  every byte inside it, numbers as spelled, arrays that hold comments.

It works on statements in file order — a comment, a blank line, a header, a ``key = value`` with its
whole (possibly multi-line) value — so nothing moves; tomlkit (a TOML parser that keeps each value's
source form) reads each value to rewrite its spacing. The result must parse to the same data as the
input, or formatting stops with an error instead of writing: a formatter must never change a campaign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import tomlkit
from tomlkit import items

from wpsync.files import toml10

Kind = Literal["blank", "comment", "header", "entry"]


class FormatError(ValueError):
    """The text is not TOML 1.0, or (a bug) formatting would change its data."""


@dataclass(frozen=True)
class _Statement:
    kind: Kind
    text: str  # formatted, without the final newline


def format_text(text: str) -> str:
    """``text`` in the canonical layout; raises FormatError for text that is not valid TOML 1.0."""
    if text.startswith("\ufeff"):
        text = text[1:]
    before, problem = toml10.loads(text)
    if before is None:
        raise FormatError(problem or "invalid TOML")
    statements = [_format(kind, raw) for kind, raw in _statements(text.replace("\r\n", "\n"))]
    formatted = _layout(statements)
    after, problem = toml10.loads(formatted)
    if after != before:  # pragma: no cover - a bug: refuse rather than change a campaign
        raise FormatError(
            f"formatting would change the file's data ({problem or 'values differ'}); please report this"
        )
    return formatted


# ---- statements ------------------------------------------------------------------------------------


def _statements(text: str) -> list[tuple[Kind, str]]:
    """Split ``text`` into top-level statements, each with its raw text (no final newline)."""
    found: list[tuple[Kind, str]] = []
    i, end = 0, len(text)
    while i < end:
        line_end = text.find("\n", i)
        line_end = end if line_end == -1 else line_end
        stripped = text[i:line_end].strip()
        if not stripped:
            found.append(("blank", ""))
            i = line_end + 1
            continue
        if stripped.startswith("#"):
            found.append(("comment", stripped))
            i = line_end + 1
            continue
        stop = _statement_end(text, i)
        found.append(("header" if stripped.startswith("[") else "entry", text[i:stop].strip()))
        i = stop + 1
    return found


def _statement_end(text: str, i: int) -> int:
    """The index of the newline that ends the statement starting at ``i``: the first one outside strings
    and brackets (comments skipped)."""
    depth, end = 0, len(text)
    header = text[i:].lstrip(" \t").startswith("[")
    while i < end:
        char = text[i]
        if char == "\n" and depth <= 0:
            return i
        if char == "#":
            newline = text.find("\n", i)
            i = end if newline == -1 else newline
            continue
        if char in "\"'":
            i = _string_end(text, i)
            continue
        if not header:  # a header's brackets are not a value's
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
        i += 1
    return end


def _string_end(text: str, i: int) -> int:
    """The index just after the string that starts at ``i``."""
    quote = text[i]
    delimiter = quote * 3 if text.startswith(quote * 3, i) else quote
    j = i + len(delimiter)
    while j < len(text):
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text.startswith(delimiter, j):
            j += len(delimiter)
            if len(delimiter) == 3:
                extra = 0
                while extra < 2 and j < len(text) and text[j] == quote:
                    j, extra = j + 1, extra + 1
            return j
        if len(delimiter) == 1 and text[j] == "\n":
            return j  # unterminated: the parser has already said so
        j += 1
    return j


def _split_comment(text: str, start: int = 0) -> tuple[str, str]:
    """(code, comment) of a statement: the comment is the first '#' outside strings and brackets."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = _string_end(text, i)
            continue
        if char == "#" and depth <= 0:
            return text[:i].rstrip(), text[i:].rstrip()
        if char == "#":
            newline = text.find("\n", i)
            i = len(text) if newline == -1 else newline
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return text.rstrip(), ""


# ---- one statement ---------------------------------------------------------------------------------

_KEY_PART = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)\s*")


def _key(text: str) -> str:
    """A (dotted) key with the spaces around its dots removed: `a . "b"` → `a."b"`."""
    parts, i = [], 0
    while True:
        match = _KEY_PART.match(text, i)
        if match is None:
            return text.strip()  # not a key wpsync can read; the parser has already refused the file
        parts.append(match.group(1))
        i = match.end()
        if i >= len(text) or text[i] != ".":
            return ".".join(parts) if i >= len(text) else text.strip()
        i += 1


def _format(kind: Kind, raw: str) -> _Statement:
    if kind in ("blank", "comment"):
        return _Statement(kind, raw)
    if kind == "header":
        array = raw.startswith("[[")
        close = "]]" if array else "]"
        end = _header_end(raw, close)
        name = _key(raw[len(close) : end])
        comment = _split_comment(raw, end + len(close))[1]
        header = f"[[{name}]]" if array else f"[{name}]"
        return _Statement("header", f"{header} {comment}" if comment else header)
    equals = _equals(raw)
    key = _key(raw[:equals])
    code, comment = _split_comment(raw, equals + 1)
    value = _value_text(code[equals + 1 :].strip())
    line = f"{key} = {value}"
    return _Statement("entry", f"{line} {comment}" if comment else line)


def _header_end(raw: str, close: str) -> int:
    i = len(close)
    while i < len(raw):
        if raw[i] in "\"'":
            i = _string_end(raw, i)
            continue
        if raw.startswith(close, i):
            return i
        i += 1
    return len(raw)


def _equals(raw: str) -> int:
    i = 0
    while i < len(raw):
        if raw[i] in "\"'":
            i = _string_end(raw, i)
            continue
        if raw[i] == "=":
            return i
        i += 1
    raise FormatError(f"not a key = value line: {raw[:60]!r}")


def _value_text(source: str) -> str:
    """A value's canonical spelling: containers re-spaced, scalars exactly as written."""
    if not source.startswith(("[", "{")):
        return source
    try:
        item = tomlkit.parse(f"v = {source}\n")["v"]
    except Exception:  # tomlkit refuses what tomli accepted: keep the value as written
        return source
    rendered = _render(item)
    return source if rendered is None else rendered


def _render(item: Any) -> str | None:
    """Canonical text of a tomlkit value, or None to keep it as written (an array holding comments)."""
    if isinstance(item, items.Array):
        if _has_comment(item.as_string()):
            return None
        parts = [_render(value) for value in item]
        if any(part is None for part in parts):
            return None
        return "[" + ", ".join(part for part in parts if part is not None) + "]"
    if isinstance(item, items.InlineTable):
        entries = []
        for key, value in item.value.body:
            if key is None:
                continue  # the whitespace between entries
            if isinstance(value, items.Table | items.AoT):
                return None  # a dotted key inside an inline table: keep it as written
            rendered = _render(value)
            if rendered is None:
                return None
            entries.append(f"{_key(key.as_string())} = {rendered}")
        return "{ " + ", ".join(entries) + " }" if entries else "{}"
    if isinstance(item, items.Item):
        return item.as_string().strip()
    return None


def _has_comment(text: str) -> bool:
    return "#" in _without_strings(text)


def _without_strings(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] in "\"'":
            i = _string_end(text, i)
            out.append('""')
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


# ---- blank lines -----------------------------------------------------------------------------------


def _layout(statements: list[_Statement]) -> str:
    out: list[_Statement] = []
    for statement in statements:
        if statement.kind == "blank" and (not out or out[-1].kind in ("blank", "header")):
            continue  # none at the start, none after a header, never two in a row
        if statement.kind == "header":
            lead = len(out)
            while lead > 0 and out[lead - 1].kind == "comment":
                lead -= 1  # the comments that lead into the header stay with it
            if lead > 0 and out[lead - 1].kind != "blank":
                out.insert(lead, _Statement("blank", ""))
        out.append(statement)
    while out and out[-1].kind == "blank":
        out.pop()
    return "\n".join(s.text for s in out) + "\n" if out else ""
