"""`wpsync forget KEY`: stop tracking a campaign. Woodpecker is not touched; the file is not touched."""

from __future__ import annotations

from collections.abc import Callable

from wpsync.commands.workspace import Workspace
from wpsync.errors import InputError
from wpsync.files.sources import key_problem
from wpsync.state.backend import describe_location, lock_state


def forget_command(ws: Workspace, key: str, *, echo: Callable[[str], None]) -> int:
    if key_problem(key) is not None:  # never a path, nor one of wpsync's own state files
        raise InputError(f'"{key}" is not a campaign key; `wpsync plan` lists the keys in the state')
    with lock_state(ws.state, f"wpsync forget {key}", timeout=ws.lock_timeout, notice=echo):
        record = ws.state.read(key)
        if record is None:
            raise InputError(f"{key} is not in the state ({describe_location(ws.state)}); nothing to forget")
        ws.state.forget(key)
    echo(
        f"Forgot {key}: campaign {record.campaign_id} stays in Woodpecker as it is; wpsync no longer manages it."
    )
    if record.restore_status and record.status == "EDITED":
        echo(
            f"warning: an interrupted apply left campaign {record.campaign_id} EDITED (it sends nothing), "
            f"to be set back to {record.restore_status}; wpsync no longer will: set it back in Woodpecker's "
            "app (or `wpsync apply` before forgetting it, which sets it back first)"
        )
    path = ws.campaigns / f"{key}.toml"
    if path.exists():
        echo(
            f"warning: {path} still exists, so the next plan would create campaign {key} again — a second "
            f"copy beside campaign {record.campaign_id}. Remove the file (git rm {path}), or track the "
            f"campaign again with `wpsync import {record.campaign_id} --key {key} --force`."
        )
    return 0
