"""The root of the command line: the `wpsync` group and the one place errors become exit codes.

Every command lives in ``wpsync.commands.*`` and is imported only when run, so ``wpsync --version``
and small commands do not pay for pydantic, httpx or the emulator. Errors from the wpsync family are
printed here and only here (one line each, on stderr), with their exit codes:

    0 ok · 1 error · 2 changes to apply (plan --detailed-exitcode) · 3 refused changes · 4 stale plan ·
    5 state locked · 130 interrupted. Click's usage errors exit 1 (bad input), so 2 always means changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from wpsync import __version__
from wpsync.cli.plain import color, failure, interrupted, setup
from wpsync.errors import EXIT_ERROR

__all__ = ["CAMPAIGNS", "STATE", "color", "echo", "main", "run", "warn"]

CAMPAIGNS = Path("campaigns")
STATE = Path("state")


def echo(text: str) -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


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
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # WpsyncError, or a bug: said plainly, without a traceback unless asked
            code = failure(exc, warn)
            if code is None:
                raise
            ctx.exit(code)
        except KeyboardInterrupt:
            ctx.exit(interrupted(warn))


@click.group(cls=WpsyncGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wpsync", message="%(prog)s %(version)s")
@click.option(
    "--no-color", is_flag=True, help="No colour in the output (also NO_COLOR=1; FORCE_COLOR=1 forces it)."
)
def main(no_color: bool) -> None:
    """Campaigns-as-code for Woodpecker: validate, plan and apply campaign files.

    The API key comes from WOODPECKER_API_KEY (or --api-key-file), the API's address from
    WOODPECKER_API_URL. WPSYNC_LOG=debug logs every request to stderr, with the key redacted.
    """
    # click.echo strips colour codes when stdout is not a terminal; FORCE_COLOR means keep them.
    click.get_current_context().color = setup(no_color)


def run() -> None:
    main()
