"""`wpsync show PLANFILE`: a saved plan as text, JSON or markdown, through the renderers plan uses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from wpsync.commands.apply import load_saved_plan
from wpsync.commands.plan import render
from wpsync.errors import EXIT_OK
from wpsync.plan.codec import to_json


def show_command(plan_file: Path, *, output_format: str, color: bool, echo: Callable[[str], None]) -> int:
    plan = load_saved_plan(plan_file)
    if output_format == "json":
        echo(json.dumps(to_json(plan), indent=2, ensure_ascii=False))
    else:
        echo(render(plan, output_format, color=color))
    return EXIT_OK
