"""`wpsync show PLANFILE`: a saved plan as text, JSON or markdown, through the renderers plan uses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from wpsync.commands.apply import load_saved_plan
from wpsync.commands.plan import render
from wpsync.errors import EXIT_OK
from wpsync.plan.codec import to_json
from wpsync.plan.plan import Plan


def show_command(plan_file: Path, *, output_format: str, color: bool, echo: Callable[[str], None]) -> int:
    from wpsync.commands.fleet_apply import is_saved_for_accounts

    if is_saved_for_accounts(plan_file):  # a plan of several accounts ([accounts] in wpsync.toml)
        from wpsync.commands.fleet import render_all
        from wpsync.commands.fleet_apply import load_saved_accounts
        from wpsync.review.accounts import AccountPlan

        saved = load_saved_accounts(plan_file)
        plans = [AccountPlan(name, plan, _folder(plan, name)) for name, plan in saved.items()]
        echo(render_all(plans, output_format, color=color))
        return EXIT_OK
    plan = load_saved_plan(plan_file)
    if output_format == "json":
        echo(json.dumps(to_json(plan), indent=2, ensure_ascii=False))
    else:
        echo(render(plan, output_format, color=color))
    return EXIT_OK


def _folder(plan: Plan, name: str) -> str:
    """The account's campaigns folder, as the plan's files show it (campaigns/NAME by default)."""
    for item in (*plan.actions, *plan.refusals):
        parent = Path(item.file).parent
        if parent.name == name:
            return str(parent)
    return str(Path("campaigns") / name)
