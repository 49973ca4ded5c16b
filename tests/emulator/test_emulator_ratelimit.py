"""The documented rate limit: one request at a time per API key, 6 more queued for at most 15 s, then 429.

Injected latency makes each request hold the key's slot for a known time, so who waits and who is
refused does not depend on scheduling luck.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.emulator.emu_helpers import local_client
from wpsync.emulator.server import EmulatorHandle, running_emulator

LATENCY = 0.25


def fire(url: str, keys: list[str], stagger: float = 0.0) -> list[tuple[int, float, float]]:
    """One GET per key, all at once (or ``stagger`` apart): (status, sent, answered) each, in order."""
    barrier = threading.Barrier(len(keys))

    def one(index: int) -> tuple[int, float, float]:
        with local_client(timeout=30) as client:
            barrier.wait()
            time.sleep(index * stagger)
            sent = time.monotonic()
            response = client.get(url, headers={"x-api-key": keys[index]})
            return response.status_code, sent, time.monotonic()

    with ThreadPoolExecutor(len(keys)) as pool:
        return list(pool.map(one, range(len(keys))))


def test_one_at_a_time_six_queued_the_rest_refused_at_once(emulator: EmulatorHandle) -> None:
    emulator.set_latency(LATENCY)
    results = fire(f"{emulator.base_url}/v2/mailboxes", ["test-key"] * 10)
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [200] * 7 + [429] * 3
    refused = [done - sent for status, sent, done in results if status == 429]
    assert max(refused) < LATENCY  # answered at once, not after waiting
    # Served one at a time: 7 answers need 7 full processing times. Had any two overlapped, all would be
    # done within 6; load on the machine can only make this longer, so it cannot pass by luck.
    first_sent = min(sent for _, sent, _ in results)
    last_answer = max(done for status, _, done in results if status == 200)
    assert last_answer - first_sent > 7 * LATENCY * 0.9
    log = emulator.requests()
    assert sorted(entry["status"] for entry in log) == statuses


def test_queue_is_first_in_first_out(emulator: EmulatorHandle) -> None:
    emulator.set_latency(0.15)
    results = fire(f"{emulator.base_url}/v2/mailboxes", ["test-key"] * 4, stagger=0.03)
    assert [status for status, _, _ in results] == [200] * 4
    answered = [done for _, _, done in results]
    assert answered == sorted(answered)


def test_a_queued_request_gives_up_after_the_queue_wait() -> None:
    with running_emulator(queue_wait=0.3) as emulator:
        emulator.set_latency(1.0)
        results = fire(f"{emulator.base_url}/v2/mailboxes", ["test-key"] * 3, stagger=0.05)
    assert [status for status, _, _ in results] == [200, 429, 429]
    for _, sent, done in results[1:]:
        assert 0.25 < done - sent < 0.9


def test_queue_size_is_configurable() -> None:
    with running_emulator(queue_size=1) as emulator:
        emulator.set_latency(0.3)
        results = fire(f"{emulator.base_url}/v2/mailboxes", ["test-key"] * 4)
    assert sorted(status for status, _, _ in results) == [200, 200, 429, 429]


def test_two_keys_do_not_block_each_other(emulator: EmulatorHandle) -> None:
    for key in ("test-key", "other-key"):
        emulator.set_latency(0.5, api_key=key)
    started = time.monotonic()
    results = fire(f"{emulator.base_url}/v2/mailboxes", ["test-key", "other-key"])
    assert [status for status, _, _ in results] == [200, 200]
    assert time.monotonic() - started < 0.9


def test_a_full_queue_on_one_key_leaves_the_other_key_alone(emulator: EmulatorHandle) -> None:
    emulator.set_latency(0.15)
    results = fire(f"{emulator.base_url}/v2/mailboxes", ["test-key"] * 8 + ["other-key"])
    assert sorted(status for status, _, _ in results[:8]) == [200] * 7 + [429]
    status, sent, done = results[8]
    assert status == 200 and done - sent < 0.15


def test_hooks_are_neither_rate_limited_nor_logged(emulator: EmulatorHandle) -> None:
    emulator.set_latency(1.0)

    def slow() -> int:
        with local_client(emulator.base_url, "test-key") as client:
            return client.get("/v2/mailboxes").status_code

    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(slow)
        time.sleep(0.1)  # the API request now holds the key's slot
        started = time.monotonic()
        emulator.seed_mailbox(4444)
        assert [e["path"] for e in emulator.requests()] == ["/rest/v2/mailboxes"]
        assert time.monotonic() - started < 0.5
        assert pending.result() == 200
