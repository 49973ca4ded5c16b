"""The command line: options in, a call to a command function, an exit code out.

Every command lives in ``wpsync.commands.*`` and is imported only when run, so ``wpsync --version``
and small commands do not pay for pydantic, httpx or the emulator. Errors from the wpsync family are
printed here and only here (one line each, on stderr), with their exit codes:

    0 ok · 1 error · 2 changes to apply (plan --detailed-exitcode) · 3 refused changes · 4 stale plan ·
    5 state locked · 130 interrupted. Click's usage errors exit 1 (bad input), so 2 always means changes.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from wpsync import __version__
from wpsync.errors import EXIT_ERROR, WpsyncError, redact

CAMPAIGNS = Path("campaigns")
STATE = Path("state")


def _echo(text: str) -> None:
    click.echo(text)


def _warn(text: str) -> None:
    click.echo(text, err=True)


def _color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _as_input_error(exc: click.UsageError) -> None:
    # Click exits 2 on usage errors; wpsync reserves 2 for "changes to apply", so a usage error is 1.
    setattr(exc, "exit_code", EXIT_ERROR)  # noqa: B010 - an instance override of a class attribute


class WpsyncGroup(click.Group):
    """Turns wpsync errors into one line on stderr and an exit code; never a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            _as_input_error(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _as_input_error(exc)
            raise
        except WpsyncError as exc:
            for line in exc.lines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly, without a traceback unless asked
            if os.environ.get("WPSYNC_DEBUG"):
                raise
            click.echo(f"internal error (a bug in wpsync; please report it): {redact(repr(exc))}", err=True)
            click.echo("set WPSYNC_DEBUG=1 to see the traceback", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=WpsyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wpsync", message="%(prog)s %(version)s")
def main() -> None:
    """Campaigns-as-code for Woodpecker: validate, plan and apply campaign files.

    The API key comes from WOODPECKER_API_KEY (or --api-key-file), the API's address from
    WOODPECKER_API_URL. WPSYNC_LOG=debug logs every request to stderr, with the key redacted.
    """
    if os.environ.get("WPSYNC_LOG"):
        from wpsync.logs import configure_from_env

        configure_from_env()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def validate(paths: tuple[Path, ...], strict: bool, output_format: str) -> None:
    """Check campaign files (default: campaigns/) and report every problem at once."""
    from wpsync.commands.validate import validate as run_validate

    targets = list(paths) or [CAMPAIGNS]
    with _lint_settings(targets):
        sys.exit(run_validate(targets, strict=strict, output_format=output_format, echo=_echo))


def _lint_settings(campaign_paths: list[Path]) -> Any:
    """The [lint] table of the wpsync.toml next to the campaigns folder, active for this command."""
    from wpsync import lint_config

    return lint_config.configured(lint_config.load(lint_config.config_path(campaign_paths)))


_state_option = click.option(
    "--state",
    "state_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=STATE,
    show_default=True,
    envvar="WPSYNC_STATE_DIR",
    help="Folder of the recorded state (env WPSYNC_STATE_DIR).",
)


def _workspace_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--campaigns",
        "campaigns_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=CAMPAIGNS,
        show_default=True,
        help="Folder of campaign files.",
    )(command)
    command = _state_option(command)
    return click.option(
        "--api-key-file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Read the API key from this file instead of WOODPECKER_API_KEY.",
    )(command)


def _plan_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option(
                "--offline", is_flag=True, help="Plan from the recorded state alone; do not ask Woodpecker."
            ),
            click.option(
                "--refresh",
                type=click.Choice(["changed", "all"]),
                default="changed",
                show_default=True,
                help="Read from Woodpecker only the campaigns the plan would change, or all (reports drift).",
            ),
            click.option(
                "--make-editable",
                is_flag=True,
                help="Make a RUNNING/PAUSED/STOPPED/COMPLETED campaign EDITED to append.",
            ),
            click.option(
                "--run-after", is_flag=True, help="With --make-editable: run the campaign again afterwards."
            ),
        ]
    ):
        command = option(command)
    return command


def _request(offline: bool, refresh: str, make_editable: bool, run_after: bool) -> Any:
    from wpsync.commands.plan import PlanRequest

    if run_after and not make_editable:
        raise click.UsageError("--run-after goes with --make-editable")
    return PlanRequest(
        offline=offline, refresh_all=refresh == "all", make_editable=make_editable, run_after=run_after
    )


