"""`wpsync forget KEY`: stop tracking a campaign. Woodpecker is not touched; the file is not touched."""

from __future__ import annotations

from collections.abc import Callable

from wpsync.commands.workspace import Workspace
from wpsync.errors import InputError
from wpsync.files.sources import key_problem
from wpsync.state.lock import state_lock


def forget_command(ws: Workspace, key: str, *, echo: Callable[[str], None]) -> int:
    if key_problem(key) is not None:  # never a path, nor one of wpsync's own state files
        raise InputError(f'"{key}" is not a campaign key; `wpsync plan` lists the keys in the state')
    with state_lock(ws.state.root, f"wpsync forget {key}", notice=echo):
        record = ws.state.read(key)
        if record is None:
            raise InputError(f"{key} is not in the state ({ws.state.root}); nothing to forget")
        ws.state.forget(key)
    echo(
        f"Forgot {key}: campaign {record.campaign_id} stays in Woodpecker as it is; wpsync no longer manages it."
    )
    path = ws.campaigns / f"{key}.toml"
    if path.exists():
        echo(
            f"warning: {path} still exists, so the next plan would create campaign {key} again — a second "
            f"copy beside campaign {record.campaign_id}. Remove the file (git rm {path}), or track the "
            f"campaign again with `wpsync import {record.campaign_id} --key {key} --force`."
        )
    return 0
