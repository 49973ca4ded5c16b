"""Records to write, and child processes that use a PostgreSQL state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wpsync.state.journal import AppendIntent, CreateIntent
from wpsync.state.records import Applied, CampaignRecord, StepRecord

ROOT = Path(__file__).resolve().parents[2]


def record(key: str, lineage: str, serial: int = 1, campaign_id: int = 1001) -> CampaignRecord:
    return CampaignRecord(
        key=key,
        lineage=lineage,
        serial=serial,
        campaign_id=campaign_id,
        status="DRAFT",
        head_hash="h" * 16,
        steps=(StepRecord("s0", "START"), StepRecord("s1", "EMAIL", "a" * 16, ("v1", "v2"))),
        source_digest="d" * 16,
        tool_version="0.1.0",
        refreshed_at="2026-01-01T00:00:00Z",
    )


def applied(n: int = 1) -> Applied:
    return Applied(head={"name": "Żółw “quoted”", "n": n}, steps=({"subject": "Hi", "n": n},))


def create_intent(key: str, n: int = 0) -> CreateIntent:
    """A typed intent, as apply writes before POST /v2/campaigns (``n`` tells intents apart)."""
    return CreateIntent(
        key=key,
        name=f"Żółw {n}",
        sent={"name": f"Żółw {n}", "mailboxes": [1, 2]},
        step_hashes=("a" * 16, "b" * 16),
        head={"name": f"Żółw {n}"},
        head_hash="h" * 16,
        digest=f"{n:016d}",
    )


def append_intent(key: str, n: int = 0) -> AppendIntent:
    return AppendIntent(key=key, campaign_id=1001, parent_id=f"s{n}", step_hash="c" * 16)


def child(code: str, *args: str) -> subprocess.Popen[str]:
    """A Python child running ``code`` (argv[1:] = args), stdin/stdout as text pipes."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
