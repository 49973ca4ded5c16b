"""The local Woodpecker emulator, for tests, demos and rehearsals."""

from __future__ import annotations

from pathlib import Path

import click

from wpsync.cli.app import main


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--api-key", "api_keys", multiple=True, help="Accept only this key (repeatable); default: any.")
@click.option(
    "--persist", type=click.Path(path_type=Path), help="Keep the emulator's data in this JSON file."
)
@click.option(
    "--seed-examples", is_flag=True, help="Create the mailboxes and LinkedIn account of the spec examples."
)
@click.option(
    "--seed-sample",
    is_flag=True,
    help="Give every new account Woodpecker's own sample campaign, which the API cannot read (409).",
)
@click.option(
    "--latency-ms",
    default=0,
    show_default=True,
    type=click.IntRange(0, 60_000),
    help="Add this much latency to every API request (for benchmarks).",
)
def emulator(
    host: str,
    port: int,
    api_keys: tuple[str, ...],
    persist: Path | None,
    seed_examples: bool,
    seed_sample: bool,
    latency_ms: int,
) -> None:
    """Serve a local, strict Woodpecker API emulator over HTTP (for tests, demos and rehearsals)."""
    from wpsync.emulator.server import serve

    serve(
        host, port, list(api_keys), persist, seed_examples, latency=latency_ms / 1000, seed_sample=seed_sample
    )
