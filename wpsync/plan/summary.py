"""What a plan does to each campaign, counted from its actions: the one source of every summary line.

The text plan, the markdown comment and the JSON plan all take a campaign's summary from here, so they
cannot disagree, and the count is one exhaustive ``match`` over the action types: a new kind of action
that is not counted here fails the type check (``assert_never``) instead of being summarised as
"no changes".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, assert_never

from wpsync.plan.actions import (
    Action,
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    MakeEditable,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
    chain_steps,
)
from wpsync.plan.plan import Moved, Note, Plan, Refusal

JSON = dict[str, Any]


@dataclass
class Campaign:
    """One campaign file's part of a plan, in plan order."""

    key: str
    file: str = ""
    actions: list[Action] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    moves: list[Moved] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """What the actions of one campaign do. Counts are of things a reader recognises: settings
    changed, versions whose copy changes, steps whose windows change, steps appended or deleted."""

    created_steps: int | None = None  # a created campaign's step count (None: not created)
    name: str = ""  # a created campaign's name
    settings: int = 0  # name, mailboxes and settings changed (fields)
    copy: int = 0  # A/B versions whose copy changes
    windows: tuple[int, ...] = ()  # steps whose delivery windows change
    appended: tuple[int, ...] = ()  # step numbers appended
    deleted: tuple[int, ...] = ()  # step numbers deleted
    paused_from: str = ""  # the status it had, when it is made EDITED for the edits
    status: tuple[str, ...] = ()  # statuses it is set to (restore, run, pause, stop)
    destroyed: bool = False  # the campaign itself is deleted
    renamed_from: str = ""
    refused: int = 0

    def counts(self) -> JSON:
        return {
            "create": self.created_steps is not None,
            "settings": self.settings,
            "copy": self.copy,
            "windows": len(self.windows),
            "appended": len(self.appended),
            "deleted": len(self.deleted),
            "paused_for_edit": bool(self.paused_from),
            "status_changes": len(self.status),
            "destroyed": self.destroyed,
            "renamed": bool(self.renamed_from),
            "refused": self.refused,
        }

    def phrases(self) -> list[str]:
        """Plain-text phrases, most important first; empty only when the campaign has nothing to do."""
        out: list[str] = []
        if self.refused:
            out.append(_n(self.refused, "change") + " refused")
        if self.created_steps is not None:
            out.append(f"create “{self.name}” · {_n(self.created_steps, 'step')}")
        if self.destroyed:
            out.append("delete the campaign")
        if self.renamed_from:
            out.append(f"renamed from {self.renamed_from}")
        if self.settings:
            out.append(_n(self.settings, "setting") + " changed")
        if self.copy:
            out.append(f"copy of {_n(self.copy, 'version')} edited")
        if self.windows:
            out.append(f"windows of {_steps(self.windows)} changed")
        if self.appended:
            out.append(f"{_steps(self.appended)} appended")
        if self.deleted:
            out.append(f"{_steps(self.deleted)} deleted")
        if self.paused_from:
            after = self.status[-1] if self.status else ""
            if not after:
                back = "left EDITED after"
            elif after == self.paused_from:
                back = f"back to {after} after"
            else:  # the file asks for another status: the restore call sets that one
                back = f"then {after}, as the file's status says"
            out.append(f"paused ({self.paused_from} → EDITED) for the edit, {back}")
        elif self.status:
            out.append("set to " + ", then ".join(self.status))
        return out

    def text(self) -> str:
        return " · ".join(self.phrases()) or "no changes"


def summarise(
    actions: Iterable[Action], refusals: Sequence[Refusal] = (), moves: Sequence[Moved] = ()
) -> Summary:
    created: int | None = None
    name = ""
    settings = copy = 0
    windows: list[int] = []
    appended: list[int] = []
    deleted: list[int] = []
    status: list[str] = []
    paused = ""
    destroyed = False
    for action in actions:
        match action:
            case CreateCampaign():
                body = action.body  # parsed once, not once more for its steps
                created, name = len(chain_steps(body)), str(body.get("name", "My campaign #0"))
            case UpdateCampaign():
                settings += sum(k != "settings" for k in action.patch) + len(
                    action.patch.get("settings") or {}
                )
            case UpdateVersion():
                copy += 1
            case UpdateWindows():
                windows.append(action.position)
            case AppendStep():
                appended.append(action.position)
            case DeleteStep():
                deleted.append(action.position)
            case MakeEditable():
                paused = action.from_status
            case RestoreStatus():
                status.append(action.status)
            case SetStatus():
                status.append(action.status)
            case DeleteCampaign():
                destroyed = True
            case _:
                assert_never(action)
    return Summary(
        created_steps=created,
        name=name,
        settings=settings,
        copy=copy,
        windows=tuple(sorted(set(windows))),
        appended=tuple(sorted(appended)),
        deleted=tuple(sorted(deleted)),
        paused_from=paused,
        status=tuple(status),
        destroyed=destroyed,
        renamed_from=moves[0].old_key if moves else "",
        refused=len(refusals),
    )


def group(plan: Plan) -> list[Campaign]:
    """The plan's actions, refusals, moves and notes by campaign file, in the order they first appear
    (actions first, then refusals); a note goes to its campaign when that campaign has a part."""
    found: dict[str, Campaign] = {}
    files: dict[str, str] = {}  # key → file, for moves and notes (which name keys, not files)
    for action in plan.actions:
        found.setdefault(action.file, Campaign(action.key, action.file)).actions.append(action)
        files.setdefault(action.key, action.file)
    for refusal in plan.refusals:
        found.setdefault(refusal.file, Campaign(refusal.key, refusal.file)).refusals.append(refusal)
        files.setdefault(refusal.key, refusal.file)
    for move in plan.moves:
        file = files.get(move.new_key)
        if file is None:
            file = files[move.new_key] = f"\x00{move.new_key}"  # a bare rename: no file known here
        found.setdefault(file, Campaign(move.new_key)).moves.append(move)
    for note in plan.notes:
        if note.key in files:
            found[files[note.key]].notes.append(note)
    return list(found.values())


def campaign_notes(plan: Plan) -> set[int]:
    """Indexes of the notes that belong to a campaign's own part (the rest concern the whole plan)."""
    keys = {a.key for a in plan.actions} | {r.key for r in plan.refusals} | {m.new_key for m in plan.moves}
    return {i for i, note in enumerate(plan.notes) if note.key and note.key in keys}


def to_json(plan: Plan) -> list[JSON]:
    """Each campaign's summary for the JSON plan: the same counts and text the renderers show."""
    out = []
    for campaign in group(plan):
        summary = summarise(campaign.actions, campaign.refusals, campaign.moves)
        out.append(
            {
                "key": campaign.key,
                "file": campaign.file,
                **summary.counts(),
                "text": summary.text(),
            }
        )
    return out


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _steps(numbers: Sequence[int]) -> str:
    if len(numbers) == 1:
        return f"step {numbers[0]}"
    if list(numbers) == list(range(numbers[0], numbers[-1] + 1)):
        return f"steps {numbers[0]}–{numbers[-1]}"
    return "steps " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def sets_back(actions: Sequence[Action], restore: RestoreStatus) -> bool:
    """Whether the status set after the edits is the one the campaign had before them ("set back to")
    rather than a new one the file asks for. A restore with no pause in the plan finishes an earlier
    apply's pause: that is back too."""
    before = next(
        (a.from_status for a in actions if isinstance(a, MakeEditable) and a.key == restore.key), None
    )
    return before is None or before == restore.status
