"""`wpsync destroy KEY`: delete one campaign in Woodpecker, on purpose, reviewed, and only when it is not sending.

A campaign file removed from campaigns/ never deletes anything. Deleting is this explicit command: it
shows the plan (one DELETE), asks for the campaign's name typed back (or --auto-approve), refuses a
RUNNING campaign (stop it first: its prospects would be cut off mid-sequence), and goes through the
same apply as everything else — journalled, settled after a crash, recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from wpsync import __version__
from wpsync.commands.plan import render
from wpsync.commands.workspace import Workspace, client_for
from wpsync.errors import EXIT_ERROR, EXIT_OK, ChangesRefused, InputError
from wpsync.files.sources import key_problem
from wpsync.plan.actions import DeleteCampaign
from wpsync.plan.plan import Binding, Plan
from wpsync.state.backend import lock_state


def destroy_command(
    ws: Workspace,
    api_key: str | None,
    key: str,
    *,
    auto_approve: bool,
    interactive: bool,
    ask_name: Callable[[str], str],
    color: bool,
    echo: Callable[[str], None],
) -> int:
    if key_problem(key) is not None:
        raise InputError(f'"{key}" is not a campaign key; `wpsync state list` shows the keys in the state')
    if api_key is None:
        raise InputError(f"destroy needs the API key: set {ws.key_source}, or pass --api-key-file FILE")
    with (
        lock_state(ws.state, f"wpsync destroy {key}", timeout=ws.lock_timeout, notice=echo),
        client_for(api_key, ws) as client,
    ):
        if ws.state.intents():
            from wpsync.apply.apply import settle_interrupted

            settle_interrupted(ws.state, client, echo)
        record = ws.state.read(key)
        if record is None:
            raise InputError(f"{key} is not in the state; nothing wpsync manages to destroy")
        others = sorted(
            k for k, r in ws.state.read_all().items() if r.campaign_id == record.campaign_id and k != key
        )
        if others:
            raise InputError(
                f"campaign {record.campaign_id} is also recorded under {', '.join(others)}: destroying {key} "
                f"would delete the campaign {others[0]} manages; `wpsync forget {key}` drops only this "
                "record (Woodpecker is not touched)"
            )
        payload = client.get_campaign(record.campaign_id)
        name, status = str(payload.get("name", "")), str(payload.get("status", ""))
        if status == "RUNNING" or (status == "EDITED" and record.restore_status == "RUNNING"):
            why = (
                "is RUNNING"
                if status == "RUNNING"
                else "was RUNNING and is EDITED only until an interrupted apply sets it back (`wpsync apply`)"
            )
            raise ChangesRefused(
                f"campaign {record.campaign_id} ({name!r}) {why}; wpsync will not delete a campaign "
                "that is sending — stop it in Woodpecker first, then destroy it"
            )
        if status == "EDITED" and record.restore_status:
            echo(
                f"note: an interrupted apply left campaign {record.campaign_id} EDITED, to be set back to "
                f"{record.restore_status}; destroying it drops that"
            )
        file = str(ws.campaigns / f"{key}.toml")
        binding = Binding(ws.state.lineage(), {key: record.serial}, {}, __version__)
        plan = Plan((DeleteCampaign(key, file, record.campaign_id, name),), (), (), binding)
        echo(render(plan, "text", color=color))
        if not auto_approve:
            if not interactive:
                raise InputError("no terminal to confirm on: pass --auto-approve to destroy without asking")
            if ask_name(name) != name:
                echo("The name did not match; nothing was deleted.")
                return EXIT_ERROR
        from wpsync.apply.apply import apply_plan

        apply_plan(plan, ws.state, client, progress=lambda text, _: echo(text))
    echo(f"Destroyed campaign {record.campaign_id} ({name!r}); {key} is no longer in the state.")
    if (ws.campaigns / f"{key}.toml").exists():
        echo(f"warning: {file} still exists: remove it, or the next plan creates the campaign anew.")
    return EXIT_OK
