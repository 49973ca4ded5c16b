"""What api-notes.md says the live API does, beyond the two spec pages: v1 stats and empty lists, the
live extra keys, mailbox entries, v1 errors inside a 200, unsupported campaigns, /v1/me and agencies."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from tests.emulator import spec_payloads
from tests.emulator.emu_helpers import chain, create, email_step, listed, local_client, minimal_create
from wpsync.emulator.server import EmulatorHandle, running_emulator
from wpsync.emulator.stats import CAMPAIGN_COUNTERS, DAY_KEYS, DAY_PREFIXES, EMAIL_COUNTERS


def stats_of(api: httpx.Client, campaign_id: int) -> dict[str, Any]:
    [row] = api.get("/v1/campaign_list", params={"id": campaign_id}).json()
    result: dict[str, Any] = row["stats"]
    return result


# --- campaign_list?id= stats ------------------------------------------------------------------------


def test_stats_list_every_campaign_counter_and_one_email_entry_per_email_step(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    campaign = create(api, spec_payloads.four_step_multichannel())
    stats = stats_of(api, campaign["id"])
    assert set(stats) == {*CAMPAIGN_COUNTERS, "emails"}
    assert all(stats[name] == 0 for name in CAMPAIGN_COUNTERS)
    # LinkedIn steps are omitted: two EMAIL steps among four, in chain order, numbered both ways.
    first, second = stats["emails"]
    assert set(first) == {
        "subject",
        "msg",
        *DAY_KEYS,
        *(f"{prefix}{edge}" for prefix in DAY_PREFIXES for edge in ("From", "To")),
        "follow_up",
        "condition",
        "number",
        "step",
        *EMAIL_COUNTERS,
    }
    assert (first["number"], first["step"], second["number"], second["step"]) == (1, 2, 2, 4)
    email_steps = [s for s in chain(campaign) if s["type"] == "EMAIL"]
    assert first["subject"] == email_steps[0]["body"]["versions"][0]["subject"]  # version A's
    assert first["msg"] == email_steps[0]["body"]["versions"][0]["message"]
    assert second["subject"] is None
    # No invented "days" key: per-day window lists and the first window's edges (newer evidence).
    assert "days" not in first
    assert [d for d in DAY_KEYS if first[d]] == ["monday", "tuesday", "wednesday", "thursday"]
    assert [d for d in DAY_KEYS if second[d]] == ["thursday"]
    assert second["thursday"] == email_steps[1]["delivery_time"]["THURSDAY"]
    assert second["thuFrom"] == email_steps[1]["delivery_time"]["THURSDAY"][0]["from"]
    assert second["monFrom"] is None and second["monday"] == []
    assert (first["follow_up"], second["follow_up"]) == (4, 3)
    assert first["condition"] is None
    assert "id" not in first and "step_id" not in first  # no source shows a step id here


def test_mark_processed_on_an_email_step_shows_as_sent(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    email = chain(campaign)[1]
    emulator.mark_processed(campaign["id"], email["id"], 4)
    stats = stats_of(api, campaign["id"])
    assert (stats["prospects"], stats["sent"], stats["queue"]) == (4, 4, 0)
    assert stats["emails"][0]["emailSend"] == 4
    emulator.mark_processed(campaign["id"], email["id"], 0)  # a set, not an increment: back to zero
    stats = stats_of(api, campaign["id"])
    assert (stats["prospects"], stats["sent"], stats["emails"][0]["emailSend"]) == (0, 0, 0)


def test_mark_processed_on_a_linkedin_step_is_unknown_never_zero(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    campaign = create(api, spec_payloads.two_step_linkedin())
    last = chain(campaign)[-1]
    emulator.mark_processed(campaign["id"], last["id"], 3)
    stats = stats_of(api, campaign["id"])
    assert stats["emails"] == []  # LinkedIn tasks are not in the email stats
    assert (stats["sent"], stats["prospects"], stats["queue"]) == (0, 3, 3)  # not "sent 0, queue 0"
    # The processed count still gates add-step on that parent.
    body = {"parent_id": last["id"], "step": email_step()}
    emulator.set_status(campaign["id"], "DRAFT")
    response = api.post(f"/v2/campaigns/{campaign['id']}/steps", json=body)
    assert response.status_code == 409
    assert response.json()["code"] in ("PARENT_BRANCH_NOT_LINKABLE", "VALIDATION_FAILURE")


def test_processed_parent_still_refuses_add_step(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    email = chain(campaign)[1]
    emulator.mark_processed(campaign["id"], email["id"], 1)
    response = api.post(
        f"/v2/campaigns/{campaign['id']}/steps", json={"parent_id": email["id"], "step": email_step()}
    )
    assert (response.status_code, response.json()["code"]) == (409, "PARENT_BRANCH_NOT_LINKABLE")


def test_stats_hooks_override_counters(emulator: EmulatorHandle, api: httpx.Client) -> None:
    campaign = create(api)
    email = chain(campaign)[1]
    emulator.set_step_stats(campaign["id"], email["id"], toSend=5, open=2)
    emulator.set_campaign_stats(campaign["id"], queue=5, replied=1)
    stats = stats_of(api, campaign["id"])
    assert (stats["queue"], stats["replied"], stats["sent"]) == (5, 1, 0)
    assert (stats["emails"][0]["toSend"], stats["emails"][0]["open"]) == (5, 2)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        emulator.set_step_stats(campaign["id"], email["id"], sent=1)  # a campaign counter
    assert refused.value.response.status_code == 400
    with pytest.raises(httpx.HTTPStatusError) as refused:
        emulator.set_step_stats(campaign["id"], chain(campaign)[0]["id"], toSend=1)  # START
    assert refused.value.response.json()["code"] == "STEP_NOT_EXIST"


def test_stats_only_for_a_single_id(api: httpx.Client) -> None:
    create(api)
    assert all("stats" not in row for row in api.get("/v1/campaign_list").json())


# --- empty v1 list ------------------------------------------------------------------------------------


def test_empty_campaign_list_answers_the_message_then_204_when_asked(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    response = api.get("/v1/campaign_list")
    assert (response.status_code, response.json()) == (200, {"message": "There are no campaigns."})
    create(api)
    filtered = api.get("/v1/campaign_list", params={"status": "RUNNING"})
    assert filtered.json() == {"message": "There are no campaigns."}
    emulator.set_empty_list_form("no_content")
    for params in ({"status": "RUNNING"}, {"id": 1}):
        response = api.get("/v1/campaign_list", params=params)
        assert (response.status_code, response.content) == (204, b"")
    assert len(listed(api)) == 1
    emulator.reset()
    emulator.set_empty_list_form("no_content")
    assert api.get("/v1/campaign_list").status_code == 204  # an empty account, too
    emulator.reset()
    assert api.get("/v1/campaign_list").status_code == 200  # the form is a test control: reset drops it


# --- live extra keys ----------------------------------------------------------------------------------


def test_full_payloads_carry_the_live_extras_and_bodies_may_send_the_two_settings(api: httpx.Client) -> None:
    campaign = create(api)
    fetched = api.get(f"/v2/campaigns/{campaign['id']}").json()
    for payload in (campaign, fetched):
        assert payload["settings"]["auto_pause_prospect_from_domain_statuses"] == ["REPLIED", "BOUNCED"]
        assert payload["settings"]["count_followup_delay_in_working_days"] is False
        assert payload["bounce_shield_enabled"] is True
        assert isinstance(payload["bounce_shield_threshold"], int)
        assert payload["bounce_shield_autopaused_at"] is None
    # Clients send the two settings in create and PATCH bodies, and Woodpecker takes them (newer evidence).
    body = minimal_create()
    body["settings"]["count_followup_delay_in_working_days"] = True
    body["settings"]["auto_pause_prospect_from_domain_statuses"] = ["REPLIED"]
    response = api.post("/v2/campaigns", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["settings"]["count_followup_delay_in_working_days"] is True
    patch = {"settings": {"auto_pause_prospect_from_domain_statuses": ["BOUNCED", "REPLIED"]}}
    patched = api.patch(f"/v2/campaigns/{response.json()['id']}", json=patch)
    assert patched.status_code == 200, patched.text
    settings = patched.json()["settings"]
    assert settings["auto_pause_prospect_from_domain_statuses"] == ["BOUNCED", "REPLIED"]
    assert settings["count_followup_delay_in_working_days"] is True
    response = api.post("/v2/campaigns", json=minimal_create(bounce_shield_enabled=False))
    assert "bounce_shield_enabled: unknown field" in response.json()["details"]


# --- mailboxes -------------------------------------------------------------------------------------


def test_conditional_mailbox_reports_its_error_and_still_sends(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    shown = emulator.seed_mailbox(700, "maybe@example.com", connected="conditional")
    assert shown == {
        "id": 700,
        "type": "SMTP",
        "details": {"email": "maybe@example.com", "error": "Connected conditionally.", "imap_id": None},
    }
    assert shown in api.get("/v2/mailboxes").json()
    create(api, minimal_create(email_account_ids=[700]))


def test_disconnected_mailbox_is_still_refused_with_409(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.seed_mailbox(701, "down@example.com", connected=False)
    response = api.post("/v2/campaigns", json=minimal_create(email_account_ids=[701]))
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["message"]) == ("VALIDATION_FAILURE", "Validation failure")
    assert "connection problems" in body["details"]


def test_seeded_mailbox_links_its_imap_twin(emulator: EmulatorHandle, api: httpx.Client) -> None:
    emulator.seed_mailbox(800, "pair@example.com", imap_id=900)
    emulator.seed_mailbox(900, "pair@example.com", type="IMAP")
    by_id = {b["id"]: b for b in api.get("/v2/mailboxes").json()}
    assert by_id[800]["details"]["imap_id"] == 900
    assert "email" not in by_id[800]  # only details.email is documented


# --- v1 errors inside a 200 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code"), [("v1_too_many_requests", "E_TOO_MANY_REQUESTS"), ("v1_session", "E_SESSION")]
)
def test_v1_error_inside_a_200_for_n_v1_requests(
    emulator: EmulatorHandle, api: httpx.Client, kind: str, code: str
) -> None:
    emulator.add_fault(kind, 2)
    assert api.get("/v2/mailboxes").status_code == 200  # v2 paths are not touched
    for _ in range(2):
        response = api.get("/v1/campaign_list")
        assert response.status_code == 200
        error = response.json()["status"]
        assert (error["status"], error["code"]) == ("ERROR", code)
        assert isinstance(error["msg"], str) and error["msg"]
    assert api.get("/v1/campaign_list").json() == {"message": "There are no campaigns."}
    log = [e for e in emulator.requests() if e["path"] == "/rest/v1/campaign_list"]
    assert [(e["status"], e["fault"]) for e in log] == [(200, kind), (200, kind), (200, None)]


# --- unsupported campaigns ----------------------------------------------------------------------------


def test_unsupported_campaign_answers_409_on_get_but_stays_listed_and_deletable(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    campaign = create(api)
    emulator.mark_unsupported(campaign["id"])
    response = api.get(f"/v2/campaigns/{campaign['id']}")
    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "API_UNSUPPORTED_CAMPAIGN_FEATURES"
    step_id = chain(campaign)[1]["id"]
    assert (
        api.post(
            f"/v2/campaigns/{campaign['id']}/steps", json={"parent_id": step_id, "step": email_step()}
        ).status_code
        == 409
    )
    assert api.patch(f"/v2/campaigns/{campaign['id']}", json={"name": "x"}).status_code == 409
    assert [c["id"] for c in listed(api)] == [campaign["id"]]
    assert api.post(f"/v2/campaigns/{campaign['id']}/pause").status_code == 200
    emulator.mark_unsupported(campaign["id"], False)
    assert api.get(f"/v2/campaigns/{campaign['id']}").status_code == 200
    emulator.mark_unsupported(campaign["id"])
    assert api.delete(f"/v2/campaigns/{campaign['id']}").status_code == 200


# --- identity and agencies ----------------------------------------------------------------------------


def test_me_is_stable_and_distinct_per_key(emulator: EmulatorHandle, api: httpx.Client) -> None:
    me = api.get("/v1/me").json()
    assert set(me) == {"id", "email", "company_id", "company_name"}
    assert isinstance(me["id"], int) and isinstance(me["company_id"], int)
    assert api.get("/v1/me").json() == me
    with local_client(emulator.base_url, "other-key") as other:
        assert other.get("/v1/me").json()["company_id"] != me["company_id"]
    # Another emulator (another process) derives the same ids for the same key.
    with running_emulator(["test-key"]) as second, local_client(second.base_url, "test-key") as again:
        assert again.get("/v1/me").json() == me


def test_hq_key_acts_for_a_registered_company_with_its_own_data(
    emulator: EmulatorHandle, api: httpx.Client
) -> None:
    hq_campaign = create(api)
    emulator.add_company(4242, "Client Co")
    company = emulator.company(4242)
    company.seed_mailbox(5000, "client@example.com")
    with local_client(emulator.base_url, "test-key") as client:
        client.headers["x-company-id"] = "4242"
        me = client.get("/v1/me").json()
        assert (me["company_id"], me["company_name"]) == (4242, "Client Co")
        assert listed(client) == []  # the HQ's campaign is not the company's
        assert client.get(f"/v2/campaigns/{hq_campaign['id']}").status_code == 404
        mailbox_ids = {b["id"] for b in client.get("/v2/mailboxes").json()}
        assert 5000 in mailbox_ids
        made = create(client, minimal_create(email_account_ids=[5000]))
        assert [c["id"] for c in listed(client)] == [made["id"]]
    assert 5000 not in {b["id"] for b in api.get("/v2/mailboxes").json()}
    assert [c["id"] for c in listed(api)] == [hq_campaign["id"]]
    [entry] = [e for e in company.requests() if e["method"] == "POST"]
    assert entry["company_id"] == 4242
    assert all(e["company_id"] is None for e in emulator.requests())


@pytest.mark.parametrize(("header", "status"), [("777", 403), ("abc", 400)])
def test_unknown_or_bad_company_id_is_refused(
    emulator: EmulatorHandle, api: httpx.Client, header: str, status: int
) -> None:
    response = api.get("/v1/me", headers={"x-company-id": header})
    assert response.status_code == status
    assert set(response.json()) == {"title", "status", "detail", "timestamp"}
    with local_client(emulator.base_url, "other-key") as other:
        emulator.add_company(777, "Mine")
        # Registered under test-key: other-key may not act for it.
        assert other.get("/v1/me", headers={"x-company-id": "777"}).status_code == 403


def test_companies_have_their_own_rate_limit_lane(emulator: EmulatorHandle) -> None:
    emulator.add_company(1, "One")
    emulator.set_latency(0.4)
    with local_client(emulator.base_url, "test-key") as hq, local_client(emulator.base_url, "test-key") as co:
        co.headers["x-company-id"] = "1"
        slow = threading.Thread(target=lambda: hq.get("/v2/mailboxes"))
        slow.start()
        time.sleep(0.1)
        started = time.monotonic()
        assert co.get("/v2/mailboxes").status_code == 200  # not queued behind the HQ's request
        assert time.monotonic() - started < 0.3
        slow.join()


# --- latency ------------------------------------------------------------------------------------------


def test_latency_applies_to_every_request_and_can_start_set() -> None:
    with running_emulator(["k"], latency=0.15) as emu, local_client(emu.base_url, "k") as client:
        for _ in range(2):
            started = time.monotonic()
            client.get("/v2/mailboxes")
            assert time.monotonic() - started >= 0.15
        emu.set_latency(0)
        started = time.monotonic()
        client.get("/v2/mailboxes")
        assert time.monotonic() - started < 0.15
        emu.reset()  # back to the starting latency
        started = time.monotonic()
        client.get("/v2/mailboxes")
        assert time.monotonic() - started >= 0.15


def test_companies_and_their_data_survive_a_restart(tmp_path: Any) -> None:
    state = tmp_path / "state.json"
    with running_emulator(["hq"], persist=state, seed_examples=True) as emu:
        emu.add_company(31, "Persisted Co")
        with local_client(emu.base_url, "hq") as client:
            client.headers["x-company-id"] = "31"
            made = create(client)
    with running_emulator(["hq"], persist=state) as emu, local_client(emu.base_url, "hq") as client:
        client.headers["x-company-id"] = "31"
        assert client.get("/v1/me").json()["company_name"] == "Persisted Co"
        assert [c["id"] for c in listed(client)] == [made["id"]]
