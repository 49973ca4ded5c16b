"""Which TOML parser wpsync reads campaign files with: each candidate over the same fleet, in one run.

    python benchmarks/toml_parsers.py [-n 1000] [--reps 5]

Generates N × 16-step campaigns (benchmarks/fleet.py), reads them once into memory, then times parsing
all of them with each parser (median of --reps, after one warm-up), in this one process so the numbers
compare. The candidates:

- ``toml_rs``: what wpsync reads campaign files with (``wpsync.files.toml10``): the Rust ``toml``
  crate told ``toml_version="1.0.0"``; TOML 1.0 exactly by the toml-test suite (tests/toml_test).
- ``rtoml``: the Rust parser wpsync used first. Fast, but it accepts TOML 1.1 (newlines and trailing
  commas in inline tables), so a file could pass wpsync and fail every TOML 1.0 tool.
- ``tomli``: the parser that became the standard library's ``tomllib``, TOML 1.0 exactly, from PyPI
  where its wheels are compiled with mypyc; what wpsync used before toml_rs.
- ``tomllib``: the standard library's pure-Python copy of tomli.
- ``rtoml+1.0-scan``: rtoml plus the cheapest possible 1.0 check, a scan of every inline table for a
  newline or a trailing comma (what "keep rtoml and reject 1.1 syntax" costs at the very least; a real
  check would also need to track strings and comments).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fleet import generate  # a sibling script, not a package

_INLINE = re.compile(r"\{[^{}]*\}")


def _rtoml_scan(text: str) -> Any:
    import rtoml

    document = rtoml.loads(text)
    for match in _INLINE.finditer(text):
        body = match.group(0)
        if "\n" in body or re.search(r",\s*\}$", body):
            raise ValueError("TOML 1.1 inline table")
    return document


def parsers() -> dict[str, Callable[[str], Any]]:
    import tomllib

    import rtoml
    import toml_rs
    import tomli

    return {
        "toml_rs": lambda text: toml_rs.loads(text, toml_version="1.0.0"),
        "rtoml": rtoml.loads,
        "tomli": tomli.loads,
        "tomllib": tomllib.loads,
        "rtoml+1.0-scan": _rtoml_scan,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    import tomli

    compiled = Path(tomli.__file__).with_name("_parser.py").exists() and any(
        Path(tomli.__file__).parent.glob("_parser*.so")
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.n)
        texts = [path.read_bytes().decode("utf-8") for path in paths]
    size = sum(len(t.encode()) for t in texts)
    print(f"{len(texts)} campaign files × 16 steps, {size / 1e6:.1f} MB; tomli compiled (mypyc): {compiled}")
    for name, loads in parsers().items():
        for text in texts[:50]:
            loads(text)  # warm-up
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            for text in texts:
                loads(text)
            times.append(time.perf_counter() - start)
        print(
            f"{name:>16}: median {statistics.median(times):.3f} s  (min {min(times):.3f} s, {args.reps} runs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
