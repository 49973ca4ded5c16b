"""Parse TOML 1.0, exactly: a file wpsync accepts must open in every TOML 1.0 tool (taplo, tomllib, editors).

The parser is ``tomli`` below 2.4 (2.4 added TOML 1.1), whose PyPI wheels are compiled with mypyc:
``benchmarks/toml_parsers.py`` measured it at 0.77 s for 1,000 × 16-step campaigns, against 2.7 s for
the standard library's pure-Python copy (tomllib) and 0.18 s for rtoml, which accepts TOML 1.1 (a
multi-line inline table, a trailing comma in one, ``\\e`` and ``\\x`` escapes, times without seconds)
and so let through files that taplo and tomllib refuse.

Every message ends in "(at line L, column C)" when the parser knows where; the two TOML 1.1 habits a
user is most likely to bring from other tools get a sentence saying what TOML 1.0 wants instead.
"""

from __future__ import annotations

import re
from typing import Any

import tomli

from wpsync.limits import MAX_NESTING

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'")

INLINE_HINT = (
    "TOML 1.0 inline tables are written on one line, without a trailing comma: "
    "write { a = 1, b = 2 }, or use a [table] / [[array of tables]] instead"
)


def loads(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The document, or None and a message ("invalid TOML: …") with line and column when known."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is not TOML, but editors on Windows write one: skip it
    try:
        document = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = str(exc)
        hint = _inline_hint(text, message)
        return None, f"invalid TOML: {message}" + (f"; {hint}" if hint else "")
    except RecursionError as exc:
        return None, f"invalid TOML: nested too deeply ({exc}); flatten the file"
    except ValueError as exc:  # int() of a literal with thousands of digits
        return None, f"invalid TOML: {exc}"
    # TOML 1.0 integers are 64-bit ("if an integer cannot be represented losslessly, an error must be
    # thrown"); tomli returns any size. Walking the parsed values costs less than scanning the text
    # (a regex over the copy took 0.4 ms a file).
    problem = _beyond_limits(document, 0)
    if problem:
        return None, f"invalid TOML: {problem}"
    return document, None


def _beyond_limits(value: Any, depth: int) -> str | None:
    """One walk of the parsed values: nesting deeper than wpsync's limit (tomli stops at 400 levels, and
    what reads the document after it recurses), or an integer beyond 64 bits."""
    if depth > MAX_NESTING:
        return f"nested more than {MAX_NESTING} levels deep; flatten the file"
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        inside = -(2**63) <= value < 2**63
        return None if inside else "an integer beyond 64 bits (TOML 1.0 integers are -2^63 … 2^63-1)"
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        found = _beyond_limits(item, depth + 1)
        if found:
            return found
    return None


def _inline_hint(text: str, message: str) -> str | None:
    """The TOML 1.0 rule for inline tables, when the error sits on a trailing comma or a line break
    inside one."""
    at = _AT.search(message)
    if at is None:
        return None
    line_no, column = int(at.group(1)), int(at.group(2))
    lines = text.splitlines()
    if not 1 <= line_no <= len(lines):
        return None
    before = lines[line_no - 1][: column - 1]
    after = lines[line_no - 1][column - 1 :]
    bare = _STRING.sub('""', before).split("#", 1)[0]
    open_tables = bare.count("{") - bare.count("}")
    trailing_comma = open_tables > 0 and after.lstrip().startswith("}") and bare.rstrip().endswith(",")
    line_break = open_tables > 0 and not after.strip()
    return INLINE_HINT if trailing_comma or line_break else None
