"""Commands for writing campaign files: fmt (the canonical layout) and init (a new repository)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from wpsync.cli.app import CAMPAIGNS, echo, main, warn


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 listing the files that would change.")
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Rewrite campaign files (default: campaigns/) in the canonical layout, keeping every comment."""
    from wpsync.commands.fmt import fmt_command

    sys.exit(fmt_command(list(paths) or [CAMPAIGNS], check=check, echo=echo, warn=warn))


@main.command()
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Start a campaigns repository in DIRECTORY (default: here): wpsync.toml, .gitignore entries, the CI
    workflow, taplo.toml, the schema and an example campaign. Never overwrites a file."""
    from wpsync.commands.init import init_command

    sys.exit(init_command(directory, echo=echo))
