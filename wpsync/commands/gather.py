"""Gather what planning needs from disk: campaign files (parsed only when changed) and the state.

A file whose bytes and wpsync version match what was last fully applied is known unchanged without
parsing: that is what keeps a no-change plan of a large fleet cheap. Its copy is never read again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from wpsync import __version__
from wpsync.errors import InputError, Problem
from wpsync.files.sources import campaign_names, read_source
from wpsync.plan.desired import Desired, Unchanged
from wpsync.statcache import StatCache, stat_key
from wpsync.state.backend import StateStore, describe_location
from wpsync.state.record_index import Records, read_records
from wpsync.state.records import Applied
from wpsync.state.store import StateDir


@dataclass(frozen=True)
class Inputs:
    files: list[Desired | Unchanged]
    records: Records  # each read in full only when looked up
    applied: dict[str, Applied]
    warnings: list[Problem]
    lineage: str | None
    owned: frozenset[int] = frozenset()  # every recorded campaign id, --target or not
    state_records: int = 0  # records in the whole state, --target or not


def gather(
    campaigns: Path, state: StateStore, *, reparse_all: bool = False, keys: frozenset[str] | None = None
) -> Inputs:
    """Files and state, or an InputError listing every problem of every invalid file. With ``keys``
    (`--target`), only those campaigns: other files are not even read, other records not considered."""
    lineage = state.lineage()
    # The digest of a file whose stat has not changed since it was last hashed, and the facts of a
    # record file likewise (wpsync.statcache): an unchanged campaign is then neither read nor hashed,
    # nor is its record read, whatever their size.
    cache = StatCache(_scope(campaigns, state), __version__)
    records = read_records(state, cache) if isinstance(state, StateDir) else Records.of(state.read_all())
    whole = records  # every record, --target or not: whose campaigns are owned
    if keys is not None:
        records = Records.of({key: records[key] for key in records if key in keys})
    files: list[Desired | Unchanged] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    folder = str(campaigns)
    prefix = "" if folder == "." else folder.rstrip("/") + "/"  # so that prefix + name == str(path)
    for file_name in campaign_names(campaigns):  # names, not Paths: pathlib cost 10,000 files 0.2 s
        key = file_name[: -len(".toml")]
        if keys is not None and key not in keys:
            continue
        record = records.facts(key)
        name = prefix + file_name  # str(campaigns / file_name), without a Path in the hot loop
        try:
            seen = stat_key(os.stat(name))  # noqa: PTH116 - before reading: a later change shows in the next stat
        except OSError:
            seen = None  # read_source says what is wrong
        current = not reparse_all and record is not None and record.tool_version == __version__
        if current and seen is not None and record is not None:
            known = cache.get(name, seen)
            if type(known) is str and known == record.source_digest:
                files.append(Unchanged(key, name, known, record.serial))
                continue
        path = campaigns / file_name
        try:
            source = read_source(path)  # one file's bytes at a time: a fleet's copy is never all in memory
        except InputError as exc:  # every unreadable file, with every invalid one, in one report
            errors.extend(exc.problems)
            continue
        digest = source.digest
        if seen is not None:
            cache.put(name, seen, digest)
        if current and record is not None and record.source_digest == digest:
            files.append(Unchanged(source.key, source.display, digest, record.serial))
            continue
        from wpsync.files.loading import parse_source
        from wpsync.plan.desired import desired_from  # the parser and models load only for changed files

        loaded = parse_source(source)
        errors.extend(loaded.errors)
        warnings.extend(loaded.warnings)
        if loaded.campaign is not None:
            files.append(
                desired_from(source.key, source.display, digest, loaded.campaign, recorded=record is not None)
            )
    cache.save(whole=keys is None)
    if errors:
        raise InputError(errors)
    wanted = {f.key for f in files if isinstance(f, Desired) and f.key in records}
    owned: frozenset[int] = frozenset()
    if any(isinstance(f, Desired) and f.key not in records for f in files):
        # A new file may be a recorded campaign renamed with edits (its name is in what was applied),
        # or one in Woodpecker that no record owns: only then are the other records read.
        wanted |= set(records) - {f.key for f in files}
        owned = frozenset(whole[key].campaign_id for key in whole)
    applied = {key: found for key in sorted(wanted) if (found := state.read_applied(key)) is not None}
    return Inputs(files, records, applied, warnings, lineage, owned, len(whole))


def _scope(campaigns: Path, state: StateStore) -> str:
    """Which stat cache: one per pair of campaign folder and state (their real paths)."""
    where = state.root.resolve() if isinstance(state, StateDir) else describe_location(state)
    return f"{campaigns.resolve()}\0{where}"
