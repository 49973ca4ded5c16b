"""`wpsync force-unlock LOCK_ID`: remove a state lock, asking first when its holder is still running."""

from __future__ import annotations

from collections.abc import Callable

from wpsync.errors import EXIT_ERROR, EXIT_OK, InputError
from wpsync.state.backend import StateStore, force_unlock_state, live_holder
from wpsync.state.lock import describe


def force_unlock_command(
    state: StateStore,
    lock_id: str,
    *,
    force: bool,
    interactive: bool,
    confirm: Callable[[str], bool],
    echo: Callable[[str], None],
) -> int:
    """A holder that is provably running (a PostgreSQL session, a live process on this host) is ended
    mid-run by a force-unlock: that is asked (or ``--force``), never done in passing."""
    live = live_holder(state, lock_id)
    if live is not None and not force:
        what = (
            f"{describe(live)} is still running: force-unlock ends it mid-run (with PostgreSQL, its "
            "database session: it writes nothing more, and its next apply settles what it left)"
        )
        if not interactive:
            raise InputError(f"{what}; pass --force to do it anyway, or wait for it to finish")
        if not confirm(f"{what}. Force-unlock it?"):
            echo("Nothing removed.")
            return EXIT_ERROR
    holder = force_unlock_state(state, lock_id)
    echo(f"Removed {describe(holder)}.")
    return EXIT_OK
