"""The recorded state in PostgreSQL: what ``StateDir`` keeps in files, kept in rows instead.

One row per campaign in ``wpsync.records`` holds exactly the bytes ``state/KEY.json`` would hold (and,
beside it, those of ``KEY.applied.json`` and the version before the last write, like ``.backup/``);
``wpsync.intents`` holds the intent journal, ``wpsync.workspaces`` the lineage and the account. Values are serialised by
the same functions as the files, so ``wpsync state pull`` writes files identical to what the file
backend would have written, and a damaged row is reported with the same words.

Each write is one transaction and is durable at commit. Inside ``batch()`` (an apply) record writes
commit with ``synchronous_commit = off`` — no WAL flush of their own — while every intent is written
with a flushing commit; PostgreSQL's WAL is a single ordered log, so the flush of an intent also makes
every earlier record write durable, and a server crash can only lose a suffix of unflushed writes,
each still anchored by its intent (``make_durable`` forces a flush where apply needs one at once). Intents cleared in the batch are deleted at its end by one flushing
commit. A crash of wpsync itself loses nothing committed: the server has it.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from wpsync.errors import StateError
from wpsync.state.atomic import dumps
from wpsync.state.journal import Intent, intent_from_json, intent_to_json
from wpsync.state.pg_schema import SCHEMA
from wpsync.state.pg_session import PgSession
from wpsync.state.records import (
    FORMAT,
    Applied,
    CampaignRecord,
    applied_bytes,
    applied_from_json,
    record_from_json,
    record_to_json,
)

_T = f"{SCHEMA}.records"


class PgState(PgSession):
    """A workspace of a PostgreSQL state; the same methods and meaning as ``StateDir``."""

    def __init__(self, url: str, *, application: str = "wpsync") -> None:
        super().__init__(url, application=application)
        self._lineage: str | None = None
        self._in_batch = False
        self._clear_later: set[str] = set()
        self._unflushed: set[str] = set()  # keys written in this batch by a commit not yet flushed

    # ---- lineage ---------------------------------------------------------------------------------
    def lineage(self, *, create: bool = False) -> str | None:
        if self._lineage is not None:
            return self._lineage
        rows = self._query(
            f"SELECT format, lineage FROM {SCHEMA}.workspaces WHERE workspace = %s", (self.workspace,)
        )
        if rows and rows[0][1] is not None:
            _check_format(f"{self.location}: lineage", rows[0][0])
            self._lineage = str(rows[0][1])
        elif create:
            with self._write() as conn:
                row = conn.execute(
                    f"UPDATE {SCHEMA}.workspaces SET format = coalesce(format, %s), "
                    "lineage = coalesce(lineage, %s) WHERE workspace = %s RETURNING lineage",
                    (FORMAT, str(uuid.uuid4()), self.workspace),
                ).fetchone()
            assert row is not None
            self._lineage = str(row[0])
        return self._lineage

    # ---- the account the state belongs to ----------------------------------------------------------
    def account(self) -> str | None:
        """The Woodpecker account recorded by the first apply that could tell (see woodpecker/stats)."""
        rows = self._query(f"SELECT account FROM {SCHEMA}.workspaces WHERE workspace = %s", (self.workspace,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def record_account(self, account: str) -> None:
        self.lineage(create=True)
        with self._write() as conn:
            conn.execute(
                f"UPDATE {SCHEMA}.workspaces SET account = %s WHERE workspace = %s", (account, self.workspace)
            )

    # ---- records ---------------------------------------------------------------------------------
    def keys(self) -> list[str]:
        return sorted(
            r[0] for r in self._query(f"SELECT key FROM {_T} WHERE workspace = %s", (self.workspace,))
        )

    def workspaces(self) -> dict[str, int]:
        """The other workspaces of this database that hold records, with how many: where an empty
        workspace's campaigns may be recorded instead (a URL that lost its ?workspace=)."""
        rows = self._query(
            f"SELECT workspace, count(*) FROM {_T} WHERE workspace <> %s GROUP BY workspace",
            (self.workspace,),
        )
        return {str(name): int(count) for name, count in rows}

    def read(self, key: str) -> CampaignRecord | None:
        rows = self._query(
            f"SELECT record FROM {_T} WHERE workspace = %s AND key = %s", (self.workspace, key)
        )
        return self._record(key, rows[0][0]) if rows else None

    def read_all(self) -> dict[str, CampaignRecord]:
        rows = self._query(f"SELECT key, record FROM {_T} WHERE workspace = %s", (self.workspace,))
        lineage = self.lineage()
        return {key: self._record(key, text, lineage) for key, text in sorted(rows)}

    def _record(self, key: str, text: str, lineage: str | None = None) -> CampaignRecord:
        where = self._where(key, ".json")
        data = _loads(where, text)
        try:
            return record_from_json(where, data, lineage if lineage is not None else self.lineage())
        except StateError as exc:
            raise StateError(_for_database(exc.message)) from None

    def _where(self, key: str, suffix: str) -> Path:
        # Messages name the row as the file it stands for: "postgresql:WORKSPACE/KEY.json".
        return Path(f"postgresql:{self.workspace}") / f"{key}{suffix}"

    def write(self, record: CampaignRecord, applied: Applied | None = None) -> None:
        """Write one record (and, when given, the content it now holds) in one transaction, keeping
        the previous version of each in the same row."""
        text = dumps(record_to_json(record)).decode()
        content = applied_bytes(applied).decode() if applied is not None else None
        with self._write(flush=not self._in_batch) as conn:
            conn.execute(
                f"INSERT INTO {_T} AS r (workspace, key, record, applied) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (workspace, key) DO UPDATE SET record = excluded.record, "
                "previous_record = r.record, applied = coalesce(excluded.applied, r.applied), "
                "previous_applied = CASE WHEN excluded.applied IS NULL THEN r.previous_applied ELSE r.applied END, "
                "updated_at = now()",
                (self.workspace, record.key, text, content),
            )
        if self._in_batch:
            self._unflushed.add(record.key)

    def replace_all(
        self,
        lineage: str,
        records: dict[str, CampaignRecord],
        applied: dict[str, Applied | None],
        *,
        account: str | None = None,
    ) -> None:
        """Make this workspace hold exactly ``records`` under ``lineage``, in one transaction (push)."""
        rows = [
            (
                self.workspace,
                key,
                dumps(record_to_json(record)).decode(),
                applied_bytes(content).decode() if (content := applied.get(key)) is not None else None,
            )
            for key, record in sorted(records.items())
        ]
        with self._write() as conn:
            conn.execute(
                f"UPDATE {SCHEMA}.workspaces SET format = %s, lineage = %s, account = %s WHERE workspace = %s",
                (FORMAT, lineage, account, self.workspace),
            )
            conn.execute(f"DELETE FROM {_T} WHERE workspace = %s", (self.workspace,))
            with conn.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {_T} (workspace, key, record, applied) VALUES (%s, %s, %s, %s)", rows
                )
        self._lineage = lineage

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group commit for an apply (see the module's docstring): intents cleared inside the block
        are deleted at its end, by one commit that also makes every record write before it durable."""
        self._in_batch, self._clear_later, self._unflushed = True, set(), set()
        try:
            yield
        finally:
            cleared = sorted(self._clear_later)
            self._in_batch, self._clear_later, self._unflushed = False, set(), set()
            with self._write() as conn:
                conn.execute(
                    f"DELETE FROM {SCHEMA}.intents WHERE workspace = %s AND key = ANY(%s)",
                    (self.workspace, cleared),
                )
                conn.execute(
                    f"UPDATE {SCHEMA}.workspaces SET synced_at = now() WHERE workspace = %s",
                    (self.workspace,),
                )

    def make_durable(self, key: str) -> None:
        """Outside a batch every commit is durable already. Inside one, a record written by an
        unflushed commit is made durable by one flushing commit after it (the WAL is one ordered log)."""
        if key in self._unflushed:
            self._flush()

    def _flush(self) -> None:
        with self._write() as conn:
            conn.execute(
                f"UPDATE {SCHEMA}.workspaces SET synced_at = now() WHERE workspace = %s", (self.workspace,)
            )
        self._unflushed.clear()

    # ---- intents: a mutating call that may have happened ------------------------------------------
    def write_intent(self, key: str, intent: Intent) -> None:
        # A flushing commit: it also makes every earlier (unflushed) record write of the batch durable,
        # so replacing the intent that anchored the key's previous outcome loses nothing.
        self._clear_later.discard(key)
        with self._write() as conn:
            conn.execute(
                f"INSERT INTO {SCHEMA}.intents (workspace, key, intent) VALUES (%s, %s, %s) "
                "ON CONFLICT (workspace, key) DO UPDATE SET intent = excluded.intent, written_at = now()",
                (self.workspace, key, dumps(intent_to_json(intent)).decode()),
            )
        self._unflushed.clear()

    def clear_intent(self, key: str) -> None:
        if self._in_batch:
            self._clear_later.add(key)
            return
        with self._write() as conn:
            conn.execute(
                f"DELETE FROM {SCHEMA}.intents WHERE workspace = %s AND key = %s", (self.workspace, key)
            )

    def intent_pending(self, key: str) -> bool:
        """Whether ``key`` has an intent not yet settled (one cleared inside a batch is settled)."""
        if key in self._clear_later:
            return False
        rows = self._query(
            f"SELECT 1 FROM {SCHEMA}.intents WHERE workspace = %s AND key = %s", (self.workspace, key)
        )
        return bool(rows)

    def recover_journal(self) -> None:
        """Nothing to do: the database's intents are rows, each committed before its call."""

    def intents(self) -> dict[str, Intent]:
        found: dict[str, Intent] = {}
        rows = self._query(
            f"SELECT key, intent FROM {SCHEMA}.intents WHERE workspace = %s", (self.workspace,)
        )
        for key, text in sorted(rows):
            where = self._where(key, ".intent.json")
            try:
                found[key] = intent_from_json(str(where), _loads(where, text))
            except StateError as exc:
                raise StateError(_for_database(exc.message)) from None
        return found

    def read_applied(self, key: str) -> Applied | None:
        rows = self._query(
            f"SELECT applied FROM {_T} WHERE workspace = %s AND key = %s", (self.workspace, key)
        )
        if not rows or rows[0][0] is None:
            return None
        where = self._where(key, ".applied.json")
        try:
            return applied_from_json(str(where), _loads(where, rows[0][0]))
        except StateError as exc:
            raise StateError(_for_database(exc.message)) from None

    def move(self, old: str, new: str) -> None:
        """A campaign file renamed: its record (and content) follow under the new key, in one
        transaction (the file backend needs two steps and tolerates a crash between them)."""
        record = self.read(old)
        if record is None:
            raise StateError(f"{old} is not in the state; nothing to move")
        if self.read(new) is not None:
            raise StateError(f"{new} is already in the state; `wpsync forget {new}` first")
        text = dumps(record_to_json(replace(record.bumped(), key=new))).decode()
        with self._write() as conn:
            moved = conn.execute(
                f"UPDATE {_T} SET key = %s, record = %s, previous_record = record, updated_at = now() "
                "WHERE workspace = %s AND key = %s",
                (new, text, self.workspace, old),
            ).rowcount
            if moved != 1:
                raise StateError(f"{old} is not in the state any more; nothing moved")
            conn.execute(
                f"DELETE FROM {SCHEMA}.intents WHERE workspace = %s AND key = %s", (self.workspace, old)
            )
        self._unflushed.discard(old)

    def forget(self, key: str) -> bool:
        with self._write() as conn:
            gone = conn.execute(
                f"DELETE FROM {_T} WHERE workspace = %s AND key = %s", (self.workspace, key)
            ).rowcount
            gone += conn.execute(
                f"DELETE FROM {SCHEMA}.intents WHERE workspace = %s AND key = %s", (self.workspace, key)
            ).rowcount
        return gone > 0


def _loads(where: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise StateError(
            f"{where}: not valid JSON ({exc}); it was damaged in the database — restore it from a backup"
        ) from None


def _for_database(message: str) -> str:
    """A message of the file backend, with its way to recover said for a database."""
    for fix in ("restore the file from git", "restore it from git", "rename it back"):
        message = message.replace(fix, "restore it from a database backup")
    if "(`git checkout --" in message:
        head, _, rest = message.partition(" (`git checkout --")
        message = head + rest.partition(")")[2]
    message = message.replace("applied-content file", "applied-content record")
    return message.replace("then delete the file", "then delete its row in wpsync.intents")


def _check_format(where: str, found: Any) -> None:
    if found == FORMAT:
        return
    if isinstance(found, int) and found > FORMAT:
        raise StateError(f"{where}: written by a newer wpsync (state format {found}); upgrade wpsync")
    raise StateError(f"{where}: unknown state format {found!r}; restore it from a database backup")
