"""Whether a saved plan is the plan wpsync makes now: what binds its actions to what `show` shows.

The binding (``stale_reasons``) proves the files and the state are those the plan was made from, but
not that the plan file still holds what that plan said: a hand-edited ``patch`` renders as its
untouched ``changes``, and an injected action is applied as if reviewed. A digest of the actions could
be recomputed by whoever edits the file; a plan made again from the same inputs cannot be forged. So
apply of a saved plan plans again and applies the saved plan only if both call for the same calls,
in the same order — which also catches Woodpecker having moved since (a campaign paused after a
``--make-editable`` plan was reviewed, a step that processed prospects since).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from wpsync.plan.actions import Action, unpack
from wpsync.plan.plan import Plan

JSON = dict[str, Any]
# Counts a sending campaign moves on its own, shown to the reviewer but never sent: a plan made a
# minute later differs in them, and that alone makes nothing the reviewer approved untrue.
SHOWN_NOT_SENT = frozenset({"prospects", "processed"})


def _sent(action: Action) -> JSON:
    form = {name: value for name, value in asdict(action).items() if name not in SHOWN_NOT_SENT}
    if "body_packed" in form:  # a saved plan holds the body with its keys sorted: compare values
        form["body_packed"] = json.loads(unpack(form["body_packed"]))
    return form


def _name(action: Action) -> str:
    position = getattr(action, "position", None)
    return f"{action.kind} {action.key}" + (f" step {position}" if position is not None else "")


def differences(saved: Plan, now: Plan) -> list[str]:
    """What a saved plan would do that a plan made now would not, and the other way round ([] = none)."""
    found: list[str] = []
    then_forms = [_sent(a) for a in saved.actions]
    now_forms = [_sent(a) for a in now.actions]
    if then_forms != now_forms:
        found += [
            f"{_name(a)}: in the plan file, not in a plan made now"
            for a, form in zip(saved.actions, then_forms, strict=True)
            if form not in now_forms
        ]
        found += [
            f"{_name(a)}: in a plan made now, not in the plan file"
            for a, form in zip(now.actions, now_forms, strict=True)
            if form not in then_forms
        ]
        if not found:
            found.append("the plan file holds the same actions as a plan made now, in another order")
    if saved.moves != now.moves:
        found.append("the renames in the plan file are not those a plan made now finds")
    if now.account and saved.account != now.account:
        found.append(f"the API key is for account {now.account}, the plan's was for {saved.account}")
    refused_then = {(r.key, r.code, r.step) for r in saved.refusals}
    found += [
        f"{r.key or 'the plan'}: a plan made now refuses a change ({r.code}: {r.reason})"
        for r in now.refusals
        if (r.key, r.code, r.step) not in refused_then
    ]
    return found
