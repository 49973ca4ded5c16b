"""Every record of a state in one pass, each read in full only when something asks for it.

A plan of unchanged campaigns needs four facts of each record (its lineage, serial, source digest and
wpsync version), not its steps: reading, parsing and building 10,000 records of 17 steps each cost a
no-change plan more than everything else. So ``Records`` is the state's mapping of key → record made
from one listing of the folder and one stat per record file: the facts of a file whose stat matches the
stat cache (``wpsync.statcache``) come from there, and a record is read from its file (and checked, as
``StateDir.read`` does) only when it is looked up. A file that changed, or is new to the cache, is read
and checked at once, so a damaged record still stops the plan as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import NamedTuple, TypeGuard

from wpsync.statcache import StatCache, stat_key
from wpsync.state.records import CampaignRecord
from wpsync.state.store import APPLIED_SUFFIX, INTENT_SUFFIX, META_FILE, MOVE_FILE, StateDir


class Facts(NamedTuple):
    """What a plan of an unchanged campaign needs of its record (and its campaign id: two records
    holding one campaign are a damaged state, found without reading every record)."""

    lineage: str
    serial: int
    source_digest: str
    tool_version: str
    campaign_id: int


def facts_of(record: CampaignRecord) -> Facts:
    return Facts(record.lineage, record.serial, record.source_digest, record.tool_version, record.campaign_id)


class Records(Mapping[str, CampaignRecord]):
    """The records of a state by key, each read on first use; ``facts(key)`` without reading."""

    def __init__(
        self, facts: dict[str, Facts], read: dict[str, CampaignRecord], state: StateDir | None = None
    ) -> None:
        self._facts, self._read, self._state = facts, read, state

    @classmethod
    def of(cls, records: Mapping[str, CampaignRecord]) -> Records:
        """Records already read (another backend reads them all at once)."""
        return cls({key: facts_of(record) for key, record in records.items()}, dict(records))

    def facts(self, key: str) -> Facts | None:
        return self._facts.get(key)

    def campaign_ids(self) -> dict[str, int]:
        """Each key's campaign id, without reading any record."""
        return {key: facts.campaign_id for key, facts in self._facts.items()}

    def __getitem__(self, key: str) -> CampaignRecord:
        found = self._read.get(key)
        if found is None:
            if key not in self._facts or self._state is None:
                raise KeyError(key)
            found = self._state.read(key)
            if found is None:  # removed since the listing
                raise KeyError(key)
            self._read[key] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, key: object) -> bool:
        return key in self._facts


def read_records(state: StateDir, cache: StatCache) -> Records:
    """The records of ``state``: one listing of its folder, one stat of each record file, and a full
    read (with every check of ``StateDir.read``) of each file the cache cannot vouch for."""
    try:
        entries = list(os.scandir(state.root))
    except (FileNotFoundError, NotADirectoryError):
        return Records({}, {}, state)  # no state yet (StateDir.keys() has none either)
    lineage = state.lineage()
    # The same names as StateDir.keys(): KEY.json, not the meta file, applied contents, intents, the
    # note of a move in progress, nor the key such a move left behind.
    hidden = state.moved_away() if any(entry.name == MOVE_FILE for entry in entries) else None
    keys = sorted(
        key
        for entry in entries
        if entry.name.endswith(".json")
        and entry.name not in (META_FILE, MOVE_FILE)
        and not entry.name.endswith((APPLIED_SUFFIX, INTENT_SUFFIX))
        and (key := entry.name[: -len(".json")]) != hidden
    )
    facts: dict[str, Facts] = {}
    read: dict[str, CampaignRecord] = {}
    folder = str(state.root)
    for key in keys:
        name = os.path.join(folder, f"{key}.json")  # noqa: PTH118 - as state.path(key), without a Path
        try:
            seen = stat_key(os.stat(name))  # noqa: PTH116 - the hot loop, once per record
        except OSError:
            seen = None
        known = cache.get(name, seen) if seen is not None else None
        if _plausible(known) and known[0] == lineage:
            facts[key] = Facts(*known)
            continue
        record = state.read(key)
        if record is None:
            continue  # removed since the listing, as StateDir.read_all would not have seen it
        read[key] = record
        facts[key] = facts_of(record)
        if seen is not None:
            cache.put(name, seen, tuple(facts[key]))
    return Records(facts, read, state)


def _plausible(value: object) -> TypeGuard[tuple[str, int, str, str, int]]:
    return (
        type(value) is tuple
        and len(value) == 5
        and type(value[1]) is int
        and type(value[4]) is int
        and all(type(part) is str for part in (value[0], value[2], value[3]))
    )
