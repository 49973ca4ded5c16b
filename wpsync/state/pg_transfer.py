"""`wpsync state push` and `pull`: move a whole state between a folder and a PostgreSQL workspace.

The adoption path: ``push`` a team's committed ``state/`` into the database once, then point every
checkout at ``WPSYNC_STATE_URL``; ``pull`` is the way back (or a backup as files). Both hold the lock on
both sides, refuse while either side has unsettled intents (run ``wpsync apply`` first: it settles
them), and refuse to replace a different state — another lineage, a record the target has and the
source does not, or a newer serial in the target — unless ``force``. A push is one transaction; a pull
writes each file atomically and durably (rerun it if it was interrupted).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wpsync.errors import StateError
from wpsync.state.atomic import atomic_write_json
from wpsync.state.backend import lock_state
from wpsync.state.postgres import PgState
from wpsync.state.records import FORMAT, Applied, CampaignRecord
from wpsync.state.store import META_FILE, StateDir


def push(state_dir: Path, url: str, *, force: bool = False) -> str:
    """Copy the state in ``state_dir`` into the database workspace of ``url``; says what it did."""
    source = StateDir(state_dir)
    with PgState(url, application="wpsync state push") as target:
        with lock_state(source, "wpsync state push"), target.lock("wpsync state push"):
            lineage, records, applied = _snapshot(source, str(state_dir))
            _refuse_pending(target.intents(), target.location)
            _check_target(
                target.lineage(),
                target.read_all() if not force else {},
                lineage,
                records,
                force,
                target.location,
            )
            target.replace_all(lineage, records, applied, account=source.account())
        return f"pushed {len(records)} record(s) of state {lineage} from {state_dir} to {target.location}"


def pull(url: str, state_dir: Path, *, force: bool = False) -> str:
    """Copy the database workspace of ``url`` into the folder ``state_dir``; says what it did."""
    target = StateDir(state_dir)
    with PgState(url, application="wpsync state pull") as source:
        with source.lock("wpsync state pull"), lock_state(target, "wpsync state pull"):
            lineage, records, applied = _snapshot(source, source.location)
            _refuse_pending(target.intents(), str(state_dir))
            current = None if force else target.lineage()
            _check_target(
                current, target.read_all() if not force else {}, lineage, records, force, str(state_dir)
            )
            for key in sorted(set(target.keys()) - set(records)):
                target.forget(key)
            meta: dict[str, object] = {"format": FORMAT, "lineage": lineage}
            account = source.account()
            if account is not None:
                meta["account"] = account
            atomic_write_json(state_dir / META_FILE, meta)
            for key, record in sorted(records.items()):
                target.write(record, applied[key])
        return f"pulled {len(records)} record(s) of state {lineage} from {source.location} to {state_dir}"


def _snapshot(
    source: StateDir | PgState, where: str
) -> tuple[str, dict[str, CampaignRecord], dict[str, Applied | None]]:
    _refuse_pending(source.intents(), where)
    lineage = source.lineage()
    if lineage is None:
        raise StateError(f"{where}: there is no state here to copy (no lineage yet)")
    records = source.read_all()
    return lineage, records, {key: source.read_applied(key) for key in records}


def _refuse_pending(intents: Mapping[str, object], where: str) -> None:
    if intents:
        raise StateError(
            f"{where}: an apply was interrupted ({', '.join(sorted(intents))}); run `wpsync apply` to settle "
            "it before copying the state"
        )


def _check_target(
    lineage: str | None,
    current: dict[str, CampaignRecord],
    incoming_lineage: str,
    incoming: dict[str, CampaignRecord],
    force: bool,
    where: str,
) -> None:
    if force or lineage is None:
        return
    if lineage != incoming_lineage:
        raise StateError(
            f"{where} holds another state (lineage {lineage}, copying {incoming_lineage}); "
            "nothing copied — use --force to replace it"
        )
    problems = [f"{key} is not in the copy" for key in sorted(set(current) - set(incoming))]
    problems += [
        f"{key} is newer there (serial {current[key].serial} > {incoming[key].serial})"
        for key in sorted(set(current) & set(incoming))
        if current[key].serial > incoming[key].serial
    ]
    if problems:
        raise StateError(
            f"{where} has moved on: {'; '.join(problems)}; nothing copied — use --force to replace it"
        )
