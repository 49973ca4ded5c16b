"""The parts of the command line that do not need click, shared by click's commands and by the
pre-click path of ``wpsync plan`` (``wpsync.cli.quick``): colour, the one error handler, the
accounts a command acts on, and the plan command's translation into ``plan_command``.

Importing click executes more instructions than Python's own start-up, and a no-change plan is
measured against that start-up (#23), so nothing here imports click except on an error path the
pre-click reader never takes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wpsync.errors import EXIT_ERROR, WpsyncError, redact

if TYPE_CHECKING:
    from wpsync.commands.resolve import Keys

Say = Callable[[str], None]

options = {"no_color": False}  # set by the group's --no-color for this run


def color() -> bool:
    """Whether output is coloured: --no-color and NO_COLOR (https://no-color.org) turn it off;
    FORCE_COLOR (not "0") turns it on, even into a pipe (CI logs); otherwise a terminal that is not
    TERM=dumb gets colour."""
    from wpsync.commands.workspace import environment

    env = environment()
    if options["no_color"] or env.no_color:
        return False
    if env.force_color:
        return True
    if env.dumb_terminal:
        return False
    return sys.stdout.isatty()


def setup(no_color: bool) -> bool:
    """What the `wpsync` group does before any command: --no-color, every environment variable
    checked once, up front (a bad one stops here, clearly), logging; returns whether to colour."""
    options["no_color"] = no_color
    colour = color()
    from wpsync.commands.workspace import environment

    env = environment()
    if env.log_level:
        from wpsync.logs import configure

        configure(env.log_level)
    return colour


def failure(exc: BaseException, say: Say) -> int | None:
    """The one place an error raised by a command becomes lines on stderr and an exit code; None:
    re-raise it (a bug, with WPSYNC_DEBUG set, shows its traceback)."""
    if isinstance(exc, WpsyncError):
        for line in exc.lines():
            say(f"error: {line}")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return interrupted(say)
    from wpsync.commands.workspace import debug_requested

    if debug_requested():
        return None
    say(f"internal error (a bug in wpsync; please report it): {redact(repr(exc))}")
    say("set WPSYNC_DEBUG=1 to see the traceback")
    return EXIT_ERROR


def interrupted(say: Say) -> int:
    say("interrupted")
    return 130


def warn_skipped(folders: list[Path], accounts: Collection[str], warn: Say) -> None:
    """One warning on stderr per entry of a campaigns folder that is not read (and why); the folders
    of ``accounts`` are read, each as its account's campaigns folder."""
    from wpsync.files.sources import skipped_entries

    for folder in folders:
        if folder.is_dir():
            for line in skipped_entries(folder, accounts):
                warn(f"warning: {line}")
        for name in accounts:
            if (folder / name).is_dir():
                for line in skipped_entries(folder / name):
                    warn(f"warning: {line}")


def resolve_accounts(
    campaigns: Path,
    state: Path,
    names: Sequence[str],
    command: str,
    keys: Keys,
    api_key_file: Path | None = None,
    lock_timeout: float | None = None,
    *,
    warn: Say,
    one: bool = False,
    layout: bool = False,
    needs_state: bool = True,
) -> Any:
    """The accounts a command acts on (``wpsync.commands.resolve``); with ``layout``, a warning for each
    entry of the campaigns folder that is not read."""
    from wpsync.commands.resolve import resolve
    from wpsync.files.accounts_config import declared

    accounts = resolve(
        campaigns,
        state,
        names,
        command=command,
        keys=keys,
        api_key_file=api_key_file,
        lock_timeout=lock_timeout,
        one=one,
        layout=layout,
        needs_state=needs_state,
    )
    if layout:
        warn_skipped([campaigns], list(declared(campaigns)), warn)
    return accounts


def plan_request(
    offline: bool,
    refresh: str,
    make_editable: bool | None,
    leave_editable: bool,
    run_after: bool,
    targets: tuple[str, ...] = (),
) -> Any:
    from wpsync.commands.plan import PlanRequest

    if (run_after or leave_editable) and not make_editable:
        import click  # only on this error, which the pre-click reader never lets through

        raise click.UsageError("--leave-editable goes with --make-editable")
    if run_after and leave_editable:
        import click

        raise click.UsageError("--run-after (now the default) and --leave-editable contradict each other")
    return PlanRequest(
        offline=offline,
        refresh_all=refresh == "all",
        make_editable=make_editable,
        leave_editable=leave_editable,
        targets=tuple(targets),
    )


def plan(
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    offline: bool,
    refresh: str,
    make_editable: bool | None,
    leave_editable: bool,
    run_after: bool,
    targets: tuple[str, ...],
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
    strict: bool,
    account_names: tuple[str, ...],
    *,
    echo: Say,
    warn: Say,
) -> None:
    """`wpsync plan`, its options as click reads them: the accounts, the plan, the exit code."""
    from wpsync.commands.plan import plan_command

    request = plan_request(offline, refresh, make_editable, leave_editable, run_after, targets)
    accounts = resolve_accounts(
        campaigns_dir,
        state_dir,
        account_names,
        "plan",
        "none" if offline else "optional",
        api_key_file,
        warn=warn,
        layout=True,
    )
    sys.exit(
        plan_command(
            accounts,
            request,
            output_format=output_format,
            out=out,
            detailed=detailed_exitcode,
            color=color(),
            echo=echo,
            warn=warn,
            strict=strict,
        )
    )
