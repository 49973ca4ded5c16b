"""Each method sends the documented request and returns the documented part of the answer."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.client.client_helpers import KEY, MakeClient, reply
from wpsync.commands.workspace import client_from_env
from wpsync.errors import API_KEY_ENV, InputError
from wpsync.woodpecker.client import DEFAULT_BASE_URL, WoodpeckerApiError

SPEC = Path(__file__).parents[1] / "data" / "spec"


def test_create_campaign_posts_the_body_with_the_key_header(make_client: MakeClient) -> None:
    body = json.loads((SPEC / "create-one-step-email.json").read_text())
    client, script, _ = make_client(reply(201, {"id": 42, "status": "DRAFT", **body}))
    created = client.create_campaign(body)
    assert created["id"] == 42
    request = script.requests[0]
    assert (request.method, str(request.url)) == ("POST", "https://wp.test/rest/v2/campaigns")
    assert request.headers["x-api-key"] == KEY
    assert request.headers["content-type"] == "application/json"
    assert script.body() == body


@pytest.mark.parametrize("status", [200, 201])
def test_add_step_accepts_200_and_201(make_client: MakeClient, status: int) -> None:
    client, script, _ = make_client(reply(status, {"id": 7, "steps": {}}))
    assert client.add_step(7, {"parent_id": "p", "step": {"type": "EMAIL"}})["id"] == 7
    assert script.requests[0].url.path == "/rest/v2/campaigns/7/steps"
    assert script.body() == {"parent_id": "p", "step": {"type": "EMAIL"}}


def test_get_campaign(make_client: MakeClient) -> None:
    client, script, _ = make_client(reply(200, {"id": 9, "status": "RUNNING"}))
    assert client.get_campaign(9) == {"id": 9, "status": "RUNNING"}
    assert (script.requests[0].method, script.requests[0].url.path) == ("GET", "/rest/v2/campaigns/9")


@pytest.mark.parametrize("action", ["make_editable", "run", "pause", "stop"])
def test_status_transitions_post_to_their_paths(make_client: MakeClient, action: str) -> None:
    client, script, _ = make_client(reply(200))
    assert getattr(client, action)(5) is None
    assert (script.requests[0].method, script.requests[0].url.path) == (
        "POST",
        f"/rest/v2/campaigns/5/{action}",
    )


def test_list_campaigns_with_and_without_a_status_filter(make_client: MakeClient) -> None:
    client, script, _ = make_client(reply(200, [{"id": 1}, {"id": 2}]))
    assert client.list_campaigns() == [{"id": 1}, {"id": 2}]
    client.list_campaigns(["RUNNING", "DRAFT"])
    assert script.requests[0].url.path == "/rest/v1/campaign_list"
    assert "status" not in script.requests[0].url.params
    assert script.requests[1].url.params["status"] == "RUNNING,DRAFT"


def test_campaign_item_reads_the_one_entry_with_its_stats(make_client: MakeClient) -> None:
    item = {"id": 4, "name": "x", "stats": {"sent": 3, "emails": [{"emailSend": 3}]}}
    client, script, _ = make_client(reply(200, [item]))
    assert client.campaign_item(4) == item
    assert script.requests[0].url.params["id"] == "4"


def test_unknown_campaign_in_the_stats_list_is_campaign_not_exist(make_client: MakeClient) -> None:
    client, _, _ = make_client(reply(200, []))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.campaign_item(4)
    assert caught.value.code == "CAMPAIGN_NOT_EXIST"
    assert str(caught.value).startswith("campaign 4 does not exist in Woodpecker")


def test_an_empty_account_lists_no_campaigns_in_either_v1_form(make_client: MakeClient) -> None:
    client, _, _ = make_client(reply(200, {"message": "There are no campaigns."}), reply(204, None))
    assert client.list_campaigns() == []
    assert client.list_campaigns() == []


def test_a_v1_rate_limit_inside_a_200_is_retried_like_a_429(make_client: MakeClient) -> None:
    busy = {"status": {"status": "ERROR", "code": "E_TOO_MANY_REQUESTS", "msg": "Too many requests"}}
    client, script, _ = make_client(reply(200, busy), reply(200, [{"id": 1}]))
    assert client.list_campaigns() == [{"id": 1}]
    assert len(script.requests) == 2


def test_a_v1_session_error_inside_a_200_reads_as_an_auth_failure(make_client: MakeClient) -> None:
    client, _, _ = make_client(reply(200, {"status": {"status": "ERROR", "code": "E_SESSION", "msg": "no"}}))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.list_campaigns()
    assert caught.value.status == 401
    assert caught.value.code == "E_SESSION"


def test_mailboxes_and_linkedin_accounts(make_client: MakeClient) -> None:
    client, script, _ = make_client(
        reply(200, [{"id": 1, "type": "SMTP"}]), reply(200, {"linkedin_accounts": [{"id": 2}]})
    )
    assert client.mailboxes() == [{"id": 1, "type": "SMTP"}]
    assert client.linkedin_accounts() == [{"id": 2}]
    assert [r.url.path for r in script.requests] == ["/rest/v2/mailboxes", "/rest/v2/linkedin_accounts"]


def test_every_request_carries_all_four_timeouts(make_client: MakeClient) -> None:
    client, script, _ = make_client(reply(200, []), timeout=httpx.Timeout(1.0, read=2.5))
    client.mailboxes()
    assert script.requests[0].extensions["timeout"] == {
        "connect": 1.0,
        "read": 2.5,
        "write": 1.0,
        "pool": 1.0,
    }


def test_a_success_without_json_is_an_error_and_a_post_may_be_committed(make_client: MakeClient) -> None:
    client, _, _ = make_client(reply(201, text="<html>ok</html>"))
    with pytest.raises(WoodpeckerApiError) as caught:
        client.create_campaign({"name": "x"})
    assert caught.value.maybe_committed
    assert "will check before retrying" in str(caught.value)
    client, _, _ = make_client(reply(200, {"not": "a list"}))
    with pytest.raises(WoodpeckerApiError, match="not a JSON array") as caught:
        client.mailboxes()
    assert not caught.value.maybe_committed


@pytest.mark.parametrize("bad", ["5/../6", 0, -1, True, 1.0])
def test_campaign_ids_must_be_positive_ints(make_client: MakeClient, bad: object) -> None:
    client, script, _ = make_client(reply(200, {}))
    with pytest.raises(TypeError):
        client.get_campaign(bad)  # type: ignore[arg-type]
    assert script.requests == []


def test_from_env_reads_key_and_url() -> None:
    env = {API_KEY_ENV: "k-123456", "WOODPECKER_API_URL": "http://localhost:9/rest/"}
    with client_from_env(env) as client:
        assert client.base_url == "http://localhost:9/rest"
    with client_from_env({API_KEY_ENV: "k-123456"}) as client:
        assert client.base_url == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "WOODPECKER_API_KEY is not set"),
        ({API_KEY_ENV: "  "}, "WOODPECKER_API_KEY is not set"),
        (
            {API_KEY_ENV: "k-123456", "WOODPECKER_API_URL": "api.woodpecker.co/rest"},
            "must start with https://",
        ),
    ],
)
def test_from_env_says_what_is_missing(env: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        client_from_env(env)


V1_BODIES = [
    b'{"status": {"status": "ERROR", "code": "E_SESSION", "msg": "no"}}',
    b'{\n  "status" :\n\t{ "status": "ERROR", "code": "E_TOO_MANY_REQUESTS" }\n}',
    b'{"status":{"status":"error","code":"E_OTHER"}}',
    b'{"id": 1, "name": "A", "status": "DRAFT", "steps": {"id": "s"}}',
    b'{"status": {"status": "OK"}}',
    b'{"campaign": {"status": {"status": "ERROR", "code": "E_SESSION"}}}',
    b'{"status": "RUNNING", "stats": {"status": {"status": "ERROR"}}}',
    b'{"status": [1]}',
    b"[]",
]


@pytest.mark.parametrize("body", V1_BODIES)
def test_a_v1_error_is_found_as_parsing_every_body_would(body: bytes) -> None:
    """The check skips parsing a body with no "status" object in it; it decides as parsing does."""
    from wpsync.woodpecker.v1 import v1_error_in_body

    response = httpx.Response(200, content=body)
    data = json.loads(body)
    inner = data.get("status") if isinstance(data, dict) else None
    is_error = isinstance(inner, dict) and str(inner.get("status", "")).upper() == "ERROR"
    found = v1_error_in_body(response)
    assert (found is not None) == is_error
    if found is not None:
        assert found.code == inner["code"]
