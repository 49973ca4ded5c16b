"""SIGKILL a writer in the middle of a batch: a fresh reader sees every committed record, no torn one,
and the intent of every call since the batch began — what the next apply settles."""

from __future__ import annotations

import signal

from tests.state_pg.helpers import child, create_intent
from wpsync.state.postgres import PgState

WRITER = """
import sys, time
sys.path.insert(0, ".")
from tests.state_pg.helpers import applied, create_intent, record
from wpsync.state.postgres import PgState
state = PgState(sys.argv[1])
lineage = state.lineage(create=True)
with state.batch():
    for n in range(1000):
        key = f"k{n:04d}"
        state.write_intent(key, create_intent(key, n))
        state.write(record(key, lineage, campaign_id=n + 1), applied(n))
        state.clear_intent(key)
        print(n, flush=True)
"""


def test_killed_mid_batch_leaves_committed_records_and_their_intents(pg_url: str) -> None:
    writer = child(WRITER, pg_url)
    assert writer.stdout is not None
    for _ in range(30):
        last = writer.stdout.readline()
    assert last.strip() == "29", writer.stderr.read() if writer.stderr else ""
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=10)
    state = PgState(pg_url)
    records, intents = state.read_all(), state.intents()
    assert len(records) >= 30
    assert set(records) <= set(intents) and len(intents) - len(records) <= 1
    for key, rec in records.items():
        n = int(key[1:])
        assert rec.campaign_id == n + 1 and state.read_applied(key) is not None
        assert intents[key] == create_intent(key, n)
    assert sorted(records) == [f"k{n:04d}" for n in range(len(records))]  # a prefix: nothing lost
    assert state.read_lock() is None
