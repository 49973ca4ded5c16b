"""The state backends side by side: reading a fleet's records and the cost of one write, files vs PostgreSQL.

    python benchmarks/state_backends.py [--records 1000] [--reps 7] [--writes 200] [--url URL]

Without ``--url`` a throwaway PostgreSQL is started (``tests/pg_server.py``) with fsync *on*, so a
durable commit costs what it costs on this disk; the files are written under a temp dir on the same
disk. Each figure is the median of ``--reps`` runs:

- ``read_all`` of N records: a fresh state object each time (files: one open+parse per record; pg: one
  query on an open connection), and ``connect + read_all`` (pg only: what a one-shot command pays);
- ``write (durable)``: one ``write(record, applied)`` outside a batch (files: 2 files, 3 fsyncs;
  pg: one transaction, one WAL flush);
- ``apply call (batch)``: what apply pays per Woodpecker call inside ``batch()`` — write_intent,
  write(record, applied), clear_intent — including its share of the batch's closing sync.

``measure(url, records, reps, writes)`` returns the figures as a dict, for ``benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wpsync.state.journal import AppendIntent  # noqa: E402
from wpsync.state.pg_schema import parse_url  # noqa: E402 - after the path set just above
from wpsync.state.postgres import PgState  # noqa: E402
from wpsync.state.records import Applied, CampaignRecord, StepRecord  # noqa: E402
from wpsync.state.store import StateDir  # noqa: E402


def _record(key: str, lineage: str, serial: int = 1) -> CampaignRecord:
    emails = [StepRecord(f"s{n}", "EMAIL", f"{n:016x}", (f"v{n}a", f"v{n}b")) for n in range(1, 17)]
    steps = (StepRecord("s0", "START"), *emails)
    return CampaignRecord(key, lineage, serial, 1000 + serial, "DRAFT", "h" * 16, steps, "d" * 16, "0.1.0")


def _applied() -> Applied:
    step = {"type": "EMAIL", "subject": "Hello {{FIRST_NAME}}", "message": "<p>" + "x" * 600 + "</p>"}
    return Applied(head={"name": "A campaign", "settings": {"daily_enroll": 25}}, steps=(step,) * 16)


def _median(reps: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(url: str, records: int = 1000, reps: int = 7, writes: int = 200) -> dict[str, dict[str, float]]:
    """Seconds (medians) per figure, for "files" and "postgres"."""
    figures: dict[str, dict[str, float]] = {"files": {}, "postgres": {}}
    with tempfile.TemporaryDirectory(prefix="wpsync-bench-") as tmp:
        folder = StateDir(Path(tmp) / "state")
        conninfo = parse_url(url).conninfo
        workspace_url = f"{conninfo}{'&' if '?' in conninfo else '?'}workspace=bench-{uuid.uuid4().hex[:8]}"
        rows = PgState(workspace_url)
        for state in (folder, rows):
            lineage = state.lineage(create=True) or ""
            with state.batch():
                for n in range(records):
                    state.write(_record(f"c{n:05d}", lineage), _applied())
        figures["files"]["read_all"] = _median(reps, lambda: StateDir(folder.root).read_all())
        warm = PgState(workspace_url)
        warm.lineage()
        figures["postgres"]["read_all"] = _median(reps, warm.read_all)

        def cold() -> None:
            with PgState(workspace_url) as fresh:
                fresh.read_all()

        figures["postgres"]["connect + read_all"] = _median(reps, cold)
        for name, state in (("files", folder), ("postgres", rows)):
            lineage = state.lineage() or ""
            record = _record("c00000", lineage)

            def durable(state: StateDir | PgState = state, record: CampaignRecord = record) -> None:
                for serial in range(writes):
                    state.write(replace(record, serial=serial), _applied())

            def batched(state: StateDir | PgState = state, record: CampaignRecord = record) -> None:
                with state.batch():
                    for serial in range(writes):
                        state.write_intent(
                            record.key, AppendIntent(record.key, record.campaign_id, f"s{serial}", "c" * 16)
                        )
                        state.write(replace(record, serial=serial), _applied())
                        state.clear_intent(record.key)

            figures[name]["write (durable)"] = _median(reps, durable) / writes
            figures[name]["apply call (batch)"] = _median(reps, batched) / writes
        rows.close()
        warm.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--url", help="an existing PostgreSQL (default: start a throwaway one)")
    args = parser.parse_args()
    if args.url:
        figures = measure(args.url, args.records, args.reps, args.writes)
    else:
        from tests.pg_server import running_postgres

        with running_postgres(durable=True) as server:
            figures = measure(server.url, args.records, args.reps, args.writes)
    print(f"state backends: {args.records} records, medians of {args.reps} runs")
    print(f"{'':24} {'files':>12} {'postgres':>12}")
    for figure in ("read_all", "connect + read_all", "write (durable)", "apply call (batch)"):
        cells = [figures[side].get(figure) for side in ("files", "postgres")]
        text = [f"{value * 1000:10.2f}ms" if value is not None else f"{'—':>12}" for value in cells]
        print(f"{figure:24} {text[0]:>12} {text[1]:>12}")


if __name__ == "__main__":
    main()