@main.command()
@_workspace_options
@_plan_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: for a pull-request comment (also added to $GITHUB_STEP_SUMMARY when set).",
)
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), help="Save the plan for `wpsync apply FILE`."
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes to apply (0 when none)."
)
@click.option("--strict", is_flag=True, help="Treat warnings about campaign files as errors.")
def plan(
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    offline: bool,
    refresh: str,
    make_editable: bool,
    run_after: bool,
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
    strict: bool,
) -> None:
    """Show what apply would do, and refuse what the API forbids (exit 3)."""
    from wpsync.commands.common import api_key, workspace
    from wpsync.commands.plan import plan_command

    sys.exit(
        plan_command(
            workspace(campaigns_dir, state_dir),
            api_key(api_key_file),
            _request(offline, refresh, make_editable, run_after),
            output_format=output_format,
            out=out,
            detailed=detailed_exitcode,
            color=_color(),
            echo=_echo,
            warn=_warn,
            strict=strict,
        )
    )


@main.command()
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@_workspace_options
@_plan_options
@click.option("--auto-approve", is_flag=True, help="Apply without asking (for CI).")
def apply(
    plan_file: Path | None,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    offline: bool,
    refresh: str,
    make_editable: bool,
    run_after: bool,
    auto_approve: bool,
) -> None:
    """Make Woodpecker match the campaign files (or apply a saved PLAN_FILE exactly)."""
    from wpsync.commands.apply import apply_command
    from wpsync.commands.common import api_key, workspace

    if offline:
        raise click.UsageError("apply always reads Woodpecker before changing it; --offline is for plan only")
    sys.exit(
        apply_command(
            workspace(campaigns_dir, state_dir),
            api_key(api_key_file),
            _request(offline, refresh, make_editable, run_after),
            plan_file=plan_file,
            auto_approve=auto_approve,
            interactive=sys.stdin.isatty(),
            confirm=lambda: click.confirm("Apply these changes to Woodpecker?", default=False),
            color=_color(),
            echo=_echo,
            progress_bar=_progress_bar if sys.stdout.isatty() else None,
        )
    )


@contextlib.contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[], None]]:
    with click.progressbar(length=total, label="Applying", show_pos=True, show_eta=True) as bar:
        yield lambda: bar.update(1)


@main.command(name="import")
@click.argument("campaign_id", type=click.IntRange(min=1))
@click.option("--key", "campaign_key", help="The campaign key (file name) to use; default: from its name.")
@click.option(
    "--force", is_flag=True, help="Overwrite an existing campaign file whose key is not in the state."
)
@_workspace_options
def import_(
    campaign_id: int,
    campaign_key: str | None,
    force: bool,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
) -> None:
    """Adopt an existing Woodpecker campaign: write campaigns/KEY.toml and its state record."""
    from wpsync.commands.common import api_key, workspace
    from wpsync.commands.import_ import import_command

    sys.exit(
        import_command(
            workspace(campaigns_dir, state_dir),
            api_key(api_key_file),
            campaign_id,
            campaign_key,
            force=force,
            echo=_echo,
        )
    )


@main.command()
@click.argument("key")
@_workspace_options
def forget(key: str, campaigns_dir: Path, state_dir: Path, api_key_file: Path | None) -> None:
    """Stop tracking KEY (Woodpecker and the file are left as they are)."""
    from wpsync.commands.common import workspace
    from wpsync.commands.forget import forget_command

    sys.exit(forget_command(workspace(campaigns_dir, state_dir), key, echo=_echo))


@main.command(name="force-unlock")
@click.argument("lock_id")
@_state_option
def force_unlock(lock_id: str, state_dir: Path) -> None:
    """Remove the state lock LOCK_ID left by a run that died on another machine."""
    from wpsync.lock import describe
    from wpsync.lock import force_unlock as unlock

    holder = unlock(state_dir, lock_id)
    click.echo(f"Removed {describe(holder)}.")


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
            echo=_echo,
        )
    )


@main.command()
def schema() -> None:
    """Print the JSON Schema of the campaign file format (for editors: `#:schema` in TOML)."""
    from wpsync.schema import schema_json

    click.echo(schema_json())


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
    latency_ms: int,
) -> None:
    """Serve a local, strict Woodpecker API emulator over HTTP (for tests, demos and rehearsals)."""
    from wpsync.emulator.server import serve

    serve(host, port, list(api_keys), persist, seed_examples, latency=latency_ms / 1000)


def run() -> None:
    main()
