"""A campaign's prospect count from GET /v1/prospects: read leniently, "unknown" (None) when not said."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.client.client_helpers import MakeClient, reply
from wpsync.emulator.server import EmulatorHandle
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient
from wpsync.woodpecker.stats import results_by_step, total_count

FAST = RetryPolicy(max_attempts=4, base_delay=0.02, max_delay=0.1, max_elapsed=5.0)
ONE_STEP: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "spec" / "create-one-step-email.json").read_text()
)


@pytest.fixture
def client(emulator: EmulatorHandle) -> Iterator[WoodpeckerClient]:
    with WoodpeckerClient(emulator.api_key, emulator.base_url, retry=FAST) as made:
        yield made


def test_the_total_comes_from_x_total_count_over_real_http(
    client: WoodpeckerClient, emulator: EmulatorHandle
) -> None:
    cid = client.create_campaign(ONE_STEP)["id"]
    emulator.set_campaign_stats(cid, prospects=184)
    assert client.prospect_count(cid) == 184
    (logged,) = [r for r in emulator.requests() if r["path"].endswith("/v1/prospects")]
    assert "per_page=1" in logged["query"]  # one small page is enough


@pytest.mark.parametrize("form", ["message", "no_content"])
def test_an_empty_campaign_is_zero_in_either_empty_form(
    client: WoodpeckerClient, emulator: EmulatorHandle, form: str
) -> None:
    cid = client.create_campaign(ONE_STEP)["id"]
    emulator.set_empty_list_form(form)
    assert client.prospect_count(cid) == 0


def test_prospects_without_the_header_are_unknown_not_guessed(
    client: WoodpeckerClient, emulator: EmulatorHandle
) -> None:
    cid = client.create_campaign(ONE_STEP)["id"]
    emulator.set_campaign_stats(cid, prospects=3)
    emulator.set_prospects_total("no_header")
    assert client.prospect_count(cid) is None


def test_the_emulator_pages_and_bounds_per_page(client: WoodpeckerClient, emulator: EmulatorHandle) -> None:
    cid = client.create_campaign(ONE_STEP)["id"]
    emulator.set_campaign_stats(cid, prospects=5)
    base = emulator.base_url + "/v1/prospects"
    headers = {"x-api-key": emulator.api_key}
    page = httpx.get(base, params={"campaigns_id": cid, "page": 2, "per_page": 2}, headers=headers)
    assert page.headers["x-total-count"] == "5"
    assert [p["id"] for p in page.json()] == [cid * 100_000 + 3, cid * 100_000 + 4]
    too_many = httpx.get(base, params={"campaigns_id": cid, "per_page": 1001}, headers=headers)
    assert too_many.status_code == 400


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (reply(200, [{"id": 1}], **{"X-Total-Count": "42"}), 42),
        (reply(204), 0),
        (reply(200, {"message": "No prospects"}), 0),
        (reply(200, []), 0),
        (reply(200, [{"id": 1}]), None),  # prospects, but no total: unknown
        (reply(200, [{"id": 1}], **{"X-Total-Count": "many"}), None),
        (reply(200, text="<html>", **{"X-Total-Count": "7"}), 7),
    ],
)
def test_any_answer_is_read_leniently(make_client: MakeClient, answer: httpx.Response, expected: Any) -> None:
    made, script, _ = make_client(answer)
    assert made.prospect_count(12) == expected
    assert script.requests[0].url.params["per_page"] == "1"
    assert script.requests[0].url.params["campaigns_id"] == "12"


def test_total_count_accepts_only_whole_numbers() -> None:
    assert [total_count(v) for v in ("12", " 3 ", "", None, "-1", "1e3", "²")] == [
        12,
        3,
        None,
        None,
        None,
        None,
        None,
    ]


def test_step_results_line_up_with_the_email_steps_and_say_unknown_for_the_rest() -> None:
    emails = [{"subject": "Hi", "emailSend": 137, "toSend": 42, "open": 61, "reply": 9}, {"emailSend": "x"}]
    found = results_by_step({"stats": {"emails": emails}}, ("EMAIL", "LINKEDIN", "EMAIL"), ("Hi", None, None))
    assert found[1] is None
    assert found[0] is not None and (found[0].sent, found[0].queued, found[0].opened, found[0].replied) == (
        137,
        42,
        61,
        9,
    )
    assert found[2] is not None and (found[2].sent, found[2].opened) == (None, None)
    wrong = results_by_step({"stats": {"emails": emails}}, ("EMAIL", "EMAIL"), ("Other", None))
    assert wrong == (None, None)
