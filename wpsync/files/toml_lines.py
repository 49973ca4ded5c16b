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
    in_multiline: str | None = None  # the delimiter of the multi-line string the line starts in
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            # The rest of a value: whatever follows the string's end is not a new key.
            in_multiline = _scan(line, 0, in_multiline)
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
        in_multiline = _scan(line, key.end() if key else 0, None)
    return found


_MULTILINE = ('"""', "'''")


def _scan(line: str, start: int, open_string: str | None) -> str | None:
    """Follow TOML's strings through one line from ``start``: basic ("…", escapes) and literal ('…', none),
    single- and multi-line, and comments. Returns the delimiter of a multi-line string still open at the
    end of the line, or None. (Counting triple quotes per line took the three double quotes inside a
    literal string such as 'Quote: ...' for the start of a multi-line string, and every later line
    number was wrong.)"""
    i, end = start, len(line)
    while i < end:
        if open_string is not None:
            close = _closing(line, i, open_string)
            if close is None:
                return open_string
            i, open_string = close, None
            continue
        char = line[i]
        if char == "#":
            return None
        if line.startswith(_MULTILINE, i):
            open_string, i = line[i : i + 3], i + 3
        elif char == '"':
            i = _closing(line, i + 1, '"') or end
        elif char == "'":
            closing = line.find("'", i + 1)
            i = end if closing == -1 else closing + 1
        else:
            i += 1
    return open_string


def _closing(line: str, i: int, delimiter: str) -> int | None:
    """Where the string that ``delimiter`` opened ends on this line (the index after it), or None."""
    escapes = delimiter[0] == '"'
    while i < len(line):
        if escapes and line[i] == "\\":
            i += 2
            continue
        if line.startswith(delimiter, i):
            i += len(delimiter)
            if (
                len(delimiter) == 3
            ):  # up to two more quotes belong to the content: """a"""" ends after the last
                extra = 0
                while extra < 2 and i < len(line) and line[i] == delimiter[0]:
                    i, extra = i + 1, extra + 1
            return i
        i += 1
    return None


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
