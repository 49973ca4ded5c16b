"""Item 8: a whole request is bounded in time (not each read) and its answer in size."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.hardening.conftest import assert_clear_error, cli
from tests.hardening.servers import endless_chunks, huge_length, raw_server, trickle_body, trickle_headers
from tests.helpers import MINIMAL
from wpsync.errors import WpsyncError
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient

KEY = "hardening-key-1"


def timed(call: Callable[[], object]) -> tuple[BaseException | None, float]:
    started = time.monotonic()
    try:
        call()
    except BaseException as exc:  # the test judges what came out
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


@pytest.mark.parametrize("handler", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_a_trickling_server_cannot_outlast_the_deadline(handler: Callable[..., None]) -> None:
    with raw_server(handler) as url:
        client = WoodpeckerClient(KEY, url, timeout=1.0, deadline=1.5, retry=RetryPolicy(max_attempts=3))
        with client:
            error, took = timed(client.mailboxes)
    assert took < 4, f"took {took:.1f} s"
    assert isinstance(error, WpsyncError), repr(error)
    assert "within 1.5 s" in str(error) and "WPSYNC_HTTP_TIMEOUT" in str(error)
    assert KEY not in str(error)


def test_wpsync_http_timeout_bounds_the_whole_request_in_plan(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "campaigns").mkdir()
    (root / "campaigns" / "demo.toml").write_text(MINIMAL)
    with raw_server(trickle_body) as url:
        started = time.monotonic()
        result = cli(
            ["plan", "--campaigns", str(root / "campaigns"), "--state", str(root / "state")],
            WOODPECKER_API_KEY=KEY,
            WOODPECKER_API_URL=url,
            WPSYNC_HTTP_TIMEOUT="1",
        )
        took = time.monotonic() - started
    assert took < 5, f"took {took:.1f} s"
    assert_clear_error(result, "within 1 s")


@pytest.mark.parametrize("handler", [huge_length, endless_chunks], ids=["content-length", "chunked"])
def test_an_answer_larger_than_the_limit_is_dropped(handler: Callable[..., None]) -> None:
    with raw_server(handler) as url, WoodpeckerClient(KEY, url, timeout=5.0) as client:
        error, took = timed(client.mailboxes)
    assert took < 8, f"took {took:.1f} s"
    assert isinstance(error, WpsyncError), repr(error)
    assert "larger than 32 MiB" in str(error)
