"""Gather what planning needs from disk: campaign files (parsed only when changed) and the state.

A file whose bytes and wpsync version match what was last fully applied is known unchanged without
parsing: that is what keeps a no-change plan of a large fleet cheap. Its copy is never read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wpsync import __version__
from wpsync.errors import InputError, Problem
from wpsync.files.sources import campaign_paths, read_source
from wpsync.plan.desired import Desired, Unchanged
from wpsync.statcache import StatCache, stat_key
from wpsync.state.backend import StateStore, describe_location
from wpsync.state.records import Applied, CampaignRecord


@dataclass(frozen=True)
class Inputs:
    files: list[Desired | Unchanged]
    records: dict[str, CampaignRecord]
    applied: dict[str, Applied]
    warnings: list[Problem]
    lineage: str | None


def gather(
    campaigns: Path, state: StateStore, *, reparse_all: bool = False, keys: frozenset[str] | None = None
) -> Inputs:
    """Files and state, or an InputError listing every problem of every invalid file. With ``keys``
    (`--target`), only those campaigns: other files are not even read, other records not considered."""
    lineage = state.lineage()
    records = state.read_all()
    if keys is not None:
        records = {key: record for key, record in records.items() if key in keys}
    files: list[Desired | Unchanged] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    # The digest of a file whose stat has not changed since it was last hashed (wpsync.statcache): an
    # unchanged file is then neither read nor hashed, whatever its size.
    cache = StatCache(f"{campaigns.resolve()}\0{describe_location(state)}", __version__)
    for path in campaign_paths(campaigns):
        if keys is not None and path.stem not in keys:
            continue
        record = records.get(path.stem)
        name = str(path)
        try:
            seen = stat_key(path.stat())  # before reading: a change after it shows in the next stat
        except OSError:
            seen = None  # read_source says what is wrong
        current = not reparse_all and record is not None and record.tool_version == __version__
        if current and seen is not None and record is not None:
            known = cache.get(name, seen)
            if type(known) is str and known == record.source_digest:
                files.append(Unchanged(path.stem, name, known))
                continue
        source = read_source(path)  # one file's bytes at a time: a fleet's copy is never all in memory
        digest = source.digest
        if seen is not None:
            cache.put(name, seen, digest)
        if current and record is not None and record.source_digest == digest:
            files.append(Unchanged(source.key, source.display, digest))
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
    applied = {
        f.key: found
        for f in files
        if isinstance(f, Desired) and f.key in records and (found := state.read_applied(f.key)) is not None
    }
    return Inputs(files, records, applied, warnings, lineage)
