"""Helpers for the hardening tests: run the CLI in-process and read what it said."""

from __future__ import annotations

from collections.abc import Sequence

from click.testing import CliRunner, Result

from wpsync.cli import main

# With WPSYNC_DEBUG set the CLI re-raises bugs on purpose; these tests want what a user sees.
BASE_ENV: dict[str, str | None] = {
    "WPSYNC_DEBUG": None,
    "WPSYNC_LOG": None,
    "WOODPECKER_API_KEY": None,
    "WOODPECKER_API_URL": None,
    "WPSYNC_HTTP_TIMEOUT": None,
    "GITHUB_STEP_SUMMARY": None,
    "WPSYNC_ALLOW_HTTP": None,
    "WPSYNC_STATE_URL": None,
}


def cli(args: Sequence[str], **env: str | None) -> Result:
    return CliRunner().invoke(main, list(args), env=BASE_ENV | env)


def assert_clear_error(result: Result, *needles: str, code: int = 1) -> None:
    """A documented exit code, one line per problem naming what to fix, and no traceback."""
    output = result.output
    assert result.exit_code == code, output
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for needle in needles:
        assert needle in output, (needle, output)
