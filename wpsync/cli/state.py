"""`wpsync state …`: read (and, later, move and migrate) the recorded state. Reading needs no API key."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import echo, main
from wpsync.cli.options import state_option

_FORMAT = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@main.group()
def state() -> None:
    """Inspect the recorded state (state/): which campaigns wpsync manages, with their ids and steps."""


@state.command(name="list")
@state_option
@_FORMAT
def list_(state_dir: Path, output_format: str) -> None:
    """Every recorded campaign: key, campaign id, status, steps, when last applied."""
    from wpsync.commands.state_view import state_list
    from wpsync.state.store import StateDir

    sys.exit(state_list(StateDir(state_dir), output_format=output_format, echo=echo))


@state.command()
@click.argument("key")
@state_option
@_FORMAT
def show(key: str, state_dir: Path, output_format: str) -> None:
    """One recorded campaign: its ids, status, steps (with their ids and hashes) and when it was applied."""
    from wpsync.commands.state_view import state_show
    from wpsync.state.store import StateDir

    sys.exit(state_show(StateDir(state_dir), key, output_format=output_format, echo=echo))


@state.command(name="mv")
@click.argument("old")
@click.argument("new")
@state_option
def mv(old: str, new: str, state_dir: Path) -> None:
    """Move the record of OLD to NEW, after `git mv campaigns/OLD.toml campaigns/NEW.toml` with edits.

    A rename with no other change is found by `wpsync plan` on its own; this is for a rename made
    together with edits, so that the plan updates the campaign in place instead of creating a new one."""
    from wpsync.commands.state_view import state_move
    from wpsync.state.store import StateDir

    sys.exit(state_move(StateDir(state_dir), old, new, echo=echo))
