"""The spec's own request examples go in; the documented full payloads come out."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
import pytest

from tests.emulator import spec_payloads
from tests.emulator.emu_helpers import add_step, chain, create, listed, local_client, minimal_create
from wpsync.emulator.server import EmulatorHandle
from wpsync.emulator.stats import CAMPAIGN_COUNTERS

STEP_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
SETTINGS_DEFAULTS = {
    "prospect_timezone": False,
    "gdpr_unsubscribe": False,
    "list_unsubscribe": False,
    "open_disabled_list": [],
    "auto_pause_prospect_from_domain": False,
    "catch_all_verification_mode": "BALANCED",
}
# Shown on every full payload, as live GETs do (api-notes); the values are the emulator's choice.
LIVE_SETTINGS = {
    "auto_pause_prospect_from_domain_statuses": ["REPLIED", "BOUNCED"],
    "count_followup_delay_in_working_days": False,
}
LIVE_TOP_LEVEL = {
    "bounce_shield_enabled": True,
    "bounce_shield_threshold": 5,
    "bounce_shield_autopaused_at": None,
}
EMPTY = {"message": "There are no campaigns."}


def without_ids(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload minus its server-assigned ids, after checking each id's documented form."""
    out = copy.deepcopy(payload)
    assert isinstance(out.pop("id"), int)
    seen: set[str] = set()
    for step in chain(out):
        step_id = step.pop("id")
        assert STEP_ID.match(step_id) and step_id not in seen
        seen.add(step_id)
        for version in (step.get("body") or {}).get("versions") or []:
            version_id = version.pop("id")
            assert isinstance(version_id, str) and len(version_id) == 64 and version_id not in seen
            seen.add(version_id)
    return out


def expected(request: dict[str, Any]) -> dict[str, Any]:
    """What the spec's tables say the full payload is: the request with every default filled in."""
    out = copy.deepcopy(request)
    out.setdefault("name", "My campaign #0")
    out["status"] = "DRAFT"
    out.setdefault("email_account_ids", [])
    out["settings"] = SETTINGS_DEFAULTS | out["settings"] | LIVE_SETTINGS
    out.update(LIVE_TOP_LEVEL)
    for step in chain(out)[1:]:
        step["followup_after"] = {"range": "DAY", "value": 1} | step.get("followup_after", {})
        step.setdefault("followup", None)
        for letter, version in zip("ABCDE", step["body"].get("versions") or [], strict=False):
            version["version"] = letter
            if step["type"] == "EMAIL":
                version.setdefault("subject", None)
                version.setdefault("signature", "NO_SIGNATURE")
                version.setdefault("track_opens", False)
    return out


@pytest.mark.parametrize(
    "make",
    [
        spec_payloads.one_step_email,
        spec_payloads.two_step_linkedin,
        spec_payloads.four_step_multichannel,
        lambda: copy.deepcopy(spec_payloads.PYTHON_REQUEST_SAMPLE),
    ],
    ids=["one-step-email", "two-step-linkedin", "four-step-multichannel", "python-request-sample"],
)
def test_spec_create_examples_are_accepted_with_the_full_payload(api: httpx.Client, make: Any) -> None:
    request = make()
    response = api.post("/v2/campaigns", json=request)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "DRAFT"
    assert created["id"] >= 1001
    assert chain(created)[0]["type"] == "START"
    assert chain(created)[-1]["followup"] is None
    assert without_ids(created) == expected(request)
    # The structure endpoint returns exactly what create returned.
    assert api.get(f"/v2/campaigns/{created['id']}").json() == created


