"""Where the time goes: a quick profile of a case, summarised in one line for RESULTS.md.

Run by ``run.py`` on the commit it measures, so the "why not" of a missed target is never a stale
guess: cProfile's own time grouped by origin (a wpsync module, a library, a system call), the share
garbage collection takes (the same run with ``gc.disable()``), and for start-up the imports by package
(``python -X importtime``). cProfile inflates pure-Python code against C and system calls, so shares are
a pointer to the code to read, not a measurement to quote.
"""

from __future__ import annotations

import pstats
import re
from collections import Counter
from pathlib import Path

# Runs wpsync with the garbage collector off; argv after "--" is wpsync's.
GC_OFF = "import gc, sys; gc.disable(); sys.argv = ['wpsync', *sys.argv[1:]]; from wpsync.__main__ import main; main()"

# Runs wpsync with cProfile on around apply_plan only: the apply loop without the planning before it.
# If wpsync.apply.apply_plan is ever renamed, this fails loudly and run.py profiles the whole process.
APPLY_ONLY = """
import cProfile, sys
import wpsync.apply.apply as target
inner, profile, out = target.apply_plan, cProfile.Profile(), sys.argv[1]
def wrapped(*args, **kwargs):
    profile.enable()
    try:
        return inner(*args, **kwargs)
    finally:
        profile.disable()
        profile.dump_stats(out)
target.apply_plan = wrapped
sys.argv = ['wpsync', *sys.argv[2:]]
from wpsync.__main__ import main
main()
"""

_BUILTIN_ORIGINS = (
    ("pydantic_core", "pydantic_core (validation)"),
    ("fsync", "fsync"),
    ("rtoml", "rtoml (TOML parse)"),
    ("deserialize", "rtoml (TOML parse)"),
    ("_json", "json (C)"),
    ("hashlib", "hashlib (SHA-256)"),
    ("sha256", "hashlib (SHA-256)"),
    ("recv_into", "socket: waiting for the server"),
    ("_socket", "socket"),
    ("sendall", "socket: sending"),
    ("marshal", "imports (loading bytecode)"),
    ("posix.", "system calls (os)"),
    ("_io.", "file I/O"),
    ("io.open", "file I/O"),
)


def origin(filename: str, name: str) -> str:
    """One label per place the time is spent: wpsync/loading.py, pydantic, fsync, json, …"""
    if filename == "~":
        for needle, label in _BUILTIN_ORIGINS:
            if needle in name:
                return label
        found = re.search(r"(?:method|function) '?([\w.]+)", name)
        return f"built-in {found.group(1) if found else name}"
    if "/wpsync/" in filename:
        return "wpsync/" + filename.rsplit("/wpsync/", 1)[1]
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename.startswith("<frozen"):
        return "imports (importlib)"
    path = Path(filename)
    return (
        path.parent.name
        if path.name == "__init__.py" or path.parent.name in ("json", "email", "http")
        else path.stem
    )


def by_origin(profile: Path, top: int = 5) -> list[tuple[str, float]]:
    """The largest shares of the profile's own time, by origin."""
    stats = pstats.Stats(str(profile))
    totals: Counter[str] = Counter()
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        totals[origin(filename, name)] += row[2]  # tottime
    total = sum(totals.values()) or 1.0
    return [(label, seconds / total) for label, seconds in totals.most_common(top)]


def imports_by_package(stderr: str, top: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """``-X importtime`` output → all imports' time, and the packages whose own time is largest
    (seconds). A wpsync module counts as its own package; pydantic's model building at import time
    shows under the wpsync module that declares the models."""
    totals: Counter[str] = Counter()
    for line in stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if not found:
            continue
        name = found.group(2)
        package = ".".join(name.split(".")[:2]) if name.startswith("wpsync.") else name.split(".")[0]
        totals[package] += int(found.group(1)) / 1e6
    return sum(totals.values()), totals.most_common(top)


def describe_shares(shares: list[tuple[str, float]]) -> str:
    return ", ".join(f"{share:.0%} {label}" for label, share in shares)


def describe_imports(imports: list[tuple[str, float]]) -> str:
    return ", ".join(f"{label} {seconds * 1e3:.0f} ms" for label, seconds in imports)
