"""Commands for writing campaign files: fmt (the canonical layout) and init (a new repository)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import echo, main, warn
from wpsync.cli.options import account_option


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 listing the files that would change.")
@account_option
def fmt(paths: tuple[Path, ...], check: bool, account_names: tuple[str, ...]) -> None:
    """Rewrite campaign files (default: campaigns/) in the canonical layout, keeping every comment."""
    from wpsync.cli.files import account_folders
    from wpsync.commands.fmt import fmt_command

    sys.exit(fmt_command(account_folders(paths, account_names, "fmt"), check=check, echo=echo, warn=warn))


@main.command()
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--companies",
    "company_ids",
    metavar="ID,ID",
    help="Declare these client companies of the agency key as [accounts] (`wpsync accounts --companies`).",
)
@click.option("--all-companies", is_flag=True, help="Declare every client company of the agency key.")
@click.option(
    "--key-env",
    default="WOODPECKER_API_KEY",
    show_default=True,
    metavar="VAR",
    help="The variable holding the agency's HQ key: read now, and named by each account's api_key_env.",
)
@click.option(
    "--drift",
    is_flag=True,
    help="Also write the daily drift workflow, which proposes edits made in Woodpecker's app as pull requests.",
)
def init(directory: Path, company_ids: str | None, all_companies: bool, key_env: str, drift: bool) -> None:
    """Start a campaigns repository in DIRECTORY (default: here): wpsync.toml, .gitignore entries, the CI
    workflow, taplo.toml, the schema and an example campaign. Never overwrites a file (account tables
    are appended to an existing wpsync.toml)."""
    from wpsync.commands.init import init_command
    from wpsync.files.accounts_config import ENV_NAME

    if company_ids is not None and all_companies:
        raise click.UsageError("--companies ID,ID or --all-companies, not both")
    if drift and (company_ids is not None or all_companies):
        raise click.UsageError(
            "--drift sets up `wpsync adopt`, which acts on one account per folder: not with "
            "--companies/--all-companies (run `wpsync init --drift` in a folder per account)"
        )
    if not ENV_NAME.match(key_env):
        raise click.UsageError(f"--key-env must name an environment variable, not {key_env!r}")
    wanted = None
    if company_ids is not None:
        parts = [part.strip() for part in company_ids.split(",") if part.strip()]
        if not parts or not all(part.isascii() and part.isdigit() and int(part) > 0 for part in parts):
            raise click.UsageError(
                f"--companies takes company ids separated by commas, e.g. 501,502; not {company_ids!r}"
            )
        wanted = [int(part) for part in parts]
    sys.exit(
        init_command(
            directory, echo=echo, companies=wanted, all_companies=all_companies, key_env=key_env, drift=drift
        )
    )
