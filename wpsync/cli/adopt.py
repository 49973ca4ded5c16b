"""`wpsync adopt KEY…`: Woodpecker's values into the campaign files (drift resolved the other way)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import echo, main
from wpsync.cli.options import lock_timeout_option, workspace_options


@main.command()
@click.argument("keys", nargs=-1, required=True, metavar="KEY…")
@workspace_options
@lock_timeout_option
def adopt(
    keys: tuple[str, ...],
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    lock_timeout: float | None,
) -> None:
    """Rewrite each KEY's file from what Woodpecker holds (comments kept) and record it; no API call
    but the read, and the next plan is empty."""
    from wpsync.commands.adopt import adopt_command
    from wpsync.commands.workspace import read_api_key, workspace

    sys.exit(
        adopt_command(
            workspace(campaigns_dir, state_dir, lock_timeout=lock_timeout),
            read_api_key(api_key_file),
            keys,
            echo=echo,
        )
    )
