"""The command line: options in, a call to a command function, an exit code out.

``app`` holds the group and the error handling; ``files``, ``authoring``, ``sync``, ``state``, ``views``
and ``tools`` wire the commands, each a thin translation into a function of ``wpsync.commands``;
``plain`` holds what needs no click, and ``quick`` reads the common spellings of ``wpsync plan`` before
click is imported. Reading ``main`` or ``run`` from this package registers the commands (PEP 562): so
importing ``wpsync.cli.quick`` does not import click.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wpsync.cli.app import main, run

__all__ = ["main", "run"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from wpsync.cli import adopt, app, authoring, files, state, sync, tools, views  # noqa: F401 - each registers its commands

    return getattr(app, name)