def test_linkedin_example_gets_every_settings_default(api: httpx.Client) -> None:
    created = create(api, spec_payloads.two_step_linkedin())
    assert created["settings"] == {
        "timezone": "Europe/Warsaw",
        "daily_enroll": 50,
        "prospect_timezone": False,
        "gdpr_unsubscribe": False,
        "list_unsubscribe": False,
        "open_disabled_list": [],
        "auto_pause_prospect_from_domain": False,
        "catch_all_verification_mode": "BALANCED",
        **LIVE_SETTINGS,
    }
    visit, connect = chain(created)[1:]
    assert visit["followup_after"] == {"range": "DAY", "value": 3}
    assert connect["followup_after"] == {"range": "DAY", "value": 1}
    assert [v["version"] for v in connect["body"]["versions"]] == ["A", "B"]
    assert created["email_account_ids"] == []


def test_python_sample_gets_the_default_name_and_signature(api: httpx.Client) -> None:
    created = create(api, copy.deepcopy(spec_payloads.PYTHON_REQUEST_SAMPLE))
    assert created["name"] == "My campaign #0"
    version = chain(created)[1]["body"]["versions"][0]
    assert (version["version"], version["signature"], version["track_opens"]) == ("A", "NO_SIGNATURE", True)


def test_spec_add_step_example_appends_to_the_last_step(api: httpx.Client) -> None:
    created = create(api, spec_payloads.one_step_email())
    last = chain(created)[-1]["id"]
    response = api.post(f"/v2/campaigns/{created['id']}/steps", json=spec_payloads.add_step_example(last))
    assert response.status_code == 201, response.text
    updated = response.json()
    steps = chain(updated)
    assert [s["id"] for s in steps[:-1]] == [s["id"] for s in chain(created)]
    new = steps[-1]
    request_step = spec_payloads.add_step_example(last)["step"]
    assert new["type"] == "EMAIL" and new["followup"] is None
    assert new["delivery_time"] == request_step["delivery_time"]
    assert new["followup_after"] == {"range": "HOUR", "value": 10}
    versions = new["body"]["versions"]
    assert [v["version"] for v in versions] == ["A", "B"]
    assert [v["subject"] for v in versions] == [None, "Example subject line - version B"]
    assert [v["signature"] for v in versions] == ["SENDER", "NO_SIGNATURE"]
    assert all(len(v["id"]) == 64 for v in versions)
    assert updated["status"] == "DRAFT"
    assert api.get(f"/v2/campaigns/{created['id']}").json() == updated


def test_steps_can_be_appended_one_after_another(api: httpx.Client) -> None:
    campaign = create(api)
    for expected_length in (3, 4, 5):
        response = add_step(api, campaign)
        assert response.status_code == 201, response.text
        campaign = response.json()
        assert len(chain(campaign)) == expected_length


def test_campaign_ids_count_up_across_accounts(emulator: EmulatorHandle, api: httpx.Client) -> None:
    first = create(api)["id"]
    with local_client(emulator.base_url, "other-key") as other:
        second = create(other)["id"]
        assert other.get(f"/v2/campaigns/{first}").status_code == 404
        assert [c["id"] for c in listed(other)] == [second]
    assert second == first + 1


