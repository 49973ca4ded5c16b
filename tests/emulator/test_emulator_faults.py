"""Injected faults: each kind fails the way it says, and commits (or not) as it says."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest

from tests.emulator.emu_helpers import add_step, chain, create, listed, local_client, minimal_create
from wpsync.emulator.server import EmulatorHandle


def campaigns(api: httpx.Client) -> list[int]:
    return [c["id"] for c in listed(api)]


def test_500_hits_the_next_n_matching_requests_only(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("500", count=2, method="POST")
    assert api.get("/v2/mailboxes").status_code == 200  # GET does not match
    assert [api.post("/v2/campaigns", json=minimal_create()).status_code for _ in range(3)] == [500, 500, 201]
    assert len(campaigns(api)) == 1


def test_path_prefix_narrows_a_fault(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("500", path_prefix="/rest/v2/mailboxes")
    assert api.get("/v2/linkedin_accounts").status_code == 200
    assert api.get("/v2/mailboxes").status_code == 500
    assert api.get("/v2/mailboxes").status_code == 200


def test_faults_belong_to_one_account(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("500", api_key="other-key")
    assert api.get("/v2/mailboxes").status_code == 200
    with local_client(emulator.base_url, "other-key") as other:
        assert other.get("/v2/mailboxes").status_code == 500


def test_429_is_immediate(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.set_latency(0.5)
    emulator.add_fault("429")
    started = time.monotonic()
    assert api.get("/v2/mailboxes").status_code == 429
    assert time.monotonic() - started < 0.3


def test_drop_before_commit_sends_nothing_and_changes_nothing(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    emulator.add_fault("drop_before_commit")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/v2/campaigns", json=minimal_create())
    assert campaigns(api) == []
    [entry] = [e for e in emulator.requests() if e["method"] == "POST"]
    assert (entry["status"], entry["fault"]) == (None, "drop_before_commit")


def test_drop_before_commit_writes_not_one_byte(emulator: EmulatorHandle) -> None:
    emulator.add_fault("drop_before_commit")
    url = urlsplit(emulator.root_url)
    assert url.hostname and url.port
    with socket.create_connection((url.hostname, url.port), timeout=5) as raw:
        raw.sendall(b"GET /rest/v2/mailboxes HTTP/1.1\r\nHost: x\r\nx-api-key: test-key\r\n\r\n")
        assert raw.recv(4096) == b""  # end of stream: closed without a status line


def test_drop_after_commit_commits_then_cuts(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("drop_after_commit", path_prefix="/rest/v2/campaigns")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/v2/campaigns", json=minimal_create(name="made anyway"))
    [row] = api.get("/v1/campaign_list").json()
    assert row["name"] == "made anyway"
    [entry] = [e for e in emulator.requests() if e["method"] == "POST"]
    assert (entry["status"], entry["fault"]) == (None, "drop_after_commit")


def test_drop_after_commit_on_add_step_appends_the_step(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    emulator.add_fault("drop_after_commit", method="POST")
    with pytest.raises(httpx.RemoteProtocolError):
        add_step(api, campaign)
    assert len(chain(api.get(f"/v2/campaigns/{campaign['id']}").json())) == 3


def test_timeout_outlasts_the_client_then_completes(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("timeout", seconds=0.8)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        api.post("/v2/campaigns", json=minimal_create(), timeout=0.3)
    # The follow-up read queues behind the slow request (one at a time), then sees that it committed.
    assert len(campaigns(api)) == 1
    assert time.monotonic() - started > 0.7


def test_latency_is_added_to_every_api_request(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.set_latency(0.2)
    started = time.monotonic()
    api.get("/v2/mailboxes")
    api.get("/v2/linkedin_accounts")
    assert time.monotonic() - started >= 0.4
    emulator.set_latency(0)
    started = time.monotonic()
    api.get("/v2/mailboxes")
    assert time.monotonic() - started < 0.1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "explode"},
        {"count": 1},
        {"kind": "500", "count": -1},
        {"kind": "500", "typo": 1},
        {"kind": "timeout", "seconds": "long"},
    ],
)
def test_fault_hook_refuses_bad_bodies(emulator: EmulatorHandle, body: dict[str, object]) -> None:
    with local_client() as raw:
        response = raw.post(
            f"{emulator.root_url}/_emulator/faults", json=body, headers={"x-api-key": "test-key"}
        )
    assert response.status_code == 400
    assert response.json()["code"] == "INPUT_DATA_VALIDATION_FAILURE"
