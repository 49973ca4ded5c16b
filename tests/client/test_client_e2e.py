"""The client against the emulator over real HTTP: calls, error bodies, faults, rate limit, timeouts."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from wpsync.emulator.server import EmulatorHandle, running_emulator
from wpsync.errors import API_KEY_ENV, WpsyncError
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerApiError, WoodpeckerClient, WoodpeckerUnreachable
from wpsync.woodpecker.errors import maybe_committed

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "data" / "spec"
FAST = RetryPolicy(max_attempts=8, base_delay=0.02, max_delay=0.2, max_elapsed=20.0)


def spec(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SPEC / name).read_text())
    return loaded


def last_step_id(campaign: dict[str, Any]) -> str:
    step = campaign["steps"]
    while step.get("followup"):
        step = step["followup"]
    return str(step["id"])


@pytest.fixture
def client(emulator: EmulatorHandle) -> Iterator[WoodpeckerClient]:
    with WoodpeckerClient(emulator.api_key, emulator.base_url, retry=FAST) as made:
        yield made


def create(client: WoodpeckerClient, name: str = "create-one-step-email.json") -> dict[str, Any]:
    return client.create_campaign(spec(name))


def test_create_get_add_step_and_read_back(client: WoodpeckerClient, emulator: EmulatorHandle) -> None:
    created = create(client)
    cid = created["id"]
    assert created["status"] == "DRAFT"
    assert client.get_campaign(cid) == created
    parent = last_step_id(created)
    updated = client.add_step(cid, spec("add-step.json") | {"parent_id": parent})
    assert last_step_id(updated) != parent
    assert client.get_campaign(cid) == updated
    assert client.campaign_item(cid)["id"] == cid
    assert [c["id"] for c in client.list_campaigns(["DRAFT"])] == [cid]
    assert client.list_campaigns(["RUNNING"]) == []
    assert 112233 in [m["id"] for m in client.mailboxes()]
    assert [a["id"] for a in client.linkedin_accounts()] == [200002]


def test_status_transitions(client: WoodpeckerClient) -> None:
    cid = create(client)["id"]
    for action, status in [("run", "RUNNING"), ("pause", "PAUSED"), ("stop", "STOPPED")]:
        getattr(client, action)(cid)
        assert client.get_campaign(cid)["status"] == status
    client.make_editable(cid)
    assert client.get_campaign(cid)["status"] == "EDITED"


def test_error_answers(client: WoodpeckerClient, emulator: EmulatorHandle) -> None:
    with (
        WoodpeckerClient("not-a-key", emulator.base_url) as stranger,
        pytest.raises(WoodpeckerApiError) as bad,
    ):
        stranger.mailboxes()
    assert str(bad.value) == (
        "Woodpecker rejected the API key (401): Invalid api key — the key is wrong or revoked: check"
        " WOODPECKER_API_KEY"
    )

    with pytest.raises(WoodpeckerApiError) as missing:
        client.get_campaign(999_999)
    assert (missing.value.status, missing.value.code) == (404, "CAMPAIGN_NOT_EXIST")

    created = create(client)
    cid, parent = created["id"], last_step_id(created)
    client.run(cid)
    with pytest.raises(WoodpeckerApiError) as locked:
        client.add_step(cid, spec("add-step.json") | {"parent_id": parent})
    assert str(locked.value) == (
        f"campaign {cid} is not in DRAFT or EDITED status (NOT_EDITABLE_STATUS); steps can only be added"
        " in DRAFT or EDITED — run 'wpsync plan --make-editable' or make it editable in Woodpecker"
    )
    assert not locked.value.maybe_committed

    client.make_editable(cid)
    emulator.mark_processed(cid, parent, 1)
    with pytest.raises(WoodpeckerApiError) as unlinkable:
        client.add_step(cid, spec("add-step.json") | {"parent_id": parent})
    assert unlinkable.value.code == "PARENT_BRANCH_NOT_LINKABLE"

    emulator.seed_mailbox(555, connected=False)
    with pytest.raises(WoodpeckerApiError) as refused:
        client.create_campaign(spec("create-one-step-email.json") | {"email_account_ids": [555]})
    assert refused.value.code == "VALIDATION_FAILURE"
    assert str(refused.value).startswith(
        "Woodpecker refused campaign 'One-step email campaign': 409 VALIDATION"
    )
    assert "— check the mailbox is connected in Woodpecker (GET /v2/mailboxes)" in str(refused.value)

    body = spec("add-step.json") | {"parent_id": parent}
    body["step"] = body["step"] | {"delivery_time": {}}
    with pytest.raises(WoodpeckerApiError) as invalid:
        client.add_step(cid, body)
    assert invalid.value.code == "INPUT_DATA_VALIDATION_FAILURE"
    assert invalid.value.info.field_errors


def statuses(emulator: EmulatorHandle, method: str, key: str | None = None) -> list[Any]:
    return [r["status"] for r in emulator.requests(api_key=key) if r["method"] == method]


def test_get_500_is_retried(client: WoodpeckerClient, emulator: EmulatorHandle) -> None:
    cid = create(client)["id"]
    emulator.add_fault("500", 2, method="GET")
    assert client.get_campaign(cid)["id"] == cid
    assert statuses(emulator, "GET") == [500, 500, 200]


def test_post_faults_leave_the_outcome_to_settle(client: WoodpeckerClient, emulator: EmulatorHandle) -> None:
    emulator.add_fault("429", 2, method="POST")
    create(client)  # 429 is dropped before processing: resent, created once
    assert statuses(emulator, "POST") == [429, 429, 201]
    assert len(client.list_campaigns()) == 1

    emulator.add_fault("drop_after_commit", 1, method="POST")
    with pytest.raises(WoodpeckerUnreachable) as dropped:
        create(client)
    assert dropped.value.maybe_committed and maybe_committed(dropped.value)
    assert "may have been applied; wpsync will check before retrying" in str(dropped.value)
    assert len(client.list_campaigns()) == 2  # it was: the caller finds it instead of creating another

    emulator.add_fault("drop_before_commit", 1, method="POST")
    with pytest.raises(WoodpeckerUnreachable) as cut:
        create(client)
    assert cut.value.maybe_committed  # the client cannot tell the two drops apart
    assert len(client.list_campaigns()) == 2

    emulator.add_fault("500", 1, method="POST")
    with pytest.raises(WoodpeckerApiError) as failed:
        create(client)
    assert failed.value.maybe_committed
    assert statuses(emulator, "POST")[-1] == 500  # not resent


def test_timeouts(emulator: EmulatorHandle) -> None:
    timeout = httpx.Timeout(5.0, read=0.25)
    with WoodpeckerClient(emulator.api_key, emulator.base_url, retry=FAST, timeout=timeout) as client:
        cid = create(client)["id"]
        emulator.add_fault("timeout", 1, method="GET", seconds=0.4)
        assert client.get_campaign(cid)["id"] == cid  # timed out, retried, answered
        emulator.add_fault("timeout", 1, method="POST", seconds=0.4)
        with pytest.raises(WoodpeckerUnreachable) as slow:
            create(client)
        assert slow.value.maybe_committed
        assert "no answer within the read timeout" in str(slow.value)
        time.sleep(0.3)
        assert len(client.list_campaigns()) == 2  # the held request was handled after all


def test_many_threads_on_one_key_never_overflow_the_queue(
    client: WoodpeckerClient, emulator: EmulatorHandle
) -> None:
    cid = create(client)["id"]
    emulator.set_latency(0.005)
    emulator.add_fault("429", 5, method="GET")
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: client.get_campaign(cid)["id"], range(48)))
    assert results == [cid] * 48
    log = [r for r in emulator.requests() if r["method"] == "GET"]
    assert sum(r["status"] == 429 for r in log) == 5  # only the armed ones: 16 threads, 1 in flight
    assert all(r["status"] in (200, 429) for r in log)


CHILD = """
import os, sys, time
from wpsync.commands.workspace import client_from_env
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient
retry = RetryPolicy(max_attempts=40, base_delay=0.02, max_delay=0.3, max_elapsed=30.0)
cid, n = int(sys.argv[1]), int(sys.argv[2])
with client_from_env(retry=retry) as client:
    print("ready", flush=True)
    sys.stdin.readline()  # every child has imported and connected: they start together
    print(sum(client.get_campaign(cid)["id"] == cid for _ in range(n)))
