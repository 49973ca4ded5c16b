"""`wpsync adopt KEY…`: Woodpecker's values into the campaign files (drift resolved the other way)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import echo, main
from wpsync.cli.options import lock_timeout_option, resolve_accounts, workspace_options
from wpsync.cli.sync import one_account_option


@main.command()
@click.argument("keys", nargs=-1, required=True, metavar="KEY…")
@workspace_options
@lock_timeout_option
@one_account_option
def adopt(
    keys: tuple[str, ...],
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    lock_timeout: float | None,
    account_name: str | None,
) -> None:
    """Rewrite each KEY's file from what Woodpecker holds (comments kept) and record it; no API call
    but the read, and the next plan is empty."""
    from wpsync.commands.adopt import adopt_command

    names = () if account_name is None else (account_name,)
    (account,) = resolve_accounts(
        campaigns_dir, state_dir, names, "adopt", "need", api_key_file, lock_timeout, one=True
    )
    sys.exit(adopt_command(account, keys, echo=echo))
