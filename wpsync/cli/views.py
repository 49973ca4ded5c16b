"""Commands that show things and change nothing: a saved plan, the account's mailboxes and LinkedIn accounts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import STATE, color, echo, main
from wpsync.cli.options import account_option, campaigns_option, resolve_accounts


@main.command()
@click.argument("plan_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def show(plan_file: Path, output_format: str) -> None:
    """Show a saved plan (from `wpsync plan --out FILE`) as text, JSON or markdown."""
    from wpsync.commands.show import show_command

    sys.exit(show_command(plan_file, output_format=output_format, color=color(), echo=echo))


@main.command()
@campaigns_option
@click.option(
    "--api-key-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the API key from this file instead of WOODPECKER_API_KEY.",
)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--save-names",
    is_flag=True,
    help="Also cache the addresses and names in CAMPAIGNS/.wpsync-names.json (commit it), so plans made "
    "offline show names instead of ids.",
)
@click.option(
    "--companies",
    is_flag=True,
    help="With an agency's HQ key: list its client companies and their ids (for company_id).",
)
@account_option
def accounts(
    campaigns_dir: Path,
    api_key_file: Path | None,
    output_format: str,
    save_names: bool,
    companies: bool,
    account_names: tuple[str, ...],
) -> None:
    """List the mailbox ids (SMTP, with address and health) and LinkedIn account ids a campaign may use."""
    import datetime

    chosen = resolve_accounts(
        campaigns_dir, STATE, account_names, "accounts", "need", api_key_file, needs_state=False
    )
    if companies:
        from wpsync.commands.companies import companies_command

        sys.exit(companies_command(chosen, output_format=output_format, echo=echo))
    from wpsync.commands.accounts import accounts_command

    today = datetime.datetime.now(datetime.UTC).date().isoformat() if save_names else None
    sys.exit(accounts_command(chosen, output_format=output_format, echo=echo, save_names=today))
