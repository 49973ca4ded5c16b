"""Options several commands share, and the translation of plan flags into a PlanRequest."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wpsync.cli.app import CAMPAIGNS, STATE

if TYPE_CHECKING:
    from wpsync.commands.resolve import Keys


def lint_settings(campaign_paths: list[Path]) -> Any:
    """The [lint] table of the wpsync.toml next to the campaigns folder, active for this command."""
    from wpsync.files import lint_config

    return lint_config.configured(lint_config.load(lint_config.config_path(campaign_paths)))


def warn_skipped(folders: list[Path], accounts: Collection[str] = ()) -> None:
    """One warning on stderr per entry of a campaigns folder that is not read (and why); the folders
    of ``accounts`` are read, each as its account's campaigns folder."""
    from wpsync.cli.app import warn
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
    one: bool = False,
    layout: bool = False,
    needs_state: bool = True,
) -> Any:
    """The accounts a command acts on (``wpsync.commands.resolve``); with ``layout``, a warning for each
    entry of the campaigns folder that is not read."""
    from wpsync.commands.resolve import resolve

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
        warn_skipped([campaigns], _declared(campaigns))
    return accounts


def _declared(campaigns: Path) -> list[str]:
    from wpsync.files.accounts_config import declared

    return list(declared(campaigns))


account_option = click.option(
    "--account",
    "account_names",
    multiple=True,
    metavar="NAME",
    help="Only this account of wpsync.toml's [accounts] (repeatable); default: every account.",
)


state_option = click.option(
    "--state",
    "state_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=STATE,
    show_default=True,
    envvar="WPSYNC_STATE_DIR",
    help="Folder of the recorded state (env WPSYNC_STATE_DIR).",
)


campaigns_option = click.option(
    "--campaigns",
    "campaigns_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=CAMPAIGNS,
    show_default=True,
    help="Folder of campaign files (wpsync.toml is read next to it).",
)

lock_timeout_option = click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0, max=24 * 3600),
    default=None,
    metavar="SECONDS",
    help="Wait this long for another run's state lock before exit 5 "
    "(default: 180 with a PostgreSQL state, 0 with state/).",
)


def workspace_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = campaigns_option(command)
    command = state_option(command)
    return click.option(
        "--api-key-file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Read the API key from this file instead of WOODPECKER_API_KEY.",
    )(command)


def plan_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--offline", is_flag=True, help="Plan from the recorded state alone; do not ask Woodpecker."
            ),
            click.option(
                "--refresh",
                type=click.Choice(["changed", "all"]),
                default="changed",
                show_default=True,
                help="Read from Woodpecker only the campaigns the plan would change, or all (reports drift).",
            ),
            click.option(
                "--make-editable/--no-make-editable",
                default=None,
                help="Make a RUNNING/PAUSED/STOPPED/COMPLETED campaign EDITED for its edits, then set it "
                "back (default: wpsync.toml's [apply] make_editable, or the file's own).",
            ),
            click.option(
                "--leave-editable",
                is_flag=True,
                help="With --make-editable: leave the campaign EDITED (sending nothing), do not restore its status.",
            ),
            click.option(
                "--run-after", is_flag=True, hidden=True, help="Accepted for old scripts: now the default."
            ),
            click.option(
                "--target",
                "targets",
                multiple=True,
                metavar="KEY",
                help="Plan only this campaign (repeatable); the others are not read or considered.",
            ),
        ]
    ):
        command = option(command)
    return command


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
        raise click.UsageError("--leave-editable goes with --make-editable")
    if run_after and leave_editable:
        raise click.UsageError("--run-after (now the default) and --leave-editable contradict each other")
    return PlanRequest(
        offline=offline,
        refresh_all=refresh == "all",
        make_editable=make_editable,
        leave_editable=leave_editable,
        targets=tuple(targets),
    )
