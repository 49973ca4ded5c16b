"""The ``[apply]`` table of ``wpsync.toml``: the repository's reviewed policy for live campaigns.

    [apply]
    make_editable = true   # edit RUNNING/PAUSED/STOPPED campaigns: EDITED for the edits, then back

With it, ``plan`` and ``apply`` behave as with ``--make-editable``; ``--make-editable`` and
``--no-make-editable`` still override it, and a campaign file's own ``make_editable`` overrides it for
that campaign. Committed in the repository, the policy is reviewed like every other change — unlike a
flag in a CI script.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wpsync.files.lint_config import config_path, problems_error, read_document

_KEYS = ("make_editable",)


@dataclass(frozen=True)
class ApplyConfig:
    make_editable: bool = False


def for_campaigns(campaigns: Path, *, account: str | None = None) -> ApplyConfig:
    """The policy of the wpsync.toml beside ``campaigns`` (an account's folder is one level deeper)."""
    return load(config_path([campaigns.parent if account else campaigns]))


def load(path: Path) -> ApplyConfig:
    """The ``[apply]`` settings of ``path``; the defaults without the file or table; InputError if bad."""
    found = read_document(path)
    if found is None:
        return ApplyConfig()
    document, text = found
    config, problems = parse(document.get("apply", {}))
    if problems:
        raise problems_error(path, text, problems)
    return config


def parse(table: Any) -> tuple[ApplyConfig, list[tuple[tuple[str, ...], str]]]:
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(table, dict):
        return ApplyConfig(), [(("apply",), "must be a table: [apply]")]
    for key in table:
        if key not in _KEYS:
            import difflib  # only for this error: every plan reads this file (#23)

            near = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else f"; known keys: {', '.join(_KEYS)}"
            problems.append((("apply", key), f'unknown key "{key}"{hint}'))
    value = table.get("make_editable", False)
    if not isinstance(value, bool):
        problems.append((("apply", "make_editable"), f"must be true or false, not {value!r}"))
        value = False
    return ApplyConfig(make_editable=value), problems
