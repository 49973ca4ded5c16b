"""A create is planned only when wpsync is sure the campaign is new.

Three ways a file that looks new is not, each decided here from values alone:

- **a rename**: its content equals exactly one recorded campaign whose file is gone, and no other new
  file claims that campaign: planned as a move (no call, the record follows the file);
- **a rename with edits, or an ambiguous one**: its name or content is close to a recorded campaign
  whose file is gone (or several files equal one such campaign): refused (``possible_rename``) with the
  ``wpsync state mv OLD NEW`` that says which — a guess would bind a campaign to the wrong file, or
  edit a live campaign into another one;
- **a campaign already in Woodpecker**: one of the same name that no record owns (a lost or unpushed
  state, a PostgreSQL URL without its workspace, a teammate's campaign): refused (``duplicate_name``)
  with the ``wpsync import`` that adopts it.

``allow_duplicate_name = true`` in a file is the explicit, reviewable way to create it anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wpsync.plan.desired import Desired, Unchanged
from wpsync.plan.plan import Moved, Note, Refusal
from wpsync.state.records import Applied, CampaignRecord

ALLOW_FIELD = "allow_duplicate_name"


@dataclass(frozen=True)
class Renames:
    moves: tuple[Moved, ...]
    refusals: dict[str, Refusal]  # new key → its possible_rename refusal
    candidates: frozenset[str]  # recorded keys named by a refusal (their "unmanaged" advice is left out)


def renames(
    files: Sequence[Desired | Unchanged],
    records: Mapping[str, CampaignRecord],
    applied: Mapping[str, Applied],
    account: str | None = None,
    *,
    blocked: frozenset[str] | set[str] = frozenset(),
) -> Renames:
    """``account``: the declared account planned (its commands then name it with ``--account``).
    ``blocked``: keys of a damaged state (two records on one campaign): neither orphans nor renames."""
    on_disk = {f.key for f in files}
    orphans = sorted(key for key in records if key not in on_disk and key not in blocked)
    new = sorted(
        (
            f
            for f in files
            if isinstance(f, Desired)
            and f.key not in records
            and f.key not in blocked
            and not f.allow_duplicate_name
        ),
        key=lambda f: f.key,
    )
    if not orphans or not new:
        return Renames((), {}, frozenset())
    exact = {f.key: [o for o in orphans if _equal(f, records[o])] for f in new}
    claims = Counter(o for found in exact.values() for o in found)
    moves = [
        Moved(found[0], f.key, records[found[0]].campaign_id)
        for f in new
        if len(found := exact[f.key]) == 1 and claims[found[0]] == 1
    ]
    taken = {m.old_key for m in moves} | {m.new_key for m in moves}
    refusals: dict[str, Refusal] = {}
    named: set[str] = set()
    for f in new:
        if f.key in taken:
            continue
        close = [
            o for o in orphans if o not in taken and (o in exact[f.key] or _close(f, records[o], applied))
        ]
        if close:
            refusals[f.key] = _refusal(f, close, exact, records, applied, _flag(account))
            named.update(close)
    return Renames(tuple(moves), refusals, frozenset(named))


def _equal(desired: Desired, record: CampaignRecord) -> bool:
    return desired.head_hash == record.head_hash and desired.step_hashes == tuple(
        s.hash for s in record.content_steps
    )


def _close(desired: Desired, record: CampaignRecord, applied: Mapping[str, Applied]) -> bool:
    """The same name, or the same head (name, mailboxes, settings), or at least half its steps equal in
    place: what a rename with a few edits keeps."""
    was = applied.get(record.key)
    if was is not None and was.head.get("name") == desired.head["name"]:
        return True
    if desired.head_hash == record.head_hash:
        return True
    before = tuple(s.hash for s in record.content_steps)
    shared = sum(a == b for a, b in zip(before, desired.step_hashes, strict=False))
    return shared >= 1 and 2 * shared >= max(len(before), len(desired.step_hashes))


def _refusal(
    desired: Desired,
    close: list[str],
    exact: Mapping[str, list[str]],
    records: Mapping[str, CampaignRecord],
    applied: Mapping[str, Applied],
    flag: str,
) -> Refusal:
    old = close[0]
    rivals = sorted(k for k, found in exact.items() if old in found and k != desired.key)
    what = [f"{o} (campaign {records[o].campaign_id}{_name(applied.get(o))})" for o in close]
    if rivals:
        reason = (
            f"{desired.key} and {', '.join(rivals)} all equal {what[0]}, whose file is gone: wpsync cannot "
            "tell which one is the renamed file, so it creates none of them"
        )
    else:
        looks = "equals" if old in exact[desired.key] else "looks like"
        reason = (
            f"{desired.key} is new to the state and {looks} {' or '.join(what)}, whose file is gone: a rename "
            "(with edits) would be created as a second copy"
        )
    moves = " or ".join(f"`wpsync state mv {o} {desired.key}{flag}`" for o in close)
    return Refusal(
        desired.key,
        desired.file,
        "possible_rename",
        None,
        reason,
        f"if {desired.file} is {old}'s file renamed, {moves}, then plan again (the edits show as edits); "
        f"if it is a new campaign, add `{ALLOW_FIELD} = true` to {desired.file}",
    )


def _flag(account: str | None) -> str:
    return f" --account {account}" if account else ""


def _name(applied: Applied | None) -> str:
    return f" {applied.head['name']!r}" if applied is not None and "name" in applied.head else ""


def duplicate(
    desired: Desired, untracked: Mapping[str, tuple[int, ...]] | None, account: str | None = None
) -> Refusal | Note | None:
    """A campaign of the same name that no record owns may be this one, created by a run whose state
    is elsewhere or lost: refused before a second copy is made, unless the file says it is on purpose."""
    name = str(desired.head["name"])
    ids = (untracked or {}).get(name, ())
    if not ids:
        return None
    listed = ", ".join(str(i) for i in ids)
    if desired.allow_duplicate_name:
        return Note(
            desired.key,
            "warning",
            f"{desired.key}: creating a second campaign named {name!r} on purpose ({ALLOW_FIELD} = true); "
            f"Woodpecker already has {listed}, which no record owns",
        )
    return Refusal(
        desired.key,
        desired.file,
        "duplicate_name",
        None,
        f"Woodpecker already has campaign {listed} named {name!r}, which no record owns: creating "
        "it would make a second copy (is the state elsewhere — not pushed, lost, another ?workspace= — "
        "or is the campaign a teammate's?)",
        f"if it is this campaign, `wpsync import {ids[0]} --key {desired.key} --force{_flag(account)}` adopts it (it "
        f"rewrites {desired.file} from Woodpecker: `git diff` then shows what your edits change); to "
        f"create a second campaign of that name on purpose, add `{ALLOW_FIELD} = true` to the file",
    )


def adopt_notes(
    records: int, untracked: Mapping[str, tuple[int, ...]] | None, workspaces: Mapping[str, int], local: int
) -> list[Note]:
    """An empty state beside an account (or a database) that holds campaigns: say where they may be
    managed from, and the command that adopts them."""
    if records or not untracked:
        return []
    count = sum(len(ids) for ids in untracked.values())
    where = []
    if workspaces:
        listed = ", ".join(
            f"{name} ({n} campaign{'' if n == 1 else 's'})" for name, n in sorted(workspaces.items())
        )
        where.append(f"the database holds other workspaces: {listed} — set ?workspace=NAME in the state URL")
    if local:
        where.append(
            f"state/ here holds {local} record(s): `wpsync state push` copies them into the database"
        )
    where.append("`wpsync import ID --key KEY` adopts one campaign")
    return [
        Note(
            "",
            "adopt",
            f"the state is empty, but this Woodpecker account holds {count} campaign{'' if count == 1 else 's'} "
            f"no record owns; if wpsync manages them from elsewhere, use that state: {'; '.join(where)}",
        )
    ]
