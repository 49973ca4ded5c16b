"""Every documented error, with its exact body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.emulator.emu_helpers import (
    add_step,
    chain,
    create,
    email_step,
    listed,
    local_client,
    minimal_create,
)
from wpsync.emulator.server import EmulatorHandle


def titled(response: httpx.Response, status: int, title: str, detail: str) -> None:
    """The gateway shape: exact fields, and a timestamp of now in "YYYY-MM-DD HH:MM:SS" UTC."""
    assert response.status_code == status
    body = response.json()
    stamp = datetime.strptime(body.pop("timestamp"), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 5
    assert body == {"title": title, "status": status, "detail": detail}


def coded(response: httpx.Response, status: int, code: str, message: str, details: Any = None) -> None:
    assert response.status_code == status
    assert response.json() == {"code": code, "message": message, "details": details}


def input_failure(response: httpx.Response, details: Any) -> None:
    coded(response, 400, "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure", details)


def validation_failure(response: httpx.Response, details: str) -> None:
    coded(response, 409, "VALIDATION_FAILURE", "Validation failure", details)


# --- 400 ----------------------------------------------------------------------------------------------


def test_400_create_names_the_field_in_a_string(api: httpx.Client) -> None:
    body = minimal_create()
    del body["email_account_ids"]
    input_failure(
        api.post("/v2/campaigns", json=body),
        "email_account_ids: is required when the campaign has an EMAIL step",
    )


def test_400_create_joins_several_problems(api: httpx.Client) -> None:
    body = minimal_create()
    body["settings"]["daily_enroll"] = 0
    body["settings"]["timezone"] = "US/Eastern"
    input_failure(
        api.post("/v2/campaigns", json=body),
        "settings.timezone: 'US/Eastern' is not an accepted timezone (canonical IANA names only); "
        "settings.daily_enroll: must be between 1 and 500",
    )


def test_400_create_malformed_json(api: httpx.Client) -> None:
    response = api.post("/v2/campaigns", content=b'{"name": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"]) == (
        "INPUT_DATA_VALIDATION_FAILURE",
        "Input data validation failure",
    )
    assert body["details"].startswith("malformed JSON: ")


def test_400_add_step_lists_field_errors(api: httpx.Client) -> None:
    campaign = create(api)
    step = email_step()
    del step["body"]["versions"][0]["track_opens"]
    step["delivery_time"]["TUESDAY"] *= 3
    response = api.post(
        f"/v2/campaigns/{campaign['id']}/steps", json={"parent_id": chain(campaign)[-1]["id"], "step": step}
    )
    input_failure(
        response,
        {
            "errors": [
                {"field": "step.delivery_time.TUESDAY", "detail": "at most 2 windows per day, not 3"},
                {"field": "step.delivery_time.TUESDAY", "detail": "windows [0] and [1] overlap"},
                {"field": "step.delivery_time.TUESDAY", "detail": "windows [1] and [2] overlap"},
                {"field": "step.body.versions[0].track_opens", "detail": "is required"},
            ]
        },
    )


def test_400_add_step_malformed_json(api: httpx.Client) -> None:
    campaign = create(api)
    response = api.post(
        f"/v2/campaigns/{campaign['id']}/steps", content=b"[1,", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    [error] = response.json()["details"]["errors"]
    assert error["field"] == "body" and error["detail"].startswith("malformed JSON: ")


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "²"])
def test_400_bad_path_parameter_uses_the_gateway_shape(api: httpx.Client, raw: str) -> None:
    titled(
        api.get(f"/v2/campaigns/{raw}"),
        400,
        "Bad Request",
        f"Invalid value {raw!r} for parameter campaign_id",
    )


# --- 401 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"x-api-key": ""}, {"x-api-key": "not-a-key"}])
@pytest.mark.parametrize(("method", "path"), [("GET", "/rest/v2/mailboxes"), ("POST", "/rest/v2/campaigns")])
def test_401_for_a_missing_or_unknown_key(
    emulator: EmulatorHandle, headers: dict[str, str], method: str, path: str
) -> None:
    with local_client() as raw:
        response = raw.request(method, emulator.root_url + path, headers=headers, json=minimal_create())
    titled(response, 401, "Unauthorized", "Invalid api key")


# --- 404 ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/v2/nothing", "/v3/campaigns", "/v2/campaigns/1/steps/x/y", "/v2/campaigns/"]
)
def test_404_unknown_url(api: httpx.Client, path: str) -> None:
    titled(api.get(path), 404, "Not Found", "Requested resource does not exist")


def test_404_outside_the_api_needs_no_key(emulator: EmulatorHandle) -> None:
    with local_client() as raw:
        titled(raw.get(emulator.root_url + "/"), 404, "Not Found", "Requested resource does not exist")


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("POST", "/make_editable"), ("POST", "/run"), ("POST", "/pause"), ("POST", "/stop")],
)
def test_404_campaign_not_exist(api: httpx.Client, method: str, suffix: str) -> None:
    coded(
        api.request(method, f"/v2/campaigns/999999{suffix}"), 404, "CAMPAIGN_NOT_EXIST", "Campaign not found"
    )


def test_404_campaign_not_exist_on_add_step(api: httpx.Client) -> None:
    response = api.post("/v2/campaigns/999999/steps", json={"parent_id": "x", "step": email_step()})
    coded(response, 404, "CAMPAIGN_NOT_EXIST", "Campaign not found")


def test_404_for_another_accounts_campaign(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    with local_client(emulator.base_url, "other-key") as other:
        coded(other.get(f"/v2/campaigns/{campaign['id']}"), 404, "CAMPAIGN_NOT_EXIST", "Campaign not found")
        coded(add_step(other, campaign), 404, "CAMPAIGN_NOT_EXIST", "Campaign not found")


# --- 405 / 415 (not documented; see docs/emulator.md) -------------------------------------------------


def test_405_wrong_method_on_a_known_path(api: httpx.Client) -> None:
    response = api.put("/v2/campaigns/1001")
    titled(response, 405, "Method Not Allowed", "Method PUT is not supported here")
    assert response.headers["allow"] == "GET, PATCH, DELETE"


def test_415_body_that_is_not_declared_json(api: httpx.Client) -> None:
    response = api.post("/v2/campaigns", content=b"{}", headers={"content-type": "text/plain"})
    titled(
        response,
        415,
        "Unsupported Media Type",
        "Content-Type 'text/plain' is not supported; use application/json",
    )


# --- 409 ----------------------------------------------------------------------------------------------


def test_409_disconnected_mailbox(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.seed_mailbox(777, "down@example.com", connected=False)
    validation_failure(
        api.post("/v2/campaigns", json=minimal_create(email_account_ids=[112233, 777])),
        "email_account_ids[1]: mailbox 777 (down@example.com) has connection problems: "
        "SMTP connection failed: authentication rejected",
    )


def test_409_unknown_mailbox_and_imap_id(api: httpx.Client) -> None:
    validation_failure(
        api.post("/v2/campaigns", json=minimal_create(email_account_ids=[4242, 1112233])),
        "email_account_ids[0]: mailbox 4242 does not exist in this account; "
        "email_account_ids[1]: mailbox 1112233 is an IMAP entry; campaigns take SMTP ids",
    )


def linkedin_campaign(
    account_id: int, action: str = "VISIT_PROFILE", message: str | None = None
) -> dict[str, Any]:
    versions = None if action == "VISIT_PROFILE" else [{"message": message}]
    step = {
        "type": "LINKEDIN",
        "body": {"action_type": action, "linkedin_account_id": account_id, "versions": versions},
    }
    return {"settings": {"timezone": "UTC", "daily_enroll": 5}, "steps": {"type": "START", "followup": step}}


def test_409_unknown_linkedin_account(api: httpx.Client) -> None:
    validation_failure(
        api.post("/v2/campaigns", json=linkedin_campaign(31337)),
        "steps.followup.body.linkedin_account_id: LinkedIn account 31337 does not exist in this account",
    )


@pytest.mark.parametrize("session", ["DISCONNECTED", "WAITING_FOR_CONNECTION"])
def test_409_linkedin_account_not_connected(
    emulator: EmulatorHandle, api: httpx.Client, session: str
) -> None:
    emulator.seed_linkedin(300001, session_status=session)
    validation_failure(
        api.post("/v2/campaigns", json=linkedin_campaign(300001)),
        f"steps.followup.body.linkedin_account_id: LinkedIn account 300001 is not connected (session status {session})",
    )


def test_409_connection_note_over_200_on_a_classic_account(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    emulator.seed_linkedin(300002, level="CLASSIC")
    validation_failure(
        api.post("/v2/campaigns", json=linkedin_campaign(300002, "CONNECTION_REQUEST", "x" * 201)),
        "steps.followup.body.versions[0].message: a CLASSIC LinkedIn account allows at most 200 characters "
        "in a connection note, not 201",
    )
    assert (
        api.post("/v2/campaigns", json=linkedin_campaign(300002, "CONNECTION_REQUEST", "x" * 200)).status_code
        == 201
    )
    # The 300 limit of the other levels is a schema rule (400), checked in test_emulator_strictness.
    assert (
        api.post("/v2/campaigns", json=linkedin_campaign(200002, "CONNECTION_REQUEST", "x" * 300)).status_code
        == 201
    )


def test_409_add_step_to_a_campaign_without_mailboxes(api: httpx.Client) -> None:
    campaign = create(api, linkedin_campaign(200002))
    validation_failure(
        add_step(api, campaign), "the campaign has no email accounts, so an EMAIL step could never be sent"
    )


def test_409_add_step_beyond_16_steps(api: httpx.Client) -> None:
    campaign = create(api)
    for _ in range(15):
        campaign = add_step(api, campaign).json()
    validation_failure(
        add_step(api, campaign), "the campaign already has 16 steps, the most a campaign can have"
    )


PARENT = ("PARENT_BRANCH_NOT_LINKABLE", "Can not link new steps to this parent")


def test_409_parent_is_not_the_last_step(api: httpx.Client) -> None:
    campaign = create(api)
    start = chain(campaign)[0]["id"]
    response = api.post(
        f"/v2/campaigns/{campaign['id']}/steps", json={"parent_id": start, "step": email_step()}
    )
    coded(response, 409, *PARENT)


def test_409_parent_is_unknown(api: httpx.Client) -> None:
    campaign = create(api)
    response = api.post(
        f"/v2/campaigns/{campaign['id']}/steps", json={"parent_id": "nope", "step": email_step()}
    )
    coded(response, 409, *PARENT)


def test_409_parent_has_processed_prospects(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    emulator.mark_processed(campaign["id"], chain(campaign)[-1]["id"], 1)
    coded(add_step(api, campaign), 409, *PARENT)
    emulator.mark_processed(campaign["id"], chain(campaign)[-1]["id"], 0)
    assert add_step(api, campaign).status_code == 201


@pytest.mark.parametrize("status", ["RUNNING", "PAUSED", "STOPPED", "COMPLETED"])
def test_409_not_editable_status(emulator: EmulatorHandle, api: httpx.Client, status: str) -> None:
    campaign = create(api)
    emulator.set_status(campaign["id"], status)
    coded(
        add_step(api, campaign),
        409,
        "NOT_EDITABLE_STATUS",
        "The campaign must be in DRAFT or EDITED status to be updated",
    )


@pytest.mark.parametrize("status", ["DRAFT", "EDITED"])
def test_409_make_editable_when_already_editable(
    emulator: EmulatorHandle, api: httpx.Client, status: str
) -> None:
    campaign = create(api)
    emulator.set_status(campaign["id"], status)
    coded(
        api.post(f"/v2/campaigns/{campaign['id']}/make_editable"),
        409,
        "ALREADY_EDITABLE",
        "The campaign is already in DRAFT or EDITED status",
        f"status is {status}",
    )


# --- 500 / 429 ----------------------------------------------------------------------------------------


def test_500_unknown_on_create(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("500")
    coded(
        api.post("/v2/campaigns", json=minimal_create()),
        500,
        "UNKNOWN",
        "Unknown error during create campaign call",
    )
    assert listed(api) == []


def test_500_unknown_on_add_step(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    emulator.add_fault("500")
    coded(add_step(api, campaign), 500, "UNKNOWN", "Unknown error during add step call")
    assert len(chain(api.get(f"/v2/campaigns/{campaign['id']}").json())) == 2


def test_429_body(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("429")
    titled(
        api.get("/v2/mailboxes"),
        429,
        "Too Many Requests",
        "Too many concurrent requests for this API key; retry later",
    )
