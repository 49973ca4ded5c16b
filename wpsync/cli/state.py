"""`wpsync state …`: read, move and migrate the recorded state. None of them needs the API key."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import CAMPAIGNS, echo, main
from wpsync.cli.options import campaigns_option, state_option

_FORMAT = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@main.group()
def state() -> None:
    """Inspect the recorded state (state/ or PostgreSQL), move it between them, migrate its schema."""


@state.command(name="list")
@state_option
@_FORMAT
def list_(state_dir: Path, output_format: str) -> None:
    """Every recorded campaign: key, campaign id, status, steps, when last applied."""
    from wpsync.commands.state_view import state_list
    from wpsync.commands.workspace import workspace

    sys.exit(state_list(workspace(CAMPAIGNS, state_dir).state, output_format=output_format, echo=echo))


@state.command()
@click.argument("key")
@state_option
@_FORMAT
def show(key: str, state_dir: Path, output_format: str) -> None:
    """One recorded campaign: its ids, status, steps (with their ids and hashes) and when it was applied."""
    from wpsync.commands.state_view import state_show
    from wpsync.commands.workspace import workspace

    sys.exit(state_show(workspace(CAMPAIGNS, state_dir).state, key, output_format=output_format, echo=echo))


@state.command(name="mv")
@click.argument("old")
@click.argument("new")
@state_option
def mv(old: str, new: str, state_dir: Path) -> None:
    """Move the record of OLD to NEW, after `git mv campaigns/OLD.toml campaigns/NEW.toml` with edits.

    A rename with no other change is found by `wpsync plan` on its own; this is for a rename made
    together with edits, so that the plan updates the campaign in place instead of creating a new one."""
    from wpsync.commands.state_view import move_record
    from wpsync.commands.workspace import workspace

    sys.exit(move_record(workspace(CAMPAIGNS, state_dir).state, old, new, echo=echo))


_FORCE = click.option(
    "--force", is_flag=True, help="Replace a different state there (another lineage, or one that moved on)."
)


@state.command()
@campaigns_option
def migrate(campaigns_dir: Path) -> None:
    """Create or upgrade the PostgreSQL state's schema (WPSYNC_STATE_URL); each run does it when needed."""
    from wpsync.commands.state_move import state_migrate

    sys.exit(state_migrate(campaigns_dir, echo=echo))


@state.command()
@campaigns_option
@state_option
@_FORCE
def push(campaigns_dir: Path, state_dir: Path, force: bool) -> None:
    """Copy the state/ folder into the PostgreSQL state (WPSYNC_STATE_URL): adopting a shared state."""
    from wpsync.commands.state_move import state_push

    sys.exit(state_push(campaigns_dir, state_dir, force=force, echo=echo))


@state.command()
@campaigns_option
@state_option
@_FORCE
def pull(campaigns_dir: Path, state_dir: Path, force: bool) -> None:
    """Copy the PostgreSQL state (WPSYNC_STATE_URL) into the state/ folder: the way back, or a backup."""
    from wpsync.commands.state_move import state_pull

    sys.exit(state_pull(campaigns_dir, state_dir, force=force, echo=echo))
