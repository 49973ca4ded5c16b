"""The ``[state]`` table of ``wpsync.toml``: where the recorded state lives, for every checkout.

    [state]
    url_env = "OUTREACH_STATE_URL"   # the environment variable holding the postgresql:// URL

The file names the *variable*, never the URL itself: a URL may carry a password, and wpsync.toml is
committed. Without the table (or the file) the state is the ``state/`` folder, unless the environment
sets ``WPSYNC_STATE_URL``. The variable's value is read where every variable is read
(``wpsync.commands.workspace``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wpsync.files.lint_config import problems_error, read_document

_KEYS = ("url_env",)
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


@dataclass(frozen=True)
class StateConfig:
    url_env: str | None = None  # the environment variable holding the state URL


def load(path: Path) -> StateConfig:
    """The ``[state]`` settings of ``path``; none if it does not exist; InputError if they are bad."""
    found = read_document(path)
    if found is None:
        return StateConfig()
    document, text = found
    config, problems = parse(document.get("state", {}))
    if problems:
        raise problems_error(path, text, problems)
    return config


def parse(table: Any) -> tuple[StateConfig, list[tuple[tuple[str, ...], str]]]:
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(table, dict):
        return StateConfig(), [(("state",), "must be a table: [state]")]
    for key in table:
        if key not in _KEYS:
            import difflib

            near = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else f"; known keys: {', '.join(_KEYS)}"
            problems.append((("state", key), f'unknown key "{key}"{hint}'))
    name = table.get("url_env")
    if name is not None and (not isinstance(name, str) or not _ENV_NAME.match(name)):
        problems.append(
            (
                ("state", "url_env"),
                f"must be the name of an environment variable (letters, digits, _), not {name!r}; "
                "the URL itself belongs in that variable, not in this file",
            )
        )
        name = None
    return StateConfig(url_env=name), problems