def test_campaign_list_filters_by_status_and_adds_step_stats_for_one_id(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    draft = create(api, minimal_create(name="draft"))
    running = create(api, minimal_create(name="running"))
    assert api.post(f"/v2/campaigns/{running['id']}/run").status_code == 200
    rows = api.get("/v1/campaign_list").json()
    assert rows == [
        {"id": draft["id"], "name": "draft", "status": "DRAFT"},
        {"id": running["id"], "name": "running", "status": "RUNNING"},
    ]
    assert [c["id"] for c in api.get("/v1/campaign_list", params={"status": "RUNNING"}).json()] == [
        running["id"]
    ]
    both = api.get("/v1/campaign_list", params={"status": "RUNNING,DRAFT"}).json()
    assert len(both) == 2
    _, email = chain(running)
    emulator.mark_processed(running["id"], email["id"], 7)
    [row] = api.get("/v1/campaign_list", params={"id": running["id"]}).json()
    assert set(row) == {"id", "name", "status", "stats"}
    counters = {k: v for k, v in row["stats"].items() if k != "emails"}
    assert counters == dict.fromkeys(CAMPAIGN_COUNTERS, 0) | {"prospects": 7, "sent": 7}
    assert row["stats"]["emails"] == [
        {
            "subject": "Hello {{FIRST_NAME}}",
            "msg": "<p>Hi</p>",
            "monday": [{"from": "08:00", "to": "17:00"}],
            "monFrom": "08:00",
            "monTo": "17:00",
            **{d: [] for d in ("tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")},
            **{
                f"{d}{edge}": None
                for d in ("tue", "wed", "thu", "fri", "sat", "sun")
                for edge in ("From", "To")
            },
            "follow_up": 1,
            "condition": None,
            "number": 1,
            "step": 1,
            "emailSend": 7,
            "toSend": 0,
            "delivery": 0,
            "open": 0,
            "reply": 0,
            "invalid": 0,
            "bounce": 0,
        }
    ]


def test_mailboxes_are_a_bare_array_with_smtp_and_imap_entries(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    emulator.seed_mailbox(555, "broken@example.com", connected=False)
    boxes = api.get("/v2/mailboxes").json()
    assert isinstance(boxes, list)
    by_id = {b["id"]: b for b in boxes}
    assert by_id[112233] == {
        "id": 112233,
        "type": "SMTP",
        "details": {"email": "sales@example.com", "error": None, "imap_id": 1112233},
    }
    assert by_id[1112233] == {
        "id": 1112233,
        "type": "IMAP",
        "details": {"email": "sales@example.com", "error": None, "imap_id": None},
    }
    assert {b["type"] for b in boxes} == {"SMTP", "IMAP"}
    assert by_id[555]["details"]["error"]


def test_linkedin_accounts_are_wrapped_in_an_object(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.seed_linkedin(300003, "Classic Carl", "DISCONNECTED", "CLASSIC")
    assert api.get("/v2/linkedin_accounts").json() == {
        "linkedin_accounts": [
            {
                "id": 200002,
                "full_name": "Example Sender",
                "session_status": "CONNECTED",
                "level": "SALES_NAVIGATOR",
                "username": None,
                "linkedin_url": "https://www.linkedin.com/in/sender-200002",
            },
            {
                "id": 300003,
                "full_name": "Classic Carl",
                "session_status": "DISCONNECTED",
                "level": "CLASSIC",
                "username": None,
                "linkedin_url": "https://www.linkedin.com/in/sender-300003",
            },
        ]
    }


@pytest.mark.parametrize(("action", "status"), [("run", "RUNNING"), ("pause", "PAUSED"), ("stop", "STOPPED")])
def test_run_pause_stop_answer_200_without_a_body(api: httpx.Client, action: str, status: str) -> None:
    campaign = create(api)
    response = api.post(f"/v2/campaigns/{campaign['id']}/{action}")
    assert (response.status_code, response.content) == (200, b"")
    assert api.get(f"/v2/campaigns/{campaign['id']}").json()["status"] == status


@pytest.mark.parametrize("status", ["RUNNING", "PAUSED", "STOPPED", "COMPLETED"])
def test_make_editable_then_append(emulator: EmulatorHandle, api: httpx.Client, status: str) -> None:
    campaign = create(api)
    emulator.set_status(campaign["id"], status)
    assert add_step(api, campaign).status_code == 409
    response = api.post(f"/v2/campaigns/{campaign['id']}/make_editable")
    assert (response.status_code, response.content) == (200, b"")
    appended = add_step(api, campaign)
    assert appended.status_code == 201
    assert appended.json()["status"] == "EDITED"


def test_campaign_list_parameters(api: httpx.Client) -> None:
    create(api)
    assert api.get("/v1/campaign_list", params={"id": 999999}).json() == EMPTY
    assert api.get("/v1/campaign_list", params={"status": "PAUSED"}).json() == EMPTY
    for name, value in (("id", "abc"), ("status", "DRAFT,LIVE")):
        response = api.get("/v1/campaign_list", params={name: value})
        assert response.status_code == 400
        assert response.json()["detail"] == f"Invalid value {value!r} for parameter {name}"
