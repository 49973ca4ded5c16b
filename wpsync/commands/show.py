"""`wpsync show PLANFILE`: a saved plan as text, JSON or markdown, through the renderers plan uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wpsync.commands.fleet import load_saved, render_all
from wpsync.commands.plan import render
from wpsync.errors import EXIT_OK
from wpsync.plan.plan import Plan


def show_command(plan_file: Path, *, output_format: str, color: bool, echo: Callable[[str], None]) -> int:
    saved = load_saved(plan_file)
    if set(saved) == {None}:  # the plan of a repository without [accounts]
        echo(render(saved[None], output_format, color=color))
        return EXIT_OK
    from wpsync.review.accounts import AccountPlan

    plans = [AccountPlan(str(name), plan, _folder(plan, str(name))) for name, plan in saved.items()]
    echo(render_all(plans, output_format, color=color))
    return EXIT_OK


def _folder(plan: Plan, name: str) -> str:
    """The account's campaigns folder, as the plan's files show it (campaigns/NAME by default)."""
    for item in (*plan.actions, *plan.refusals):
        parent = Path(item.file).parent
        if parent.name == name:
            return str(parent)
    return str(Path("campaigns") / name)
