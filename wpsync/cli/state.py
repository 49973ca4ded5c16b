"""`wpsync state …`: read, move and migrate the recorded state. None of them needs the API key.

Each resolves the accounts it acts on (``resolve_accounts``): without --account, every account of
wpsync.toml's [accounts] (or the one account of a repository without it); `state mv` changes one
campaign, so with several accounts it needs --account.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import echo, main
from wpsync.cli.options import account_option, campaigns_option, resolve_accounts, state_option

_FORMAT = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@main.group()
def state() -> None:
    """Inspect the recorded state (state/ or PostgreSQL), move it between them, migrate its schema."""


@state.command(name="list")
@campaigns_option
@state_option
@_FORMAT
@account_option
def list_(campaigns_dir: Path, state_dir: Path, output_format: str, account_names: tuple[str, ...]) -> None:
    """Every recorded campaign: key, campaign id, status, steps, when last applied (per account)."""
    from wpsync.commands.state_view import state_list

    accounts = resolve_accounts(campaigns_dir, state_dir, account_names, "state list", "none")
    sys.exit(state_list(accounts, output_format=output_format, echo=echo))


@state.command()
@click.argument("key")
@campaigns_option
@state_option
@_FORMAT
@account_option
def show(
    key: str, campaigns_dir: Path, state_dir: Path, output_format: str, account_names: tuple[str, ...]
) -> None:
    """One recorded campaign: its ids, status, steps (with their ids and hashes) and when it was applied."""
    from wpsync.commands.state_view import state_show

    accounts = resolve_accounts(campaigns_dir, state_dir, account_names, "state show", "none")
    sys.exit(state_show(accounts, key, output_format=output_format, echo=echo))


@state.command(name="mv")
@click.argument("old")
@click.argument("new")
@campaigns_option
@state_option
@click.option("--account", "account_name", metavar="NAME", help="The account (needed with several).")
def mv(old: str, new: str, campaigns_dir: Path, state_dir: Path, account_name: str | None) -> None:
    """Move the record of OLD to NEW, after `git mv campaigns/OLD.toml campaigns/NEW.toml` with edits.

    A rename with no other change is found by `wpsync plan` on its own; this is for a rename made
    together with edits, so that the plan updates the campaign in place instead of creating a new one."""
    from wpsync.commands.state_view import move_record

    names = () if account_name is None else (account_name,)
    (account,) = resolve_accounts(campaigns_dir, state_dir, names, "state mv", "none", one=True)
    sys.exit(move_record(account.ws, old, new, echo=echo))


_FORCE = click.option(
    "--force", is_flag=True, help="Replace a different state there (another lineage, or one that moved on)."
)


@state.command()
@campaigns_option
@account_option
def migrate(campaigns_dir: Path, account_names: tuple[str, ...]) -> None:
    """Create or upgrade the PostgreSQL state's schema (WPSYNC_STATE_URL); each run does it when needed."""
    from wpsync.commands.state_move import state_migrate

    accounts = resolve_accounts(campaigns_dir, Path("state"), account_names, "state migrate", "none")
    sys.exit(state_migrate(accounts, echo=echo))


@state.command()
@campaigns_option
@state_option
@_FORCE
@account_option
def push(campaigns_dir: Path, state_dir: Path, force: bool, account_names: tuple[str, ...]) -> None:
    """Copy the state/ folder into the PostgreSQL state (WPSYNC_STATE_URL): adopting a shared state."""
    from wpsync.commands.state_move import state_push

    accounts = resolve_accounts(campaigns_dir, state_dir, account_names, "state push", "none")
    sys.exit(state_push(accounts, force=force, echo=echo))


@state.command()
@campaigns_option
@state_option
@_FORCE
@account_option
def pull(campaigns_dir: Path, state_dir: Path, force: bool, account_names: tuple[str, ...]) -> None:
    """Copy the PostgreSQL state (WPSYNC_STATE_URL) into the state/ folder: the way back, or a backup."""
    from wpsync.commands.state_move import state_pull

    accounts = resolve_accounts(campaigns_dir, state_dir, account_names, "state pull", "none")
    sys.exit(state_pull(accounts, force=force, echo=echo))