"""


def test_three_processes_on_one_key_back_off_on_429_and_all_complete() -> None:
    # A queue of 1 makes the third process's concurrent request overflow, as a busy account would.
    with running_emulator(api_keys=["proc-key"], seed_examples=True, queue_size=1) as emulator:
        with WoodpeckerClient("proc-key", emulator.base_url) as client:
            cid = create(client)["id"]
        emulator.set_latency(0.05)
        env = os.environ | {API_KEY_ENV: "proc-key", "WOODPECKER_API_URL": emulator.base_url}
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, str(cid), "6"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        # A handshake, not a clock: on a loaded machine a child can take seconds to import.
        for child in children:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = [child.communicate(timeout=60) for child in children]
        assert [(c.returncode, out.strip()) for c, (out, _) in zip(children, outputs, strict=True)] == [
            (0, "6")
        ] * 3, [err for _, err in outputs]
        gets = [r for r in emulator.requests() if r["method"] == "GET"]
        assert sum(r["status"] == 200 for r in gets) == 18
        assert any(r["status"] == 429 and r["fault"] is None for r in gets)  # the back-off was needed


def test_no_key_in_logs_or_errors_over_real_http(caplog: pytest.LogCaptureFixture) -> None:
    canary = "CANARY-e2e-5a4b3c2d1e"
    caplog.set_level(logging.DEBUG)
    errors: list[WpsyncError] = []
    with running_emulator(api_keys=[canary], seed_examples=True) as emulator:
        timeout = httpx.Timeout(5.0, read=0.25)
        retry = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.01)
        with WoodpeckerClient(canary, emulator.base_url, retry=retry, timeout=timeout) as client:
            for kind in ("500", "drop_after_commit", "drop_before_commit", "timeout"):
                emulator.add_fault(kind, 1, method="POST", seconds=0.4)
                with pytest.raises(WpsyncError) as caught:
                    create(client)
                errors.append(caught.value)
            calls: list[Callable[[], object]] = [
                lambda: client.get_campaign(424242),
                lambda: client.add_step(424242, {}),
            ]
            for call in calls:
                with pytest.raises(WpsyncError) as caught:
                    call()
                errors.append(caught.value)
            texts = [repr(client)]
    texts += [f"{e!s} {e!r} {vars(e)!r}" for e in errors]
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    assert [t for t in texts if canary in t] == []
