"""Parse TOML 1.0, exactly: a file wpsync accepts must open in every TOML 1.0 tool (taplo, tomllib, editors).

The parser is ``toml_rs`` (the Rust ``toml`` crate) told ``toml_version="1.0.0"``: it reads the whole
TOML 1.0.0 list of the toml-test suite right (tests/toml_test runs it through this module), and it
parsed 1,000 × 16-step campaigns about 8× faster than tomli 2.3 and 1.7× faster than rtoml in the same
run (``benchmarks/toml_parsers.py``). tomli, which wpsync used before, reads TOML 1.0 exactly too but is
pure Python at heart; rtoml accepts TOML 1.1 (a multi-line inline table, a trailing comma in one, ``\\e``
and ``\\x`` escapes, times without seconds), which taplo and tomllib refuse.

What this module adds to the parser, and why:

- Every message is one line ending in "(at line L, column C)", the column counted in characters; the
  parser's own three-line picture of the source is left out (it would repeat a file's text in CI logs).
- The TOML 1.1 inline-table habits (a line break, a trailing comma or a comment inside ``{ }``) get a
  sentence saying what TOML 1.0 wants instead.
- One byte-order mark is skipped (editors on Windows write one); a second is refused, as TOML says.
- Integers are 64-bit (TOML 1.0: "an error must be thrown"); the parser returns any size.
- Nesting: the Rust parser recurses once per level of arrays and inline tables and crashes the process
  (a stack overflow, not an exception) a few thousand levels down, fewer on a thread's smaller stack.
  A file with more openers than ``SCAN_NESTING_FROM`` is pre-scanned first (``bounded``), and the walk
  of the parsed values enforces wpsync's own limit of ``MAX_NESTING`` levels, dotted keys included.
"""

from __future__ import annotations

import re
from typing import Any

import toml_rs

from wpsync.limits import MAX_NESTING

_WHERE = re.compile(r"TOML parse error at line (\d+), column (\d+)")
_PICTURE = re.compile(r"\s*\d*\s*\|")  # the source lines and the caret under them
_INLINE_HABIT = re.compile(
    r"(newlines|comments) are unsupported in inline tables|trailing commas are not supported in inline tables"
)

# No file with fewer openers ("[" and "{", strings and comments included) can nest deeper than this, and
# this deep costs the parser under 1.5 MB of stack (measured: ~1.3-2 KB a level; threads get 8 MB, or 2 MB
# where the stack is unlimited). 16-step campaigns of the benchmark fleet have 220-600.
SCAN_NESTING_FROM = 768

INLINE_HINT = (
    "TOML 1.0 inline tables are written on one line, without a trailing comma: "
    "write { a = 1, b = 2 }, or use a [table] / [[array of tables]] instead"
)


def loads(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The document, or None and a message ("invalid TOML: …") with line and column when known."""
    document, problem = loads_unwalked(text)
    if document is None:
        return None, problem
    return limits_problem(document)


def limits_problem(document: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """``document`` if it is within wpsync's nesting and integer limits, else None and the message."""
    problem = _beyond_limits(document)
    if problem:
        return None, f"invalid TOML: {problem}"
    return document, None


def loads_unwalked(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """As ``loads``, without the walk of the parsed values (``limits_problem``): for a caller that
    proves the limits another way (a valid campaign cannot nest deep, loading.py), and otherwise walks.
    The pre-scan that keeps the parser's own recursion bounded still runs."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is not TOML, but editors on Windows write one: skip it
        if text.startswith("\ufeff"):
            return None, "invalid TOML: a second byte-order mark (at line 1, column 1); remove it"
    if text.count("[") + text.count("{") > SCAN_NESTING_FROM:
        from wpsync.bounded import check_toml_nesting

        too_deep = check_toml_nesting(text)
        if too_deep:
            return None, f"invalid TOML: {too_deep}; flatten the file"
    try:
        document = toml_rs.loads(text, toml_version="1.0.0")
    except toml_rs.TOMLDecodeError as exc:
        return None, "invalid TOML: " + _message(str(exc))
    except (ValueError, OverflowError) as exc:  # defensive: the parser raises only TOMLDecodeError
        return None, f"invalid TOML: {exc}"
    return document, None


def _message(raw: str) -> str:
    """The parser's error as one line: what is wrong, where, and the TOML 1.0 rule when it is an inline
    table's. Its picture of the source lines is dropped."""
    lines = raw.splitlines()
    where = _WHERE.match(lines[0]) if lines else None
    body = lines[1:] if where else lines
    reasons = [line.strip() for line in body if line.strip() and not _PICTURE.match(line)]
    reason = "; ".join(r.removesuffix(", expected nothing") for r in reasons) or "not valid TOML"
    at = f" (at line {where.group(1)}, column {where.group(2)})" if where else ""
    hint = f"; {INLINE_HINT}" if _INLINE_HABIT.search(reason) else ""
    return reason + at + hint


def _beyond_limits(document: dict[str, Any]) -> str | None:
    """One walk of the parsed values: nesting deeper than wpsync's limit (what reads the document after
    the parser recurses), or an integer beyond 64 bits. Walking the values costs less than scanning the
    text (a regex over the copy took 0.4 ms a file); iteratively, over containers, with exact type tests,
    it costs a tenth of the parse (a recursive call per value cost three times the parse)."""
    low, high = -(2**63), 2**63
    pending: list[tuple[Any, int]] = [(document, 0)]  # (a table or array, its depth): the document is 0
    while pending:
        container, depth = pending.pop()
        if depth > MAX_NESTING or (depth == MAX_NESTING and container):  # it, or what it holds, too deep
            return f"nested more than {MAX_NESTING} levels deep; flatten the file"
        for item in container.values() if type(container) is dict else container:
            kind = type(item)
            if kind is dict or kind is list:
                pending.append((item, depth + 1))
            elif kind is int and not low <= item < high:
                return "an integer beyond 64 bits (TOML 1.0 integers are -2^63 … 2^63-1)"
    return None
