"""Settling on plain values: whether the state already holds an intent's outcome, whether a campaign
matches a create as sent, and what a look in Woodpecker (a fake client: no HTTP) concludes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, cast

import pytest

from wpsync.apply.settle import DidNotHappen, Happened, mismatches, recorded_locally, settle
from wpsync.emulator.payload import new_campaign, render
from wpsync.errors import ApiErrorInfo
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import create_body, step_hash
from wpsync.state.journal import (
    AppendIntent,
    CreateIntent,
    DeleteCampaignIntent,
    EditIntent,
    StatusIntent,
)
from wpsync.state.records import CampaignRecord, StepRecord
from wpsync.woodpecker.client import WoodpeckerClient
from wpsync.woodpecker.errors import WoodpeckerApiError

JSON = dict[str, Any]
EXAMPLES = Path(__file__).resolve().parents[2] / "campaigns"


def record(*steps: StepRecord, status: str = "DRAFT", head_hash: str = "head-1") -> CampaignRecord:
    return CampaignRecord(
        key="camp",
        lineage="lineage",
        serial=1,
        campaign_id=7,
        status=status,
        head_hash=head_hash,
        steps=(StepRecord("start", "START"), *steps),
    )


ONE = StepRecord("s1", "EMAIL", "hash-1", ("v1",))
TWO = StepRecord("s2", "EMAIL", "hash-2", ("v2",))


def example(name: str = "one-step-email") -> tuple[JSON, tuple[str, ...], JSON]:
    """The create body as sent, its step hashes, and the campaign Woodpecker would answer with."""
    campaign = load_campaign(EXAMPLES / f"{name}.toml")
    body = create_body(campaign)
    sent: JSON = {k: body[k] for k in ("name", "email_account_ids", "settings") if k in body}
    hashes = tuple(step_hash(s, campaign.schedules) for s in campaign.steps)
    return sent, hashes, render(new_campaign(1001, copy.deepcopy(body)))


# --- recorded_locally ---------------------------------------------------------------------------


def test_create_is_recorded_once_a_record_exists() -> None:
    intent = CreateIntent("camp", "Name", {}, ("h",), {}, "head", "digest")
    assert not recorded_locally(intent, None)
    assert recorded_locally(intent, record(ONE))


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ((ONE, TWO), True),  # the step after the parent has the hash sent
        ((ONE,), False),  # nothing after the parent yet
        ((ONE, StepRecord("s2", "EMAIL", "other", ())), False),  # something else after it
        ((TWO,), False),  # the parent is not in the record
    ],
)
def test_append(steps: tuple[StepRecord, ...], expected: bool) -> None:
    intent = AppendIntent("camp", 7, "s1", "hash-2")
    assert recorded_locally(intent, record(*steps)) is expected
    assert not recorded_locally(intent, None)


def test_status() -> None:
    intent = StatusIntent("camp", 7, "make_editable", "EDITED")
    assert recorded_locally(intent, record(ONE, status="EDITED"))
    assert not recorded_locally(intent, record(ONE, status="RUNNING"))
    assert not recorded_locally(intent, None)


def test_campaign_edit_by_head_hash() -> None:
    intent = EditIntent("camp", 7, "campaign", target_hash="head-2")
    assert recorded_locally(intent, record(ONE, head_hash="head-2"))
    assert not recorded_locally(intent, record(ONE, head_hash="head-1"))
    assert not recorded_locally(intent, None)


@pytest.mark.parametrize("what", ["step_windows", "version"])
def test_step_edit_by_step_hash(what: str) -> None:
    intent = EditIntent("camp", 7, what, "s2", "v2" if what == "version" else "", "hash-2")
    assert recorded_locally(intent, record(ONE, TWO))
    assert not recorded_locally(intent, record(ONE, StepRecord("s2", "EMAIL", "old", ("v2",))))
    assert not recorded_locally(intent, record(ONE))  # the step is not there at all


def test_step_delete_by_absence() -> None:
    intent = EditIntent("camp", 7, "delete_step", "s2")
    assert recorded_locally(intent, record(ONE))
    assert not recorded_locally(intent, record(ONE, TWO))
    assert not recorded_locally(intent, None)


def test_campaign_delete_by_absence() -> None:
    intent = DeleteCampaignIntent("camp", 7)
    assert recorded_locally(intent, None)
    assert not recorded_locally(intent, record(ONE))


# --- mismatches --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["one-step-email", "two-step-linkedin", "four-step-multichannel"])
def test_a_campaign_made_from_the_body_matches_it(name: str) -> None:
    sent, hashes, payload = example(name)
    assert mismatches(sent, hashes, payload) == []


def test_each_difference_is_named() -> None:
    sent, hashes, payload = example()
    payload["name"] = "Other"
    payload["email_account_ids"] = [1]
    payload["settings"]["daily_enroll"] = 99
    assert mismatches(sent, hashes, payload) == ["name", "email_account_ids", "settings.daily_enroll"]
    assert mismatches(sent, (*hashes, "more"), example()[2]) == ["steps"]


@pytest.mark.parametrize("edit", ["none", "name", "step"])
def test_hashes_read_once_give_the_same_answer(edit: str) -> None:
    """apply's create check hands over the hashes the record was read with; the answer is the one
    mismatches finds reading the payload itself."""
    from wpsync.woodpecker.remote import read_steps

    sent, hashes, payload = example("four-step-multichannel")
    if edit == "name":
        payload["name"] = "Other"
    if edit == "step":
        hashes = (*hashes[:-1], "another")
    read = read_steps(payload).hashes
    assert mismatches(sent, hashes, payload, read) == mismatches(sent, hashes, payload)
    assert mismatches(sent, hashes, payload, read) == {"none": [], "name": ["name"], "step": ["steps"]}[edit]


def test_mailboxes_and_lists_compare_in_any_order() -> None:
    sent, hashes, payload = example("four-step-multichannel")
    payload["email_account_ids"] = list(reversed(payload["email_account_ids"]))
    payload["settings"]["open_disabled_list"] = list(reversed(payload["settings"]["open_disabled_list"]))
    assert mismatches(sent, hashes, payload) == []


def test_settings_not_sent_are_not_compared() -> None:
    sent, hashes, payload = example()
    payload["settings"]["some_live_extra"] = True
    del sent["settings"]["list_unsubscribe"]
    payload["settings"]["list_unsubscribe"] = True
    assert mismatches(sent, hashes, payload) == []


def test_a_create_without_a_name_is_the_default_name() -> None:
    sent, hashes, payload = example()
    del sent["name"]
    assert mismatches(sent, hashes, payload) == ["name"]
    payload["name"] = "My campaign #0"
    assert mismatches(sent, hashes, payload) == []


def test_unreadable_steps_and_settings_are_no_match() -> None:
    sent, hashes, payload = example()
    payload["steps"] = {"id": "start", "type": "START", "followup": {"type": "EMAIL", "nonsense": 1}}
    payload["settings"] = None
    found = mismatches(sent, hashes, payload)
    assert found[-1] == "steps" and "settings.daily_enroll" in found


# --- settle, against a fake client -----------------------------------------------------------------


class FakeClient:
    def __init__(self, payload: JSON | None) -> None:
        self.payload = payload
        self.calls: list[int] = []

    def get_campaign(self, campaign_id: int) -> JSON:
        self.calls.append(campaign_id)
        if self.payload is None:
            info = ApiErrorInfo(404, "CAMPAIGN_NOT_EXIST", "no such campaign")
            raise WoodpeckerApiError(info, "404", method="GET", path="/x", maybe_committed=False)
        return self.payload


def client(payload: JSON | None) -> WoodpeckerClient:
    return cast(WoodpeckerClient, FakeClient(payload))


def test_a_campaign_patch_is_found_by_the_values_it_sent() -> None:
    _, _, payload = example()
    payload["settings"]["daily_enroll"] = 30
    payload["name"] = "Renamed"
    sent = {"name": "Renamed", "settings": {"daily_enroll": 30}}
    intent = EditIntent("camp", 1001, "campaign", target_hash="h", sent=sent, head={"name": "Renamed"})
    assert settle(intent, client(payload), set()) == Happened(payload)
    not_yet = EditIntent("camp", 1001, "campaign", target_hash="h", sent={"settings": {"daily_enroll": 31}})
    assert settle(not_yet, client(payload), set()) == DidNotHappen()


def test_a_campaign_patch_of_mailboxes_compares_in_any_order() -> None:
    _, _, payload = example()
    payload["email_account_ids"] = [2, 1]
    intent = EditIntent("camp", 1001, "campaign", sent={"email_account_ids": [1, 2]})
    assert isinstance(settle(intent, client(payload), set()), Happened)


def test_an_old_campaign_intent_without_what_it_sent_cannot_tell() -> None:
    _, _, payload = example()
    intent = EditIntent("camp", 1001, "campaign", target_hash="h")
    assert settle(intent, client(payload), set()) == DidNotHappen()


def test_an_edit_of_a_deleted_campaign_did_not_happen() -> None:
    intent = EditIntent("camp", 1001, "campaign", sent={"name": "x"})
    assert settle(intent, client(None), set()) == DidNotHappen()
    assert settle(DeleteCampaignIntent("camp", 1001), client(None), set()) == Happened(None)


def test_a_version_patch_is_found_by_the_step_hash() -> None:
    from wpsync.woodpecker.remote import read_steps

    _, _, payload = example()
    steps = read_steps(payload).records
    intent = EditIntent("camp", 1001, "version", steps[1].id, steps[1].version_ids[0], steps[1].hash)
    assert settle(intent, client(payload), set()) == Happened(payload)
    other = EditIntent("camp", 1001, "version", steps[1].id, steps[1].version_ids[0], "another hash")
    assert settle(other, client(payload), set()) == DidNotHappen()


def test_status_is_found_by_the_target() -> None:
    _, _, payload = example()
    payload["status"] = "EDITED"
    assert isinstance(
        settle(StatusIntent("camp", 1001, "make_editable", "EDITED"), client(payload), set()), Happened
    )
    assert settle(StatusIntent("camp", 1001, "run", "RUNNING"), client(payload), set()) == DidNotHappen()
