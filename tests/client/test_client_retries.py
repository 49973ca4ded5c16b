"""GETs retry with capped, jittered back-off; POSTs are resent only when provably unprocessed (429)."""

from __future__ import annotations

import random

import httpx
import pytest

from tests.client.client_helpers import FAST, MakeClient, connect_error, reply
from wpsync.errors import ApiUnreachable
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerApiError, WoodpeckerUnreachable, maybe_committed

OK_CAMPAIGN = reply(200, {"id": 1})
UNKNOWN_500 = reply(500, {"code": "UNKNOWN", "message": "Unknown error", "details": None})


@pytest.mark.parametrize(
    "failure",
    [
        reply(429),
        UNKNOWN_500,
        reply(503, text="busy"),
        connect_error(),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=["429", "500", "503", "connect-refused", "connect-timeout", "read-timeout", "dropped"],
)
def test_get_retries_then_succeeds(make_client: MakeClient, failure: object) -> None:
    client, script, fake = make_client(failure, failure, OK_CAMPAIGN)
    assert client.get_campaign(1) == {"id": 1}
    assert len(script.requests) == 3
    assert len(fake.sleeps) == 2


def test_backoff_is_capped_exponential_with_full_jitter(make_client: MakeClient) -> None:
    policy = RetryPolicy(max_attempts=8, base_delay=1.0, max_delay=4.0, max_elapsed=1000.0)
    client, _, fake = make_client(reply(503), retry=policy)
    with pytest.raises(WoodpeckerApiError):
        client.get_campaign(1)
    caps = [1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0]
    assert len(fake.sleeps) == 7
    assert all(0.0 <= d <= cap for d, cap in zip(fake.sleeps, caps, strict=True))
    assert len(set(fake.sleeps)) == 7  # jittered: no two the same
    assert any(d < cap / 2 for d, cap in zip(fake.sleeps, caps, strict=True))  # full jitter reaches low

    class Top(random.Random):
        def uniform(self, a: float, b: float) -> float:
            return b

    assert [policy.delay(k, Top()) for k in range(1, 8)] == caps  # the upper bound is exponential, capped


def test_exhausted_get_retries_say_so(make_client: MakeClient) -> None:
    client, script, _ = make_client(reply(503, text="Service Unavailable"))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.get_campaign(1)
    assert len(script.requests) == FAST.max_attempts
    assert caught.value.status == 503
    assert not caught.value.maybe_committed
    assert str(caught.value) == (
        "Woodpecker failed on campaign 1 (503: Service Unavailable), after 6 attempts"
        " — Woodpecker is having trouble; run again later"
    )


def test_exhausted_429_says_the_key_is_busy(make_client: MakeClient) -> None:
    client, _, _ = make_client(reply(429))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.mailboxes()
    assert str(caught.value) == (
        "Woodpecker is still rate-limiting this API key (429), after 6 attempts"
        " — another program is using the same key; wait a minute and run again"
    )


def test_total_time_is_bounded(make_client: MakeClient) -> None:
    policy = RetryPolicy(max_attempts=100, base_delay=1.0, max_delay=4.0, max_elapsed=10.0)
    client, script, fake = make_client(reply(429), retry=policy)
    with pytest.raises(WoodpeckerApiError):
        client.get_campaign(1)
    assert sum(fake.sleeps) <= 10.0
    assert len(script.requests) < 100


def test_unreachable_get_after_retries(make_client: MakeClient) -> None:
    client, script, _ = make_client(connect_error())
    with pytest.raises(WoodpeckerUnreachable) as caught:
        client.get_campaign(1)
    assert isinstance(caught.value, ApiUnreachable)
    assert len(script.requests) == FAST.max_attempts
    assert not caught.value.maybe_committed
    assert str(caught.value) == (
        "could not reach Woodpecker at https://wp.test/rest for GET /v2/campaigns/1: could not connect"
        " ([Errno 111] Connection refused), after 6 attempts — check the network and WOODPECKER_API_URL,"
        " then run again"
    )


def test_get_4xx_is_not_retried(make_client: MakeClient) -> None:
    client, script, fake = make_client(reply(404, {"title": "Not Found", "detail": "nope"}))
    with pytest.raises(WoodpeckerApiError):
        client.get_campaign(1)
    assert (len(script.requests), fake.sleeps) == (1, [])


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.WriteTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset"),
    ],
    ids=["read-timeout", "write-timeout", "dropped", "reset"],
)
def test_post_after_sending_is_not_resent_and_may_be_committed(
    make_client: MakeClient, failure: Exception
) -> None:
    client, script, fake = make_client(failure, reply(201, {"id": 1}))
    with pytest.raises(WoodpeckerUnreachable) as caught:
        client.create_campaign({"name": "x"})
    assert (len(script.requests), fake.sleeps) == (1, [])
    assert caught.value.maybe_committed and maybe_committed(caught.value)
    assert str(caught.value).endswith(
        "— the request was sent and may have been applied; wpsync will check before retrying"
    )


@pytest.mark.parametrize(
    "failure",
    [connect_error(), httpx.ConnectTimeout("connect timed out"), httpx.PoolTimeout("pool")],
    ids=["refused", "connect-timeout", "pool-timeout"],
)
def test_post_that_never_connected_is_not_committed(make_client: MakeClient, failure: Exception) -> None:
    client, script, _ = make_client(failure)
    with pytest.raises(WoodpeckerUnreachable) as caught:
        client.add_step(3, {"step": {}})
    assert len(script.requests) == 1
    assert not caught.value.maybe_committed
    assert "nothing was sent, so nothing was applied" in str(caught.value)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_post_5xx_is_not_resent(make_client: MakeClient, status: int) -> None:
    client, script, _ = make_client(reply(status), reply(200, {"id": 3}))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.add_step(3, {"step": {}})
    assert len(script.requests) == 1
    assert caught.value.maybe_committed
    assert maybe_committed(caught.value)


def test_post_429_is_resent_with_backoff(make_client: MakeClient) -> None:
    client, script, fake = make_client(reply(429), reply(429), reply(201, {"id": 5}))
    assert client.create_campaign({"name": "x"}) == {"id": 5}
    assert len(script.requests) == 3
    assert [r.content for r in script.requests] == [script.requests[0].content] * 3
    assert len(fake.sleeps) == 2


def test_post_429_exhausted_is_not_committed(make_client: MakeClient) -> None:
    client, script, _ = make_client(reply(429))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.run(3)
    assert len(script.requests) == FAST.max_attempts
    assert not caught.value.maybe_committed


def test_maybe_committed_of_other_exceptions_is_false() -> None:
    assert not maybe_committed(ValueError("x"))
