"""Woodpecker's documented rate limit: one request at a time per account, a short queue, then 429.

"Woodpecker processes one request at a time per account; up to 6 more wait in a queue for at most
15 s; anything beyond is dropped at once with HTTP 429." The queue is first in, first out: the slot is
handed straight to the oldest waiter, so a newcomer can never overtake a queued request.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field

QUEUE_SIZE = 6
QUEUE_WAIT = 15.0


@dataclass
class _Lane:
    busy: bool = False
    waiters: deque[asyncio.Future[None]] = field(default_factory=deque)


class Limiter:
    def __init__(self, queue_size: int = QUEUE_SIZE, queue_wait: float = QUEUE_WAIT) -> None:
        self.queue_size = queue_size
        self.queue_wait = queue_wait
        self._lanes: dict[str, _Lane] = {}

    async def acquire(self, account: str) -> bool:
        """Wait for the account's slot; False means answer 429 (queue full, or waited too long)."""
        lane = self._lanes.setdefault(account, _Lane())
        if not lane.busy:
            lane.busy = True
            return True
        if len(lane.waiters) >= self.queue_size:
            return False
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        lane.waiters.append(waiter)
        try:
            async with asyncio.timeout(self.queue_wait):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                # The slot was handed over just as time ran out (or we were cancelled): pass it on.
                self.release(account)
            elif waiter in lane.waiters:
                lane.waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                return False
            raise
        return True

    def release(self, account: str) -> None:
        lane = self._lanes[account]
        while lane.waiters:
            waiter = lane.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot stays busy: it now belongs to this waiter
                return
        lane.busy = False
