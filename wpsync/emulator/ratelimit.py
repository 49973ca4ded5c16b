"""Woodpecker's documented rate limit: one request at a time per account, a short queue, then 429.

"Woodpecker processes one request at a time per account; up to 6 more wait in a queue for at most
15 s; anything beyond is dropped at once with HTTP 429." The queue is first in, first out: the slot is
handed straight to the oldest waiter, so a newcomer can never overtake a queued request.

``acquire`` hands out the lane it admitted the request to, and ``release`` takes that lane back. A reset
replaces every lane: requests still queued on an old lane are dropped (429), and whatever still runs on
one releases a lane nobody else uses, so new requests never wait behind anything from before the reset.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field

QUEUE_SIZE = 6
QUEUE_WAIT = 15.0


@dataclass(eq=False)
class Lane:
    busy: bool = False
    waiters: deque[asyncio.Future[bool]] = field(default_factory=deque)


class Limiter:
    def __init__(self, queue_size: int = QUEUE_SIZE, queue_wait: float = QUEUE_WAIT) -> None:
        self.queue_size = queue_size
        self.queue_wait = queue_wait
        self._lanes: dict[str, Lane] = {}

    async def acquire(self, account: str) -> Lane | None:
        """Wait for the account's slot; None means answer 429 (queue full, waited too long, or reset)."""
        lane = self._lanes.setdefault(account, Lane())
        if not lane.busy:
            lane.busy = True
            return lane
        if len(lane.waiters) >= self.queue_size:
            return None
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        lane.waiters.append(waiter)
        try:
            async with asyncio.timeout(self.queue_wait):
                granted = await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled() and waiter.result():
                # The slot was handed over just as time ran out (or we were cancelled): pass it on.
                self.release(lane)
            elif waiter in lane.waiters:
                lane.waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                return None
            raise
        return lane if granted else None

    def release(self, lane: Lane) -> None:
        while lane.waiters:
            waiter = lane.waiters.popleft()
            if not waiter.done():
                waiter.set_result(True)  # the slot stays busy: it now belongs to this waiter
                return
        lane.busy = False

    def reset(self) -> None:
        """Forget every lane; drop (429) whatever is still queued on them."""
        lanes, self._lanes = self._lanes, {}
        for lane in lanes.values():
            while lane.waiters:
                waiter = lane.waiters.popleft()
                if not waiter.done():
                    waiter.set_result(False)
