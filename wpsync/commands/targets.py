"""`--target KEY` on plan and apply: which campaigns the run considers, checked before anything is read."""

from __future__ import annotations

import difflib

from wpsync.commands.workspace import Workspace
from wpsync.errors import InputError, Problem
from wpsync.files.sources import campaign_paths


def check_targets(ws: Workspace, targets: tuple[str, ...]) -> frozenset[str]:
    """The targeted keys, or an InputError naming each key that is neither a campaign file nor recorded
    (a typo would otherwise plan nothing and look like "no changes")."""
    known = {path.stem for path in campaign_paths(ws.campaigns)} | set(ws.state.keys())
    unknown = [key for key in dict.fromkeys(targets) if key not in known]
    if unknown:
        problems = []
        for key in unknown:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            message = f"--target {key}: no campaign file {ws.campaigns / (key + '.toml')} and no record{hint}"
            problems.append(Problem("", "", message))
        raise InputError(problems)
    return frozenset(targets)
