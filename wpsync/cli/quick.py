"""`wpsync plan` before click: the common spellings read without importing it.

Importing click executes more instructions than Python's own start-up, and a no-change plan is
measured against that start-up (#23). So ``wpsync.__main__`` first offers the command line to
``read_plan``, which understands only what CI and scripts type most — ``[--no-color] plan`` with
``--campaigns``, ``--state``, ``--account``, ``--target``, ``--format``, ``--refresh``, ``--offline``,
``--detailed-exitcode`` and ``--strict`` — and returns the very keyword values click's parser gives the
``plan`` command (tests/unit/test_cli_quick.py compares them with click's own parse). Anything else —
help, another command, an option it does not know, one given twice, a value click would refuse, a
value that looks like an option, ``WPSYNC_STATE_DIR`` (an option click reads from the environment),
shell completion, streams click would rewrap — returns None, and click reads the line as ever.

``run`` then does what the ``wpsync`` group and click's ``echo`` do (``wpsync.cli.plain``): the same
setup, the same command function, the same error handler, the same bytes on stdout and stderr.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from wpsync.cli import plain

# click's own pattern of the colour codes it strips (click._compat._ansi_re; a test compares them).
ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")

PATHS = {"--campaigns": "campaigns_dir", "--state": "state_dir"}
MANY = {"--account": "account_names", "--target": "targets"}
CHOICES = {
    "--format": ("output_format", ("text", "json", "markdown")),
    "--refresh": ("refresh", ("changed", "all")),
}
FLAGS = {"--offline": "offline", "--detailed-exitcode": "detailed_exitcode", "--strict": "strict"}
STATE_DIR_ENV = "WPSYNC_STATE_DIR"  # --state's envvar in wpsync.cli.options


def defaults() -> dict[str, Any]:
    """The values click gives `wpsync plan`'s options when none is typed (wpsync.cli.options)."""
    return {
        "no_color": False,
        "campaigns_dir": Path("campaigns"),
        "state_dir": Path("state"),
        "api_key_file": None,
        "offline": False,
        "refresh": "changed",
        "make_editable": None,
        "leave_editable": False,
        "run_after": False,
        "targets": (),
        "output_format": "text",
        "out": None,
        "detailed_exitcode": False,
        "strict": False,
        "account_names": (),
    }


def folder_accepted(value: str | Path) -> bool:
    """Whether click.Path(file_okay=False) takes ``value`` without a complaint: missing, or readable
    and not a regular file (its checks, in its order; a value it refuses goes to click for the message)."""
    try:
        found = Path(value).stat()
    except OSError:
        return True
    return not stat.S_ISREG(found.st_mode) and os.access(value, os.R_OK)


def read_plan(args: Sequence[str], environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The keyword values of `wpsync plan` for ``args`` (sys.argv[1:]), or None: let click read it."""
    values = defaults()
    rest = list(args)
    if rest[:1] == ["--no-color"]:
        values["no_color"] = True
        rest.pop(0)
    if rest[:1] != ["plan"]:
        return None
    rest.pop(0)
    seen: set[str] = set()
    many: dict[str, list[str]] = {name: [] for name in MANY.values()}
    while rest:
        option = rest.pop(0)
        if option in FLAGS:
            if option in seen:
                return None  # a repeated flag is left to click
            values[FLAGS[option]] = True
            seen.add(option)
            continue
        if "=" in option:
            option, value = option.split("=", 1)  # as click splits it (`--offline=x` is its error)
        elif rest:
            value = rest.pop(0)
        else:
            return None
        if option in FLAGS or not value or value.startswith("-") or "\0" in value:
            return None  # `--offline=x`; empty, option-like or impossible values: click decides
        if option in MANY:
            many[MANY[option]].append(value)
            continue
        if option in PATHS and option not in seen:
            values[PATHS[option]] = Path(value)
        elif option in CHOICES and option not in seen and value in CHOICES[option][1]:
            values[CHOICES[option][0]] = value
        else:
            return None
        seen.add(option)
    if "--state" not in seen and STATE_DIR_ENV in environ:
        return None
    if not all(folder_accepted(values[name]) for name in PATHS.values()):
        return None
    for name, given in many.items():
        values[name] = tuple(given)
    return values


def streams_plain(environ: Mapping[str, str]) -> bool:
    """Whether click.echo would write to sys.stdout and sys.stderr as they are (not on Windows, not
    rewrapped for an ASCII or unknown encoding) and would not answer shell completion instead."""
    import codecs
    import io

    if sys.platform.startswith("win"):
        return False
    if any(name.startswith("_") and name.endswith("_COMPLETE") and environ[name] for name in environ):
        return False  # click's _WPSYNC_COMPLETE (named after the program as run): any such, to be sure
    for stream in (sys.stdout, sys.stderr):
        if type(stream) is not io.TextIOWrapper or not stream.encoding or stream.errors is None:
            return False
        try:
            if codecs.lookup(stream.encoding).name == "ascii":
                return False
        except LookupError:
            return False
    return True


class Output:
    """click.echo for text, as the `wpsync` group sets it up: ``color`` None until the group has decided
    (then codes are stripped unless the stream is a terminal), then True (kept) or False (stripped)."""

    def __init__(self) -> None:
        self.color: bool | None = None

    def write(self, stream: IO[str], text: str) -> None:
        out = text + "\n"
        if not self.color and (self.color is False or not _isatty(stream)):
            out = ANSI.sub("", out)
        stream.write(out)
        stream.flush()

    def echo(self, text: str) -> None:
        self.write(sys.stdout, text)

    def warn(self, text: str) -> None:
        self.write(sys.stderr, text)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def run(values: dict[str, Any]) -> None:
    """`wpsync plan` with the values ``read_plan`` gave: what click's group and command would do."""
    out = Output()
    try:
        out.color = plain.setup(values.pop("no_color"))
        plain.plan(**values, echo=out.echo, warn=out.warn)
    except Exception as exc:
        code = plain.failure(exc, out.warn)
        if code is None:
            raise
        sys.exit(code)
    except KeyboardInterrupt:
        sys.exit(plain.interrupted(out.warn))
