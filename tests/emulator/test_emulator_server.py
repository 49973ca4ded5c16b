"""Serving: start-up time, the CLI entry point, keys and accounts, persistence, reset, and secrecy."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.emulator.emu_helpers import chain, create, listed, local_client, minimal_create
from wpsync.emulator.server import EmulatorHandle, running_emulator, serve
from wpsync.errors import WpsyncError


def client(emulator: EmulatorHandle, key: str) -> httpx.Client:
    return local_client(emulator.base_url, key)


def test_starts_in_well_under_a_second() -> None:
    started = time.perf_counter()
    with running_emulator() as emulator, client(emulator, "test-key") as api:
        ready = time.perf_counter() - started
        assert api.get("/v2/mailboxes").status_code == 200
    assert ready < 1.0
    assert emulator.base_url == emulator.root_url + "/rest"


def test_serve_prints_one_line_serves_and_exits_cleanly_on_ctrl_c() -> None:
    code = "from wpsync.emulator.server import serve; serve('127.0.0.1', 0, ['k1'], None, True)"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        ready = time.perf_counter() - started
        assert line.startswith("wpsync emulator listening on http://127.0.0.1:") and line.endswith("/rest\n")
        base = line.removeprefix("wpsync emulator listening on ").strip()
        with local_client(base) as raw:
            boxes = raw.get("/v2/mailboxes", headers={"x-api-key": "k1"}).json()
            assert 112233 in [b["id"] for b in boxes]  # seeded
            assert raw.get("/v2/mailboxes", headers={"x-api-key": "k2"}).status_code == 401
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out == "" and "Traceback" not in err
    assert ready < 2.0  # includes the interpreter's own start; ~0.2 s measured


def test_without_configured_keys_every_key_is_its_own_account() -> None:
    with running_emulator(api_keys=[]) as emulator, client(emulator, "alpha") as alpha:
        with client(emulator, "beta") as beta:
            emulator.seed_mailbox(1, api_key="alpha")
            emulator.seed_mailbox(2, api_key="beta")
            assert [b["id"] for b in alpha.get("/v2/mailboxes").json()] == [1]
            assert [b["id"] for b in beta.get("/v2/mailboxes").json()] == [2]
        with local_client(emulator.base_url) as anonymous:
            assert anonymous.get("/v2/mailboxes").status_code == 401
            assert anonymous.get("/v2/mailboxes", headers={"x-api-key": ""}).status_code == 401


def test_seed_examples_applies_to_every_new_account() -> None:
    with running_emulator(api_keys=[], seed_examples=True) as emulator, client(emulator, "anyone") as api:
        assert {b["id"] for b in api.get("/v2/mailboxes").json() if b["type"] == "SMTP"} == {
            112233,
            100001,
            100002,
            100003,
        }
        assert [a["id"] for a in api.get("/v2/linkedin_accounts").json()["linkedin_accounts"]] == [200002]


def test_hooks_need_a_known_key(emulator: EmulatorHandle) -> None:
    for headers in ({}, {"x-api-key": "nope"}):
        with local_client() as raw:
            response = raw.post(f"{emulator.root_url}/_emulator/reset", headers=headers)
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid api key"


def test_hook_for_an_unknown_campaign_or_step(emulator: EmulatorHandle, api: httpx.Client) -> None:
    with pytest.raises(httpx.HTTPStatusError) as missing:
        emulator.set_status(424242, "RUNNING")
    assert missing.value.response.json()["code"] == "CAMPAIGN_NOT_EXIST"
    campaign = create(api)
    with pytest.raises(httpx.HTTPStatusError) as no_step:
        emulator.mark_processed(campaign["id"], "no-such-step", 3)
    assert no_step.value.response.json()["code"] == "STEP_NOT_EXIST"


def test_reset_empties_every_account_but_keeps_the_keys(emulator: EmulatorHandle, api: httpx.Client) -> None:
    create(api)
    with client(emulator, "other-key") as other:
        create(other)
        emulator.seed_mailbox(9, api_key="other-key")
        emulator.add_fault("500", api_key="other-key")
        emulator.reset()
        assert listed(other) == []
        assert 9 not in [b["id"] for b in other.get("/v2/mailboxes").json()]
        assert other.get("/v2/mailboxes").status_code == 200  # the fault went too
    assert listed(api) == []
    assert 112233 in [b["id"] for b in api.get("/v2/mailboxes").json()]  # re-seeded


def test_state_survives_a_restart_with_persistence(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    with running_emulator(persist=state, seed_examples=True) as first, client(first, "test-key") as api:
        first.seed_mailbox(777, "down@example.com", connected=False)
        first.seed_linkedin(300001, "Carl", "WAITING_FOR_CONNECTION", "CLASSIC")
        campaign = create(api)
        last = chain(campaign)[-1]["id"]
        first.set_status(campaign["id"], "PAUSED")
        first.mark_processed(campaign["id"], last, 5)
        before = {
            path: api.get(path).json()
            for path in (f"/v2/campaigns/{campaign['id']}", "/v2/mailboxes", "/v2/linkedin_accounts")
        }
        stats = api.get("/v1/campaign_list", params={"id": campaign["id"]}).json()
    assert [p.name for p in tmp_path.iterdir()] == ["emulator.json"]  # no temp files left behind
    with running_emulator(persist=state) as second, client(second, "test-key") as api:
        for path, body in before.items():
            assert api.get(path).json() == body
        assert api.get("/v1/campaign_list", params={"id": campaign["id"]}).json() == stats
        assert create(api)["id"] == campaign["id"] + 1  # the id counter persists too


def test_a_corrupt_state_file_is_refused(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    state.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a wpsync emulator state file"), running_emulator(persist=state):
        pass


def test_the_api_key_is_never_written_anywhere(tmp_path: Path) -> None:
    key = "sk-live-SECRET-0123456789"
    state = tmp_path / "emulator.json"
    with (
        running_emulator(api_keys=[key], persist=state, seed_examples=True) as emulator,
        client(emulator, key) as api,
    ):
        answers = [
            api.post("/v2/campaigns", json=minimal_create()),
            api.post("/v2/campaigns", json={"broken": key}),
            api.get("/v2/campaigns/1"),
            api.get("/nowhere"),
        ]
        emulator.add_fault("drop_before_commit")
        with pytest.raises(httpx.RemoteProtocolError):
            api.get("/v2/mailboxes")
        log = emulator.requests()
        texts = [a.text for a in answers] + [json.dumps(log), state.read_text(encoding="utf-8")]
        # The key only appears where the client itself put it: in the logged body of the "broken" request.
        assert [key in text for text in texts] == [False, False, False, False, True, False]
        assert all(len(entry["key_hash"]) == 12 and entry["key_hash"] not in key for entry in log)
        assert key not in json.dumps([{k: v for k, v in e.items() if k != "body"} for e in log])


def test_request_log_records_method_path_query_status_and_post_bodies(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    api.get("/v1/campaign_list", params={"status": "DRAFT"})
    api.post("/v2/campaigns", json={"name": 1})
    first, second = emulator.requests()
    assert (first["method"], first["path"], first["query"], first["status"]) == (
        "GET",
        "/rest/v1/campaign_list",
        "status=DRAFT",
        200,
    )
    assert "body" not in first
    assert (second["status"], second["body"]) == (400, {"name": 1})
    emulator.clear_requests()
    assert emulator.requests() == []


def test_serve_reports_a_port_in_use_as_a_wpsync_error() -> None:
    with running_emulator() as emulator:
        port = int(emulator.root_url.rsplit(":", 1)[1])
        with pytest.raises(
            WpsyncError,
            match=re.escape(f"emulator: cannot listen on 127.0.0.1:{port}: Address already in use"),
        ):
            serve("127.0.0.1", port, [], None, False)


def test_serve_reports_a_corrupt_state_file_as_a_wpsync_error(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    state.write_text("{", encoding="utf-8")
    with pytest.raises(WpsyncError, match=r"emulator: .*emulator\.json: not a wpsync emulator state file"):
        serve("127.0.0.1", 0, [], state, False)


def test_cli_latency_ms_delays_every_request() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wpsync", "emulator", "--port", "0", "--latency-ms", "150"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().removeprefix("wpsync emulator listening on ").strip()
        with local_client(base, "any-key") as api:
            for _ in range(2):
                started = time.perf_counter()
                assert api.get("/v2/mailboxes").status_code == 200
                assert time.perf_counter() - started >= 0.15
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def test_serve_refuses_a_latency_out_of_range() -> None:
    with pytest.raises(WpsyncError, match="latency must be between 0 and 60 s"):
        serve("127.0.0.1", 0, [], None, False, latency=61)


def test_cli_seed_sample_gives_each_new_account_the_unreadable_sample_campaign() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "wpsync", "emulator", "--port", "0", "--seed-sample"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().removeprefix("wpsync emulator listening on ").strip()
        for key in ("first-key", "second-key"):  # each account has its own, as in Woodpecker
            with local_client(base, key) as api:
                listed = api.get("/v1/campaign_list").json()
                assert [c["name"] for c in listed] == ["Your first multichannel campaign - sample"]
                answer = api.get(f"/v2/campaigns/{listed[0]['id']}")
                assert (answer.status_code, answer.json()["code"]) == (
                    409,
                    "API_UNSUPPORTED_CAMPAIGN_FEATURES",
                )
                assert api.get("/v1/campaign_list").json() == listed  # once per account, not per request
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
