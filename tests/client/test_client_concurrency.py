"""One request in flight per API key across threads; different keys run in parallel."""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient
from wpsync.woodpecker.transport import key_lock

BASE = "https://wp.test/rest"


class InFlight:
    """A transport handler that tracks how many requests per key it is serving at once."""

    def __init__(self, hold: float = 0.005) -> None:
        self.hold = hold
        self.guard = threading.Lock()
        self.now: dict[str, int] = {}
        self.most: dict[str, int] = {}
        self.most_total = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = request.headers["x-api-key"]
        with self.guard:
            self.now[key] = self.now.get(key, 0) + 1
            self.most[key] = max(self.most.get(key, 0), self.now[key])
            self.most_total = max(self.most_total, sum(self.now.values()))
        try:
            self.serve(request)
        finally:
            with self.guard:
                self.now[key] -= 1
        return httpx.Response(200, json={"id": 1})

    def serve(self, request: httpx.Request) -> None:
        time.sleep(self.hold)


def client(key: str, handler: InFlight, **kwargs: object) -> WoodpeckerClient:
    return WoodpeckerClient(key, BASE, transport=httpx.MockTransport(handler), **kwargs)  # type: ignore[arg-type]


def test_one_request_in_flight_per_key_across_threads_and_clients() -> None:
    handler = InFlight()
    # Two clients with the same key share the key's lock: the lock is per key, not per client.
    with (
        client("key-aaaa", handler) as one,
        client("key-aaaa", handler) as two,
        ThreadPoolExecutor(8) as pool,
    ):
        results = list(pool.map(lambda i: (one, two)[i % 2].get_campaign(1), range(40)))
    assert len(results) == 40
    assert handler.most == {"key-aaaa": 1}


def test_two_keys_run_in_parallel() -> None:
    barrier = threading.Barrier(2, timeout=5)

    class BothAtOnce(InFlight):
        def serve(self, request: httpx.Request) -> None:
            barrier.wait()  # only passes if both keys' requests are in flight together

    handler = BothAtOnce()
    with client("key-aaaa", handler) as a, client("key-bbbb", handler) as b, ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(c.get_campaign, 1) for c in (a, b, a, b)]
        assert all(f.result(timeout=10) == {"id": 1} for f in futures)
    assert handler.most == {"key-aaaa": 1, "key-bbbb": 1}
    assert handler.most_total == 2


def test_the_key_lock_is_released_while_backing_off() -> None:
    # Thread A gets a 429 and sleeps until thread B's request on the same key has been answered.
    # Were the lock held across the sleep, B could not finish and A's sleep would time out.
    b_done = threading.Event()
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/1") and len(calls) == 1:
            return httpx.Response(429)
        return httpx.Response(200, json={"id": 1})

    def b_call() -> None:
        b.get_campaign(2)
        b_done.set()

    def a_sleep(seconds: float) -> None:
        threading.Thread(target=b_call).start()
        if not b_done.wait(timeout=5):
            pytest.fail("B never got the key's lock while A was backing off")

    retry = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.001)
    with (
        client("key-cccc", handler, sleep=a_sleep, retry=retry) as a,  # type: ignore[arg-type]
        client("key-cccc", handler) as b,  # type: ignore[arg-type]
    ):
        assert a.get_campaign(1) == {"id": 1}
    assert calls == ["/rest/v2/campaigns/1", "/rest/v2/campaigns/2", "/rest/v2/campaigns/1"]


def _child_request() -> None:
    with client("key-fork", InFlight(hold=0)) as c:
        c.get_campaign(1)


def test_a_forked_child_does_not_inherit_a_held_key_lock() -> None:
    lock = key_lock("key-fork")
    with lock:  # as if another thread were mid-request when the process forked
        child = multiprocessing.get_context("fork").Process(target=_child_request)
        child.start()
        child.join(timeout=10)
    if child.is_alive():  # it deadlocked: do not leave it behind
        child.kill()
        child.join()
    assert child.exitcode == 0


class ByCompany(InFlight):
    """Counts in flight per account: the key alone, or the key and its ``x-company-id``."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        company = request.headers.get("x-company-id", "")
        request.headers["x-api-key"] = f"{request.headers['x-api-key']}/{company}"
        return super().__call__(request)


def test_an_agency_key_runs_its_client_companies_in_parallel_each_one_at_a_time() -> None:
    handler = ByCompany(hold=0.02)
    with (
        client("key-hq-1", handler, company_id=501) as one,
        client("key-hq-1", handler, company_id=502) as two,
        client("key-hq-1", handler, company_id=501) as one_again,
        ThreadPoolExecutor(6) as pool,
    ):
        list(pool.map(lambda i: (one, two, one_again)[i % 3].get_campaign(1), range(30)))
    assert handler.most == {"key-hq-1/501": 1, "key-hq-1/502": 1}  # one in flight per company
    assert handler.most_total == 2  # and the two companies side by side


def test_company_id_is_sent_as_a_header_and_shown_in_the_repr_but_never_the_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": 1})

    with WoodpeckerClient("key-secret-9", BASE, transport=httpx.MockTransport(handler), company_id=77) as c:
        c.get_campaign(1)
        assert "company_id=77" in repr(c) and "key-secret-9" not in repr(c)
    assert seen[0].headers["x-company-id"] == "77"
    with WoodpeckerClient("key-secret-9", BASE, transport=httpx.MockTransport(handler)) as plain:
        plain.get_campaign(1)
    assert "x-company-id" not in seen[1].headers
    with pytest.raises(TypeError):
        WoodpeckerClient("key-secret-9", BASE, company_id=True)  # type: ignore[arg-type]
