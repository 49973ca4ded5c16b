"""Reading and parsing what comes from outside, within limits: regular files only, bounded in size and
nesting (the numbers are in ``wpsync.limits``; docs/security.md explains them).

    read_regular(path, limit, what)    the bytes of a regular file (a symlink to one is fine); never a
                                       FIFO (it would hang), a device (/dev/zero reads forever) or a folder
    json_loads(data, what, nesting)    json.loads after a C-speed pre-scan of bracket depth
    check_toml_nesting(text)           the same pre-scan for TOML, plus the length of dotted keys

Both parsers recurse (tomllib, json's scanner, rtoml, pydantic after them): a document nested 100,000
deep ends in RecursionError, and a deep dotted key makes tomllib's error path quadratic. The pre-scans
run before any parser sees the text, cost one regex pass, and reject with a message naming the limit.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from itertools import accumulate, count
from operator import sub
from pathlib import Path
from typing import Any

from wpsync.limits import KIB, MAX_NESTING, MIB

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Unreadable(Exception):
    """A file wpsync will not read, or cannot: ``reason`` says why and what to do, without the path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooDeep(ValueError):
    """Nested past the limit; a ValueError so that callers treating bad JSON as ValueError still do."""


def size_text(size: int) -> str:
    if size >= MIB and size % MIB == 0:
        return f"{size // MIB} MiB"
    if size >= KIB and size % KIB == 0:
        return f"{size // KIB} KiB"
    return f"{size:,} bytes"


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Raises FileNotFoundError as is (callers treat a missing file their own way) and ``Unreadable`` for
    everything else. The file is opened non-blocking, so opening a FIFO returns at once, and judged by
    fstat of what was opened, so a symlink is followed only to a regular file and nothing is swapped in
    between the check and the read.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise Unreadable(f"cannot read {what}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise Unreadable(f"{what} must be a regular file, and this is {kind}")
        if info.st_size > limit:
            raise Unreadable(_too_large(what, limit))
        chunks: list[bytes] = []
        size = 0
        while True:  # read to the end, not to st_size: the file may have grown since
            chunk = os.read(fd, min(limit + 1 - size, MIB))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Unreadable(_too_large(what, limit))
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable(f"cannot read {what}: {exc.strerror}") from None
    finally:
        os.close(fd)


def _too_large(what: str, limit: int) -> str:
    return f"{what} is larger than {size_text(limit)}, the most wpsync reads; is it the right file?"


# ---- nesting -------------------------------------------------------------------------------------------

_KEEP = b'"[]{}'
_DROP = bytes(b for b in range(256) if b not in _KEEP)
_QUOTED = re.compile(rb'"[^"]*+"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]++")
_OPEN_CLOSE = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")


def _bracket_depth(brackets: bytes) -> int:
    """The deepest nesting of a string of only brackets: opens add one, closes take one away.

    At C speed: with opens as 2 and closes as 0, the running sum minus the position is the depth."""
    if not brackets:
        return 0
    weights = brackets.translate(_OPEN_CLOSE)
    deepest: int = max(map(sub, accumulate(weights), count(1)))
    return deepest


def json_depth(data: bytes) -> int:
    """The nesting of a JSON text (exact for valid JSON): its brackets outside strings.

    Every step is a C-speed pass: drop escaped backslashes, then escaped quotes (left to right, as a
    JSON reader pairs them), then every byte but quotes and brackets; what is left of strings is only
    the brackets they held, between quotes."""
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    reduced = data.translate(None, _DROP).replace(b'""', b"")  # most strings hold no bracket
    if b'"' in reduced:
        reduced = _QUOTED.sub(b"", reduced)
    return _bracket_depth(reduced)


def json_loads(data: bytes | str, what: str, nesting: int = MAX_NESTING) -> Any:
    """``json.loads`` of ``data``, or TooDeep (a ValueError) when it nests more than ``nesting`` deep."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    depth = json_depth(raw)
    if depth > nesting:
        raise TooDeep(f"{what} nests more than {nesting} levels deep (the most wpsync reads)")
    return json.loads(data)


# TOML: strings (all four kinds) and comments hide brackets and dots; drop them first.
_TOML_SKIP = (
    rb'"""[^"\\]*+(?:(?:\\.|"(?!""))[^"\\]*+)*+""""{0,2}'
    rb"|'''[^']*+(?:'(?!'')[^']*+)*+''''{0,2}"
    rb'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
    rb"|'[^'\n]*+'"
    rb"|#[^\n]*+"
)
_BARE = rb'(?:[A-Za-z0-9_-]++|"")'


def _dotted_chain(parts: int) -> re.Pattern[bytes]:
    # A key of more than ``parts`` parts: ``parts`` of "part ." followed by a part.
    return re.compile(
        rb"(?<![A-Za-z0-9_-])(?:" + _BARE + rb"[ \t]*+\.[ \t]*+){" + str(parts).encode() + rb"}" + _BARE
    )


@functools.cache
def _toml_patterns() -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    # Compiled on first use: every wpsync run imports this module, few pre-scan TOML (compiling both
    # took a no-change plan 3% of its time).
    return re.compile(_TOML_SKIP, re.DOTALL), _dotted_chain(MAX_NESTING)


def check_toml_nesting(text: str) -> str | None:
    """None, or why ``text`` nests too deep for wpsync to parse (inline tables and arrays, or the parts
    of one dotted key, past ``MAX_NESTING``). Cheap: two regex passes, no parser."""
    data = text.encode("utf-8", "surrogatepass")
    skip, too_many_parts = _toml_patterns()
    stripped = skip.sub(b'""', data)
    if stripped.count(b".") >= MAX_NESTING and too_many_parts.search(stripped):
        return f"a dotted key has more than {MAX_NESTING} parts (the most wpsync reads)"
    if _bracket_depth(_NOT_BRACKET.sub(b"", stripped)) > MAX_NESTING:
        return f"arrays or inline tables nest more than {MAX_NESTING} levels deep (the most wpsync reads)"
    return None
