"""The emulator answers as api-notes.md's "Newer evidence" says the live API does (issue #22)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.emulator import spec_payloads
from wpsync.emulator.server import EmulatorHandle

LINKEDIN_STEP = {
    "type": "LINKEDIN",
    "body": {"action_type": "DIRECT_MESSAGE", "linkedin_account_id": 200002, "versions": [{"message": "Hi"}]},
}


def create(api: httpx.Client) -> dict[str, Any]:
    response = api.post("/v2/campaigns", json=spec_payloads.one_step_email())
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def last_step_id(campaign: dict[str, Any]) -> str:
    node = campaign["steps"]
    while node["followup"]:
        node = node["followup"]
    return str(node["id"])


def test_add_step_takes_a_linkedin_step_checked_as_one(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    url = f"/v2/campaigns/{campaign['id']}/steps"
    unknown = {**LINKEDIN_STEP, "body": {**LINKEDIN_STEP["body"], "linkedin_account_id": 5}}
    refused = api.post(url, json={"parent_id": last_step_id(campaign), "step": unknown})
    assert refused.status_code == 409 and "LinkedIn account 5 does not exist" in refused.json()["details"]
    bad = {**LINKEDIN_STEP, "body": {**LINKEDIN_STEP["body"], "versions": [{"message": ""}]}}
    refused = api.post(url, json={"parent_id": last_step_id(campaign), "step": bad})
    assert refused.status_code == 400
    assert refused.json()["details"]["errors"][0]["field"] == "step.body.versions[0].message"
    added = api.post(url, json={"parent_id": last_step_id(campaign), "step": LINKEDIN_STEP})
    assert added.status_code == 201, added.text
    node = added.json()["steps"]["followup"]["followup"]
    assert (node["type"], node["body"]["versions"][0]["message"]) == ("LINKEDIN", "Hi")
    emulator.set_linkedin_append(False)
    again = api.post(url, json={"parent_id": node["id"], "step": LINKEDIN_STEP})
    assert again.status_code == 400
    assert again.json()["details"]["errors"] == [
        {"field": "step.type", "detail": "must be EMAIL: only EMAIL steps can be added"}
    ]


def test_linkedin_accounts_filter_by_status_and_know_requires_checkpoint(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    emulator.seed_linkedin(300003, "Checkpoint Carla", "REQUIRES_CHECKPOINT")
    stuck = api.get("/v2/linkedin_accounts", params={"status": "REQUIRES_CHECKPOINT"}).json()
    assert [a["id"] for a in stuck["linkedin_accounts"]] == [300003]
    both = api.get("/v2/linkedin_accounts", params={"status": "CONNECTED,REQUIRES_CHECKPOINT"}).json()
    assert [a["id"] for a in both["linkedin_accounts"]] == [200002, 300003]
    assert api.get("/v2/linkedin_accounts", params={"status": "ASLEEP"}).status_code == 400


def test_users_are_paged_from_zero(api: httpx.Client) -> None:
    me = api.get("/v1/me").json()
    page = api.get("/v2/users").json()
    assert page["content"] == [{"id": me["id"], "email": me["email"], "role": "OWNER"}]
    assert page["pagination_data"] == {"page": 0, "size": 20, "total_elements": 1, "total_pages": 1}
    assert api.get("/v2/users", params={"page": 1}).json()["content"] == []
    assert api.get("/v2/users", params={"page": "x"}).status_code == 400


def test_run_can_be_refused_with_403_or_409_and_nothing_happens(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    campaign = create(api)
    run = f"/v2/campaigns/{campaign['id']}/run"
    emulator.add_fault("403", method="POST", path_prefix=f"/rest{run}")
    emulator.add_fault("409", method="POST", path_prefix=f"/rest{run}")
    assert api.post(run).json()["title"] == "Forbidden"
    assert api.post(run).json()["code"] == "VALIDATION_FAILURE"
    assert api.get(f"/v2/campaigns/{campaign['id']}").json()["status"] == "DRAFT"
    assert api.post(run).status_code == 200


def test_v1_errors_inside_a_400_and_the_no_addon_401(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.add_fault("v1_too_many_requests_400")
    emulator.add_fault("v1_session_400")
    first, second = api.get("/v1/campaign_list"), api.get("/v1/campaign_list")
    assert (first.status_code, first.json()["status"]["code"]) == (400, "E_TOO_MANY_REQUESTS")
    assert (second.status_code, second.json()["status"]["code"]) == (400, "E_SESSION")
    emulator.add_fault("no_api_addon")
    answer = api.get("/v2/mailboxes")
    assert answer.status_code == 401 and answer.json()["detail"] == "No API addon"


def test_the_sample_campaign_is_listed_but_cannot_be_read(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    sample = emulator.seed_sample_campaign()
    listed = api.get("/v1/campaign_list").json()
    assert [(c["id"], c["name"]) for c in listed] == [(sample, "Your first multichannel campaign - sample")]
    answer = api.get(f"/v2/campaigns/{sample}")
    assert (answer.status_code, answer.json()["code"]) == (409, "API_UNSUPPORTED_CAMPAIGN_FEATURES")
