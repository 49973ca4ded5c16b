"""`wpsync state migrate`, `state push` and `state pull`: the PostgreSQL state's schema, and moving a
whole state between the ``state/`` folder and the database (see docs/shared-state.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wpsync.commands.workspace import state_url
from wpsync.errors import EXIT_OK, InputError
from wpsync.state.backend import STATE_URL_ENV


def _url(campaigns: Path, command: str) -> str:
    url = state_url(campaigns)
    if url is None:
        raise InputError(
            f"`wpsync state {command}` needs a PostgreSQL state: set {STATE_URL_ENV} (or the variable "
            'that wpsync.toml names with [state] url_env = "VAR") to its postgresql:// URL'
        )
    return url


def state_migrate(campaigns: Path, *, echo: Callable[[str], None]) -> int:
    from wpsync.state.pg_schema import migrate

    echo(migrate(_url(campaigns, "migrate")))
    return EXIT_OK


def state_push(campaigns: Path, state_dir: Path, *, force: bool, echo: Callable[[str], None]) -> int:
    """The folder ``state_dir`` → the database workspace."""
    from wpsync.state.pg_transfer import push

    echo(push(state_dir, _url(campaigns, "push"), force=force).capitalize() + ".")
    return EXIT_OK


def state_pull(campaigns: Path, state_dir: Path, *, force: bool, echo: Callable[[str], None]) -> int:
    """The database workspace → the folder ``state_dir``."""
    from wpsync.state.pg_transfer import pull

    echo(pull(_url(campaigns, "pull"), state_dir, force=force).capitalize() + ".")
    return EXIT_OK
