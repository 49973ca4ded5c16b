"""Commands on campaign files alone: validate, preview, schema. None of them talks to Woodpecker."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import CAMPAIGNS, echo, main
from wpsync.cli.options import lint_settings, warn_skipped


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def validate(paths: tuple[Path, ...], strict: bool, output_format: str) -> None:
    """Check campaign files (default: campaigns/) and report every problem at once."""
    from wpsync.commands.validate import validate as run_validate
    from wpsync.files.accounts_config import declared

    targets = list(paths) or [CAMPAIGNS]
    for target in targets:
        warn_skipped([target], declared(target) if target.is_dir() else ())
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
def preview(
    campaign_file: Path,
    step: int | None,
    version_letter: str | None,
    prospect_file: Path | None,
    seed: int | None,
) -> None:
    """Show what a prospect would receive: snippets filled, spintax, links, HTML as text."""
    from wpsync.commands.preview import preview_command

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
