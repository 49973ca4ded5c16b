"""The edit endpoints of api-notes ("Campaign endpoints beyond the two specs"), as strict as create."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator import spec_payloads
from tests.emulator.emu_helpers import add_step, chain, create, listed
from wpsync.emulator.server import EmulatorHandle

NOT_EDITABLE = ("RUNNING", "PAUSED", "STOPPED", "COMPLETED")


def coded(response: httpx.Response, status: int, code: str) -> Any:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    return body["details"]


def two_email_steps(api: httpx.Client) -> dict[str, Any]:
    campaign = create(api)
    response = add_step(api, campaign)
    assert response.status_code == 201
    result: dict[str, Any] = response.json()
    return result


def three_email_steps(api: httpx.Client) -> dict[str, Any]:
    campaign = two_email_steps(api)
    response = add_step(api, campaign)
    assert response.status_code == 201
    result: dict[str, Any] = response.json()
    return result


# --- PATCH /v2/campaigns/{id} -------------------------------------------------------------------------


def test_patch_campaign_changes_only_what_it_names(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api, spec_payloads.one_step_email())
    url = f"/v2/campaigns/{campaign['id']}"
    response = api.patch(url, json={"settings": {"daily_enroll": 99}})
    assert response.status_code == 200
    patched = response.json()
    assert patched["settings"] == campaign["settings"] | {"daily_enroll": 99}
    assert {k: v for k, v in patched.items() if k != "settings"} == {
        k: v for k, v in campaign.items() if k != "settings"
    }
    patched = api.patch(url, json={"name": "Renamed", "email_account_ids": [100001, 100002]}).json()
    assert (patched["name"], patched["email_account_ids"]) == ("Renamed", [100001, 100002])
    assert api.patch(url, json={"email_account_ids": [100003]}).json()["email_account_ids"] == [100003]
    # null restores the documented default, as on create
    patched = api.patch(url, json={"settings": {"open_disabled_list": None}}).json()
    assert patched["settings"]["open_disabled_list"] == []
    assert api.get(url).json() == patched
    assert [e["method"] for e in emulator.requests() if e["path"] == f"/rest{url}"].count("PATCH") == 4
    logged = next(e for e in emulator.requests() if e["method"] == "PATCH")
    assert logged["body"] == {"settings": {"daily_enroll": 99}}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "the body must name at least one of name, email_account_ids, settings"),
        ({"status": "RUNNING"}, "status: unknown field"),
        ({"id": 5}, "id: unknown field"),
        ({"name": None}, "name: must be a string"),
        ({"email_account_ids": "112233"}, "email_account_ids: must be an array of integers"),
        ({"email_account_ids": [True]}, "email_account_ids[0]: must be an integer"),
        ({"email_account_ids": []}, "email_account_ids: must name at least one mailbox"),
        ({"settings": None}, "settings: must be an object"),
        ({"settings": {}}, "settings: must name at least one setting"),
        ({"settings": {"daily_enroll": 0}}, "settings.daily_enroll: must be between 1 and 500"),
        ({"settings": {"daily_enroll": 501}}, "settings.daily_enroll: must be between 1 and 500"),
        ({"settings": {"timezone": "US/Eastern"}}, "settings.timezone: 'US/Eastern' is not an accepted"),
        ({"settings": {"timezone": None}}, "settings.timezone: must be a string"),
        ({"settings": {"prospect_timezone": "yes"}}, "settings.prospect_timezone: must be true or false"),
        ({"settings": {"catch_all_verification_mode": "LOW"}}, "settings.catch_all_verification_mode"),
        ({"settings": {"open_disabled_list": ["yahoo.com"]}}, "settings.open_disabled_list[0]"),
        ({"settings": {"bounce_shield_enabled": True}}, "settings.bounce_shield_enabled: unknown field"),
        (
            {"settings": {"count_followup_delay_in_working_days": "yes"}},
            "settings.count_followup_delay_in_working_days: must be true or false",
        ),
        (
            {"settings": {"auto_pause_prospect_from_domain_statuses": ["SOON"]}},
            "settings.auto_pause_prospect_from_domain_statuses[0]: must be one of",
        ),
    ],
)
def test_patch_campaign_validates_like_create(api: httpx.Client, body: Any, detail: str) -> None:
    campaign = create(api)
    response = api.patch(f"/v2/campaigns/{campaign['id']}", json=body)
    assert detail in coded(response, 400, "INPUT_DATA_VALIDATION_FAILURE")
    assert api.get(f"/v2/campaigns/{campaign['id']}").json() == campaign


def test_patch_campaign_checks_mailboxes_like_create(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    emulator.seed_mailbox(600, connected=False)
    emulator.seed_mailbox(601, connected="conditional")
    url = f"/v2/campaigns/{campaign['id']}"
    for ids, problem in (([999], "does not exist"), ([1112233], "IMAP"), ([600], "connection problems")):
        assert problem in coded(api.patch(url, json={"email_account_ids": ids}), 409, "VALIDATION_FAILURE")
    assert api.patch(url, json={"email_account_ids": [601]}).status_code == 200


def test_patch_linkedin_only_campaign_may_drop_every_mailbox(api: httpx.Client) -> None:
    campaign = create(api, spec_payloads.two_step_linkedin())
    response = api.patch(f"/v2/campaigns/{campaign['id']}", json={"email_account_ids": []})
    assert response.status_code == 200


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_patch_campaign_only_in_draft_or_edited(
    emulator: EmulatorHandle, api: httpx.Client, status: str
) -> None:
    campaign = create(api)
    emulator.set_status(campaign["id"], status)
    url = f"/v2/campaigns/{campaign['id']}"
    coded(api.patch(url, json={"name": "x"}), 409, "NOT_EDITABLE_STATUS")
    assert api.post(f"{url}/make_editable").status_code == 200
    assert api.patch(url, json={"name": "x"}).json()["status"] == "EDITED"


def test_patch_campaign_errors_in_order(emulator: EmulatorHandle, api: httpx.Client) -> None:
    coded(api.patch("/v2/campaigns/999999", json={"name": "x"}), 404, "CAMPAIGN_NOT_EXIST")
    assert api.patch("/v2/campaigns/abc", json={"name": "x"}).status_code == 400
    campaign = create(api)
    url = f"/v2/campaigns/{campaign['id']}"
    response = api.patch(url, content=b'{"name": "x"}', headers={"content-type": "text/plain"})
    assert response.status_code == 415
    coded(
        api.patch(url, content=b"{nope", headers={"content-type": "application/json"}),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
    )
    with httpx.Client(base_url=api.base_url, headers={"x-api-key": "other-key"}) as other:
        coded(other.patch(url, json={"name": "x"}), 404, "CAMPAIGN_NOT_EXIST")


# --- PATCH /v2/campaigns/{id}/steps/{step_id} -----------------------------------------------------------


def test_patch_step_replaces_the_whole_delivery_time(api: httpx.Client) -> None:
    campaign = two_email_steps(api)
    first, second = chain(campaign)[1:]
    windows = {
        "FRIDAY": [
            {"from": "08:00", "to": "10:00"},
            {"from": "12:00", "to": "14:00"},
            {"from": "16:00", "to": "18:00"},
        ],
        "MONDAY": [{"from": "00:00", "to": "24:00"}],
    }
    response = api.patch(
        f"/v2/campaigns/{campaign['id']}/steps/{second['id']}", json={"delivery_time": windows}
    )
    assert response.status_code == 200
    steps = chain(response.json())
    assert steps[2]["delivery_time"] == {
        "MONDAY": windows["MONDAY"],
        "FRIDAY": windows["FRIDAY"],
    }  # week order
    assert "TUESDAY" not in steps[2]["delivery_time"]  # replaced, not merged
    assert {**steps[1], "followup": None} == {**first, "followup": None}  # other steps untouched
    assert steps[2]["body"] == second["body"] and steps[2]["followup_after"] == second["followup_after"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "delivery_time: is required"),
        ({"delivery_time": {}}, "delivery_time: at least one delivery window is required"),
        ({"delivery_time": {"MONDAY": []}}, "delivery_time: at least one delivery window is required"),
        (
            {"delivery_time": {"MONDAY": [{"from": f"{h:02}:00", "to": f"{h:02}:30"} for h in range(8, 12)]}},
            "delivery_time.MONDAY: at most 3 windows per day, not 4",
        ),
        ({"delivery_time": {"MONDAY": [{"from": "10:00", "to": "09:00"}]}}, "must be earlier than"),
        (
            {
                "delivery_time": {
                    "MONDAY": [{"from": "08:00", "to": "12:00"}, {"from": "11:00", "to": "13:00"}]
                }
            },
            "overlap",
        ),
        (
            {"delivery_time": {"FUNDAY": [{"from": "08:00", "to": "12:00"}]}},
            "delivery_time.FUNDAY: unknown field",
        ),
        ({"delivery_time": {"MONDAY": [{"from": "8:00", "to": "12:00"}]}}, 'must be a time "HH:mm"'),
        (
            {"delivery_time": {"MONDAY": [{"from": "08:00", "to": "12:00"}]}, "followup_after": {"value": 2}},
            "followup_after: cannot be changed",
        ),
        (
            {"delivery_time": {"MONDAY": [{"from": "08:00", "to": "12:00"}]}, "type": "EMAIL"},
            "type: unknown field",
        ),
    ],
)
def test_patch_step_validates_windows_like_create(api: httpx.Client, body: Any, detail: str) -> None:
    campaign = create(api)
    step = chain(campaign)[1]
    response = api.patch(f"/v2/campaigns/{campaign['id']}/steps/{step['id']}", json=body)
    assert detail in coded(response, 400, "INPUT_DATA_VALIDATION_FAILURE")
    assert api.get(f"/v2/campaigns/{campaign['id']}").json() == campaign


def test_patch_step_refusals(emulator: EmulatorHandle, api: httpx.Client) -> None:
    body = {"delivery_time": {"MONDAY": [{"from": "08:00", "to": "12:00"}]}}
    campaign = create(api, spec_payloads.four_step_multichannel())
    url = f"/v2/campaigns/{campaign['id']}/steps"
    start, visit, email = chain(campaign)[:3]
    coded(api.patch(f"{url}/not-a-step", json=body), 404, "STEP_NOT_EXIST")
    coded(api.patch(f"/v2/campaigns/999999/steps/{email['id']}", json=body), 404, "CAMPAIGN_NOT_EXIST")
    assert "LINKEDIN" in coded(api.patch(f"{url}/{visit['id']}", json=body), 409, "VALIDATION_FAILURE")
    assert "START" in coded(api.patch(f"{url}/{start['id']}", json=body), 409, "VALIDATION_FAILURE")
    emulator.mark_processed(campaign["id"], email["id"], 3)  # processed steps may still get new windows
    assert api.patch(f"{url}/{email['id']}", json=body).status_code == 200
    emulator.set_status(campaign["id"], "RUNNING")
    coded(api.patch(f"{url}/{email['id']}", json=body), 409, "NOT_EDITABLE_STATUS")


# --- PATCH .../versions/{version_id} --------------------------------------------------------------------


def test_patch_version_changes_only_the_given_fields(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api, spec_payloads.four_step_multichannel())
    email = chain(campaign)[2]
    version_a, version_b = email["body"]["versions"]
    url = f"/v2/campaigns/{campaign['id']}/steps/{email['id']}/versions/{version_b['id']}"
    emulator.mark_processed(campaign["id"], email["id"], 5)  # allowed even after processing
    response = api.patch(url, json={"subject": "New {{FIRST_NAME}}", "track_opens": True})
    assert response.status_code == 200
    patched = chain(response.json())[2]["body"]["versions"]
    assert patched[0] == version_a
    assert patched[1] == version_b | {"subject": "New {{FIRST_NAME}}", "track_opens": True}
    patched = chain(api.patch(url, json={"signature": "NO_SIGNATURE", "message": "<p>B2</p>"}).json())
    assert patched[2]["body"]["versions"][1] == version_b | {
        "subject": "New {{FIRST_NAME}}",
        "track_opens": True,
        "signature": "NO_SIGNATURE",
        "message": "<p>B2</p>",
    }
    # v1 stats show version A, so the change to B is not there
    [row] = api.get("/v1/campaign_list", params={"id": campaign["id"]}).json()
    assert row["stats"]["emails"][0]["subject"] == version_a["subject"]


def test_patch_version_of_a_linkedin_step(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api, spec_payloads.four_step_multichannel())
    connect = chain(campaign)[3]
    url = f"/v2/campaigns/{campaign['id']}/steps/{connect['id']}/versions/{connect['body']['versions'][1]['id']}"
    response = api.patch(url, json={"message": "Hi {{FIRST_NAME}}, let us connect"})
    assert response.status_code == 200
    assert chain(response.json())[3]["body"]["versions"][1]["message"] == "Hi {{FIRST_NAME}}, let us connect"
    for body, detail in (
        ({"subject": "x"}, "subject: unknown field"),
        ({"track_opens": True}, "track_opens: unknown field"),
        ({}, "message: is required"),
        ({"message": "x" * 301}, "message: must be at most 300 characters"),
        ({"message": "{{SNIPPET1}}"}, "message: incorrect snippet"),
    ):
        assert detail in coded(api.patch(url, json=body), 400, "INPUT_DATA_VALIDATION_FAILURE")
    emulator.seed_linkedin(200002, "Example Sender", "CONNECTED", "CLASSIC")
    assert "CLASSIC" in coded(api.patch(url, json={"message": "x" * 250}), 409, "VALIDATION_FAILURE")
    visit = chain(campaign)[1]
    visit_url = (
        f"/v2/campaigns/{campaign['id']}/steps/{visit['id']}/versions/{visit['body']['versions'][0]['id']}"
    )
    assert "VISIT_PROFILE" in coded(
        api.patch(visit_url, json={"message": "hello"}), 400, "INPUT_DATA_VALIDATION_FAILURE"
    )
    assert api.patch(visit_url, json={"message": None}).status_code == 200


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({}, "the body must name at least one of subject, message, signature, track_opens"),
        ({"id": "x"}, "id: unknown field"),
        ({"version": "B"}, "version: unknown field"),
        ({"subject": "  "}, "subject: is required in every version of the campaign's first EMAIL step"),
        ({"subject": "{{FIRST_NAME"}, "subject: incorrect snippet"),
        ({"message": ""}, "message: must be a non-empty string"),
        ({"message": "Hi {{SNIPPET1}}"}, "message: incorrect snippet"),
        ({"signature": "ME"}, "signature: must be one of SENDER, NO_SIGNATURE"),
        ({"track_opens": "true"}, "track_opens: must be true or false"),
    ],
)
def test_patch_version_validates_like_create(api: httpx.Client, body: Any, detail: str) -> None:
    campaign = create(api)
    email = chain(campaign)[1]
    url = f"/v2/campaigns/{campaign['id']}/steps/{email['id']}/versions/{email['body']['versions'][0]['id']}"
    assert detail in coded(api.patch(url, json=body), 400, "INPUT_DATA_VALIDATION_FAILURE")
    assert api.get(f"/v2/campaigns/{campaign['id']}").json() == campaign


def test_a_later_email_step_may_drop_its_subject(api: httpx.Client) -> None:
    campaign = create(api)
    response = add_step(
        api,
        campaign,
        body={"versions": [{"subject": "Own thread", "message": "<p>x</p>", "track_opens": False}]},
    )
    second = chain(response.json())[2]
    url = (
        f"/v2/campaigns/{campaign['id']}/steps/{second['id']}/versions/{second['body']['versions'][0]['id']}"
    )
    # null reads as "unchanged" in a partial update (the newer version-PATCH page); "" is a follow-up.
    assert chain(api.patch(url, json={"subject": None}).json())[2]["body"]["versions"][0]["subject"] == (
        "Own thread"
    )
    assert chain(api.patch(url, json={"subject": ""}).json())[2]["body"]["versions"][0]["subject"] == ""


def test_null_in_a_version_patch_leaves_the_field_unchanged(api: httpx.Client) -> None:
    campaign = create(api)
    email = chain(campaign)[1]
    version = email["body"]["versions"][0]
    url = f"/v2/campaigns/{campaign['id']}/steps/{email['id']}/versions/{version['id']}"
    answer = api.patch(url, json={"subject": None, "message": "<p>new</p>"})
    assert answer.status_code == 200, answer.text
    patched = chain(answer.json())[1]["body"]["versions"][0]
    assert (patched["subject"], patched["message"]) == (version["subject"], "<p>new</p>")


def test_patch_version_refusals(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    start, email = chain(campaign)
    version_id = email["body"]["versions"][0]["id"]
    base = f"/v2/campaigns/{campaign['id']}/steps"
    coded(
        api.patch(f"{base}/{email['id']}/versions/{'0' * 64}", json={"message": "x"}),
        404,
        "VERSION_NOT_EXIST",
    )
    coded(api.patch(f"{base}/nope/versions/{version_id}", json={"message": "x"}), 404, "STEP_NOT_EXIST")
    coded(
        api.patch(f"{base}/{start['id']}/versions/{version_id}", json={"message": "x"}), 404, "STEP_NOT_EXIST"
    )
    emulator.set_status(campaign["id"], "PAUSED")
    coded(
        api.patch(f"{base}/{email['id']}/versions/{version_id}", json={"message": "x"}),
        409,
        "NOT_EDITABLE_STATUS",
    )


# --- DELETE /v2/campaigns/{id}/steps/{step_id} ----------------------------------------------------------


def test_delete_a_middle_email_step_relinks_its_followup(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = three_email_steps(api)
    start, first, second, third = chain(campaign)
    response = api.delete(f"/v2/campaigns/{campaign['id']}/steps/{second['id']}")
    assert response.status_code == 200
    remaining = chain(response.json())
    assert [s["id"] for s in remaining] == [start["id"], first["id"], third["id"]]
    assert remaining[1]["followup_after"] == first["followup_after"]
    assert api.get(f"/v2/campaigns/{campaign['id']}").json() == response.json()
    assert [e["status"] for e in emulator.requests() if e["method"] == "DELETE"] == [200]
    # the new last step is the only parent add-step accepts
    assert add_step(api, response.json()).status_code == 201


def test_delete_the_last_step(api: httpx.Client) -> None:
    campaign = two_email_steps(api)
    last = chain(campaign)[-1]
    response = api.delete(f"/v2/campaigns/{campaign['id']}/steps/{last['id']}")
    assert [s["id"] for s in chain(response.json())] == [s["id"] for s in chain(campaign)[:-1]]
    assert chain(response.json())[-1]["followup"] is None


def test_delete_step_refusals(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api, spec_payloads.four_step_multichannel())
    url = f"/v2/campaigns/{campaign['id']}/steps"
    start, visit, first_email, _, second_email = chain(campaign)
    assert "first EMAIL step" in coded(api.delete(f"{url}/{first_email['id']}"), 409, "STEP_NOT_DELETABLE")
    assert "LINKEDIN" in coded(api.delete(f"{url}/{visit['id']}"), 409, "STEP_NOT_DELETABLE")
    assert "START" in coded(api.delete(f"{url}/{start['id']}"), 409, "STEP_NOT_DELETABLE")
    coded(api.delete(f"{url}/nope"), 404, "STEP_NOT_EXIST")
    coded(api.delete(f"/v2/campaigns/999999/steps/{second_email['id']}"), 404, "CAMPAIGN_NOT_EXIST")
    emulator.mark_processed(campaign["id"], second_email["id"], 1)
    assert "processed" in coded(api.delete(f"{url}/{second_email['id']}"), 409, "STEP_NOT_DELETABLE")
    emulator.mark_processed(campaign["id"], second_email["id"], 0)
    emulator.set_status(campaign["id"], "STOPPED")
    coded(api.delete(f"{url}/{second_email['id']}"), 409, "NOT_EDITABLE_STATUS")
    assert api.get(f"/v2/campaigns/{campaign['id']}").json() == campaign | {"status": "STOPPED"}
    assert api.post(f"/v2/campaigns/{campaign['id']}/make_editable").status_code == 200
    assert len(chain(api.delete(f"{url}/{second_email['id']}").json())) == 4


# --- DELETE /v2/campaigns/{id} ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["DRAFT", "RUNNING", "PAUSED", "STOPPED", "COMPLETED", "EDITED"])
def test_delete_campaign_in_any_status(emulator: EmulatorHandle, api: httpx.Client, status: str) -> None:
    campaign = create(api)
    emulator.set_status(campaign["id"], status)
    response = api.delete(f"/v2/campaigns/{campaign['id']}")
    assert (response.status_code, response.content) == (200, b"")
    coded(api.get(f"/v2/campaigns/{campaign['id']}"), 404, "CAMPAIGN_NOT_EXIST")
    coded(api.delete(f"/v2/campaigns/{campaign['id']}"), 404, "CAMPAIGN_NOT_EXIST")
    assert listed(api) == []


def test_delete_campaign_in_a_workflow_is_refused(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    emulator.mark_in_workflow(campaign["id"])
    coded(api.delete(f"/v2/campaigns/{campaign['id']}"), 409, "CAMPAIGN_IN_WORKFLOW")
    assert api.get(f"/v2/campaigns/{campaign['id']}").status_code == 200
    emulator.mark_in_workflow(campaign["id"], False)
    assert api.delete(f"/v2/campaigns/{campaign['id']}").status_code == 200


def test_another_accounts_campaign_cannot_be_deleted(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    with httpx.Client(base_url=api.base_url, headers={"x-api-key": "other-key"}) as other:
        coded(other.delete(f"/v2/campaigns/{campaign['id']}"), 404, "CAMPAIGN_NOT_EXIST")
    assert api.get(f"/v2/campaigns/{campaign['id']}").status_code == 200
