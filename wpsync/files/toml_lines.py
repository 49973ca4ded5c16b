"""Find the line of a field path in TOML source, for error messages.

Only used once something is wrong, so it favours simplicity over completeness: it follows table
headers (``[settings]``, ``[[steps]]``, ``[[steps.versions]]``) and ``key = value`` lines, and for a
path inside an inline value (``versions = [{ … }]``) it answers with the line of the nearest enclosing
key it saw. Paths are tuples like ``("steps", 2, "versions", 1, "subject")``.
"""

from __future__ import annotations

import re

Loc = tuple[str | int, ...]

_KEY = re.compile(
    r"""\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)


def _header(line: str) -> tuple[str, bool] | None:
    """`[a.b]` → ("a.b", False), `[[a.b]]` → ("a.b", True); None for anything else. No regex: a
    backtracking pattern here took seconds on a line of many spaces."""
    text = line.strip()
    is_array = text.startswith("[[")
    opener, closer = ("[[", "]]") if is_array else ("[", "]")
    if not text.startswith(opener):
        return None
    end = text.find(closer, len(opener))
    if end == -1:
        return None
    name, rest = text[len(opener) : end].strip(), text[end + len(closer) :].strip()
    if not name or "=" in name or (rest and not rest.startswith("#")):
        return None
    return name, is_array


def _parts(dotted: str) -> list[str]:
    return [
        part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", dotted)
    ]


def index_lines(text: str) -> dict[Loc, int]:
    """Every table and key path the source spells out, mapped to its 1-based line."""
    found: dict[Loc, int] = {}
    counters: dict[Loc, int] = {}
    table: Loc = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _header(line)
        if header is not None:
            name, is_array = header
            table = _resolve(_parts(name), is_array, counters)
            found.setdefault(table, number)
            if is_array:
                found.setdefault(table[:-1], number)  # the array itself starts at its first element
            continue
        key = _KEY.match(line)
        if key:
            path = table + tuple(_parts(key.group(1)))
            found.setdefault(path, number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
    return found


def _resolve(names: list[str], is_array: bool, counters: dict[Loc, int]) -> Loc:
    """The concrete path of a header: array tables get the index of their current element."""
    path: Loc = ()
    for depth, name in enumerate(names):
        path = (*path, name)
        last = depth == len(names) - 1
        if last and is_array:
            index = counters.get(path, -1) + 1
            counters[path] = index
            # A new element of an outer array starts fresh counts for the arrays nested in it.
            for other in [loc for loc in counters if len(loc) > len(path) and loc[: len(path)] == path]:
                del counters[other]
            path = (*path, index)
        elif path in counters:
            path = (*path, counters[path])
    return path


def line_of(index: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest enclosing path that the source spells out."""
    for end in range(len(loc), 0, -1):
        line = index.get(loc[:end])
        if line is not None:
            return line
    return None
