"""The floor a wpsync run is compared with: read and parse every campaign file, and nothing else.

    python benchmarks/floor.py toml_rs|rtoml|tomllib|tomli DIR

Run as its own process, like wpsync, so both include the interpreter's start-up. The work mirrors the
least wpsync must do to know a file's content: read its bytes, decode them as UTF-8, parse the TOML.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def loader(name: str) -> Any:
    if name == "toml_rs":
        import toml_rs

        return lambda text: toml_rs.loads(text, toml_version="1.0.0")  # as wpsync.files.toml10 reads
    if name == "rtoml":
        import rtoml

        return rtoml.loads
    if name == "tomllib":
        import tomllib

        return tomllib.loads
    if name == "tomli":
        import tomli  # type: ignore[import-not-found]

        return tomli.loads
    raise SystemExit(f"unknown parser {name!r}: toml_rs, rtoml, tomllib or tomli")


def main() -> int:
    name, directory = sys.argv[1], Path(sys.argv[2])
    loads = loader(name)
    count = 0
    for path in sorted(directory.glob("*.toml")):
        loads(path.read_bytes().decode("utf-8"))
        count += 1
    print(f"{name}: parsed {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
