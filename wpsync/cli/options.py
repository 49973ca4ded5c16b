"""Options several commands share (the translation of plan flags into a PlanRequest is in ``plain``)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wpsync.cli import plain
from wpsync.cli.app import CAMPAIGNS, STATE
from wpsync.cli.plain import plan_request

__all__ = ["plan_request", "resolve_accounts", "warn_skipped"]

if TYPE_CHECKING:
    from wpsync.commands.resolve import Keys


def lint_settings(campaign_paths: list[Path]) -> Any:
    """The [lint] table of the wpsync.toml next to the campaigns folder, active for this command."""
    from wpsync.files import lint_config

    return lint_config.configured(lint_config.load(lint_config.config_path(campaign_paths)))


def warn_skipped(folders: list[Path], accounts: Collection[str] = ()) -> None:
    """One warning on stderr per entry of a campaigns folder that is not read (and why)."""
    from wpsync.cli.app import warn

    plain.warn_skipped(folders, accounts, warn)


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
    """The accounts a command acts on (``wpsync.cli.plain.resolve_accounts``), warnings on stderr."""
    from wpsync.cli.app import warn

    return plain.resolve_accounts(
        campaigns,
        state,
        names,
        command,
        keys,
        api_key_file,
        lock_timeout,
        warn=warn,
        one=one,
        layout=layout,
        needs_state=needs_state,
    )


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
