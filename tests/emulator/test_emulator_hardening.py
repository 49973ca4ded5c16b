"""Nothing a test does to the emulator may wedge it (issue #13 item 15): bounded fault parameters, a
reset that frees every key, and clients that vanish mid-body without a traceback in the log."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.emulator.emu_helpers import listed, local_client, minimal_create
from wpsync.emulator.runtime import MAX_FAULT_COUNT, MAX_FAULT_SECONDS, MAX_LATENCY_SECONDS
from wpsync.emulator.server import EmulatorHandle, running_emulator


def refusal(call: Callable[[], Any]) -> str:
    with pytest.raises(httpx.HTTPStatusError) as refused:
        call()
    assert refused.value.response.status_code == 400
    details: str = refused.value.response.json()["details"]
    return details


def test_fault_and_latency_parameters_are_bounded(emulator: EmulatorHandle) -> None:
    assert "(from 0 to 60)" in refusal(lambda: emulator.add_fault("timeout", seconds=MAX_FAULT_SECONDS + 1))
    assert "(from 0 to 10000)" in refusal(lambda: emulator.add_fault("500", MAX_FAULT_COUNT + 1))
    assert "(from 0 to 60)" in refusal(lambda: emulator.set_latency(MAX_LATENCY_SECONDS + 0.5))
    assert "count: invalid value 1.5" in refusal(lambda: emulator.add_fault("500", 1.5))  # type: ignore[arg-type]
    armed = emulator.add_fault("stall_after_commit", MAX_FAULT_COUNT, seconds=MAX_FAULT_SECONDS)["armed"]
    assert armed[0]["count"] == MAX_FAULT_COUNT
    emulator.set_latency(MAX_LATENCY_SECONDS)
    emulator.reset()


def in_thread(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(call())
        except Exception as exc:  # handed to the test to judge
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


@pytest.mark.parametrize("kind", ["stall_after_commit", "timeout"])
def test_reset_ends_a_long_fault_and_frees_the_key(kind: str) -> None:
    with (
        running_emulator(["k"], seed_examples=True) as emu,
        local_client(emu.base_url, "k", timeout=30) as first,
        local_client(emu.base_url, "k", timeout=30) as second,
        local_client(emu.base_url, "k", timeout=30) as third,
    ):
        emu.add_fault(kind, seconds=MAX_FAULT_SECONDS, method="POST")
        held, held_result = in_thread(lambda: first.post("/v2/campaigns", json=minimal_create()))
        time.sleep(0.2)
        queued, queued_result = in_thread(lambda: second.get("/v2/mailboxes"))
        time.sleep(0.2)
        assert held.is_alive() and queued.is_alive()  # the key is wedged by the fault
        started = time.monotonic()
        emu.reset()
        held.join(5)
        queued.join(5)
        assert not held.is_alive() and not queued.is_alive()
        assert time.monotonic() - started < 2
        assert isinstance(held_result[0], httpx.Response)  # the held answer is sent at once
        assert queued_result[0].status_code == 429  # what waited behind it is dropped
        started = time.monotonic()
        assert third.get("/v2/mailboxes").status_code == 200  # and the key is free again
        assert time.monotonic() - started < 1


def test_reset_ends_a_long_latency() -> None:
    with running_emulator(["k"]) as emu, local_client(emu.base_url, "k", timeout=30) as client:
        emu.set_latency(MAX_LATENCY_SECONDS)
        slow, result = in_thread(lambda: client.get("/v2/mailboxes"))
        time.sleep(0.2)
        emu.reset()
        slow.join(5)
        assert not slow.is_alive() and result[0].status_code == 200
        started = time.monotonic()
        with local_client(emu.base_url, "k") as fresh:
            fresh.get("/v2/mailboxes")
        assert time.monotonic() - started < 1


def send_partial_body(root_url: str, path: str) -> None:
    host, port = root_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nx-api-key: k\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n".encode()
            + b'{"name": "half'
        )
        time.sleep(0.1)
    time.sleep(0.3)  # let the server notice the close


@pytest.mark.parametrize("path", ["/rest/v2/campaigns", "/_emulator/mailboxes"])
def test_a_client_vanishing_mid_body_leaves_no_traceback(caplog: pytest.LogCaptureFixture, path: str) -> None:
    with running_emulator(["k"], seed_examples=True) as emu, caplog.at_level(logging.DEBUG):
        send_partial_body(emu.root_url, path)
        with local_client(emu.base_url, "k") as client:
            assert listed(client) == []  # nothing was carried out, and the server still answers
        log = [e for e in emu.hook("GET", "/requests", api_key="k") if e["method"] == "POST"]
    assert "Traceback" not in caplog.text
    assert "Exception" not in caplog.text
    if path.startswith("/rest"):
        assert [(e["path"], e["status"]) for e in log] == [(path, None)]
