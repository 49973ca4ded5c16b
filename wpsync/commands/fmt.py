"""`wpsync fmt [--check] [PATH…]`: campaign files in the one canonical layout (see files/fmt.py).

Exit codes: 0 all formatted (or now formatted); 1 with --check when a file would change (each listed),
or when a file is not valid TOML (each reported with its line; the others are still formatted).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wpsync.commands.validate import files_of
from wpsync.errors import EXIT_ERROR, EXIT_OK
from wpsync.files.fmt import FormatError, format_text


def fmt_command(
    paths: list[Path], *, check: bool, echo: Callable[[str], None], warn: Callable[[str], None]
) -> int:
    files = files_of(paths)
    changed: list[Path] = []
    failed = 0
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            warn(f"error: {path}: cannot read as UTF-8 text: {exc}")
            failed += 1
            continue
        try:
            formatted = format_text(text)
        except FormatError as exc:
            warn(f"error: {path}{_line(str(exc))}: {exc}")
            failed += 1
            continue
        if formatted == text:
            continue
        changed.append(path)
        if check:
            echo(f"would reformat {path}")
        else:
            _write(path, formatted)
            echo(f"reformatted {path}")
    verb = "would be reformatted" if check else "reformatted"
    echo(
        f"{len(files)} campaign file{'s' if len(files) != 1 else ''}: {len(changed)} {verb}, "
        f"{len(files) - len(changed) - failed} already formatted"
        + (f", {failed} not valid TOML" if failed else "")
        + "."
    )
    return EXIT_ERROR if failed or (check and changed) else EXIT_OK


def _line(message: str) -> str:
    import re

    match = re.search(r"at line (\d+)", message)
    return f":{match.group(1)}" if match else ""


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.fmt.tmp")
    tmp.write_bytes(text.encode("utf-8"))
    tmp.replace(path)
