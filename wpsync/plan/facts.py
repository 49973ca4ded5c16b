"""What the plan is told about Woodpecker: the facts a refresh reads, as plain values.

These are the planner's *input* types. The reading side (``wpsync.woodpecker.refresh``) builds them
and never imports the planner; the planner decides from them and never reads anything itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RemoteCampaign:
    """What Woodpecker reports about one campaign now."""

    status: str
    step_ids: tuple[str, ...]  # START first
    step_hashes: tuple[str, ...]  # canonical hashes of the content steps
    last_step_processed: int


@dataclass(frozen=True)
class Facts:
    """Refreshed facts. A key maps to None when its campaign no longer exists in Woodpecker."""

    campaigns: Mapping[str, RemoteCampaign | None] = field(default_factory=dict)
    mailboxes: Mapping[int, str | None] | None = None  # SMTP id → connection error (None: fine)
    linkedin: Mapping[int, tuple[str, str]] | None = None  # id → (session_status, level)
    untracked: Mapping[str, tuple[int, ...]] | None = None  # campaign name → ids no record owns
