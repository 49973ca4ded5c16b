"""Commands on campaign files alone: validate, preview, schema. None of them talks to Woodpecker."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import CAMPAIGNS, echo, main
from wpsync.cli.options import account_option, lint_settings, resolve_accounts, warn_skipped


def account_folders(paths: tuple[Path, ...], names: tuple[str, ...], command: str) -> list[Path]:
    """The folders or files to read: PATH…, or campaigns/ (with its declared account folders), or with
    --account only those accounts' folders."""
    if not names:
        return list(paths) or [CAMPAIGNS]
    if paths:
        raise click.UsageError("give PATH… or --account NAME, not both")
    from wpsync.cli.app import STATE

    return [
        account.ws.campaigns
        for account in resolve_accounts(CAMPAIGNS, STATE, names, command, "none", needs_state=False)
    ]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@account_option
def validate(
    paths: tuple[Path, ...], strict: bool, output_format: str, account_names: tuple[str, ...]
) -> None:
    """Check campaign files (default: campaigns/) and report every problem at once."""
    from wpsync.commands.validate import validate as run_validate
    from wpsync.files.accounts_config import declared

    targets = account_folders(paths, account_names, "validate")
    for target in targets:
        warn_skipped([target], declared(target) if target.is_dir() else ())
    import gc

    # Everything imported so far (pydantic's schemas, the models, click) lives until exit: frozen, the
    # collector no longer walks it while a fleet's files are checked (1,000 × 16: 4.5% of the
    # instructions of validate, as much as disabling the collector saved).
    gc.freeze()
    with lint_settings(targets):
        sys.exit(run_validate(targets, strict=strict, output_format=output_format, echo=echo))


@main.command()
@click.argument("campaign_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--step", type=click.IntRange(min=1), help="Only this step (1 = the first).")
@click.option("--version", "version_letter", type=click.Choice(list("ABCDE")), help="Only this A/B version.")
@click.option(
    "--prospect",
    "prospect_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help='A JSON object of the prospect\'s fields, e.g. {"first_name": "Ada"}; default: a sample.',
)
@click.option("--seed", type=int, help="Pick one spintax variant per prospect, reproducibly.")
@click.option(
    "--account",
    "account_name",
    metavar="NAME",
    help="FILE is a campaign key (or file name) in this account's folder, campaigns/NAME/.",
)
def preview(
    campaign_file: Path,
    step: int | None,
    version_letter: str | None,
    prospect_file: Path | None,
    seed: int | None,
    account_name: str | None,
) -> None:
    """Show what a prospect would receive: snippets filled, spintax, links, HTML as text."""
    from wpsync.commands.preview import preview_command

    if account_name is not None:
        from wpsync.cli.app import STATE

        (account,) = resolve_accounts(
            CAMPAIGNS, STATE, (account_name,), "preview", "none", one=True, needs_state=False
        )
        name = campaign_file.name if campaign_file.suffix == ".toml" else f"{campaign_file.name}.toml"
        campaign_file = account.ws.campaigns / name

    sys.exit(
        preview_command(
            campaign_file,
            step=step,
            version=version_letter,
            prospect_file=prospect_file,
            seed=seed,
            echo=echo,
        )
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of the campaign file format (for editors: `#:schema` in TOML)."""
    from wpsync.files.schema import schema_json

    # Exactly the bytes of schema/campaign.schema.json (which ends in one newline): `wpsync schema > FILE`.
    click.echo(schema_json(), nl=False)
