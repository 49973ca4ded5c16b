"""Strictness: every documented rule has a request the emulator refuses, and the edges it must accept.

Each case edits a valid body at JSON paths and names one problem ("field: detail") that must appear in
the 400 answer. Paths: S = the first step of the minimal email campaign; CR, EM, DM, VP, EM2 = the
steps of the rich campaign (connection request, first email, direct message, profile visit, email).
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.emulator.emu_helpers import chain, create, email_step, listed, minimal_create

DELETE = object()

S = "steps.followup"
CR = "steps.followup"
EM = f"{CR}.followup"
DM = f"{EM}.followup"
VP = f"{DM}.followup"
EM2 = f"{VP}.followup"


def rich() -> dict[str, Any]:
    """A valid five-step multichannel body touching every step kind."""

    def linkedin(action: str, versions: Any, followup: Any) -> dict[str, Any]:
        body = {"action_type": action, "linkedin_account_id": 200002, "versions": versions}
        return {"type": "LINKEDIN", "body": body, "followup": followup}

    def email(subject: str | None, followup: Any) -> dict[str, Any]:
        versions = [{"subject": subject, "message": "<p>Hi {{FIRST_NAME}}</p>"}]
        return {
            "type": "EMAIL",
            "delivery_time": {"MONDAY": [{"from": "09:00", "to": "17:00"}]},
            "body": {"versions": versions},
            "followup": followup,
        }

    last = email(None, None)
    visit = linkedin("VISIT_PROFILE", None, last)
    direct = linkedin("DIRECT_MESSAGE", [{"message": "Thanks for connecting, {{FIRST_NAME}}"}], visit)
    first = email("Hello {{FIRST_NAME}}", direct)
    connect = linkedin("CONNECTION_REQUEST", [{"message": None}, {"message": "Hi {{FIRST_NAME}}"}], first)
    return {
        "name": "rich",
        "email_account_ids": [100001],
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 10},
        "steps": {"type": "START", "followup": connect},
    }


BASES = {"email": minimal_create, "rich": rich}
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def edit(body: Any, path: str, value: Any) -> None:
    keys: list[Any] = [int(i) if i else k for k, i in _TOKEN.findall(path)]
    target = body
    for key in keys[:-1]:
        target = target[key]
    if value is DELETE:
        del target[keys[-1]]
    elif isinstance(target, list) and keys[-1] == len(target):
        target.append(value)  # "versions[1]" on a one-version list adds a version
    else:
        target[keys[-1]] = value


def build(base: str, edits: dict[str, Any]) -> Any:
    body = BASES[base]()
    for path, value in edits.items():
        edit(body, path, value)
    return body


W = {"from": "08:00", "to": "09:00"}


def windows(*pairs: str) -> list[dict[str, str]]:
    return [{"from": a, "to": b} for a, b in (p.split("-") for p in pairs)]


def version(subject: str | None = "Subject", message: str = "<p>m</p>") -> dict[str, Any]:
    return {"subject": subject, "message": message}


V = f"{S}.body.versions[0]"
DAY = f"{S}.delivery_time.MONDAY"

# (id, base, edits, expected problem)
CREATE_REFUSALS: list[tuple[str, str, dict[str, Any], str]] = [
    # root
    ("unknown-root-key", "email", {"foo": 1}, "foo: unknown field"),
    ("id-in-request", "email", {"id": 5}, "id: unknown field"),
    ("status-in-request", "email", {"status": "DRAFT"}, "status: unknown field"),
    ("name-number", "email", {"name": 123}, "name: must be a string"),
    ("name-null", "email", {"name": None}, "name: must be a string"),
    (
        "ids-not-array",
        "email",
        {"email_account_ids": "112233"},
        "email_account_ids: must be an array of integers",
    ),
    (
        "ids-string-item",
        "email",
        {"email_account_ids": ["112233"]},
        "email_account_ids[0]: must be an integer",
    ),
    ("ids-bool-item", "email", {"email_account_ids": [True]}, "email_account_ids[0]: must be an integer"),
    ("ids-float-item", "email", {"email_account_ids": [1.5]}, "email_account_ids[0]: must be an integer"),
    (
        "ids-missing",
        "email",
        {"email_account_ids": DELETE},
        "email_account_ids: is required when the campaign",
    ),
    ("ids-empty", "email", {"email_account_ids": []}, "email_account_ids: must name at least one mailbox"),
    ("settings-missing", "email", {"settings": DELETE}, "settings: is required"),
    ("settings-null", "email", {"settings": None}, "settings: must be an object"),
    ("steps-missing", "email", {"steps": DELETE}, "steps: is required"),
    ("steps-string", "email", {"steps": "START"}, "steps: must be an object"),
    # settings
    ("tz-missing", "email", {"settings.timezone": DELETE}, "settings.timezone: is required"),
    (
        "tz-alias",
        "email",
        {"settings.timezone": "US/Eastern"},
        "settings.timezone: 'US/Eastern' is not an accepted",
    ),
    (
        "tz-case",
        "email",
        {"settings.timezone": "europe/warsaw"},
        "settings.timezone: 'europe/warsaw' is not an",
    ),
    (
        "tz-unknown",
        "email",
        {"settings.timezone": "Mars/Olympus"},
        "settings.timezone: 'Mars/Olympus' is not an",
    ),
    ("tz-number", "email", {"settings.timezone": 1}, "settings.timezone: must be a string"),
    ("enroll-missing", "email", {"settings.daily_enroll": DELETE}, "settings.daily_enroll: is required"),
    ("enroll-0", "email", {"settings.daily_enroll": 0}, "settings.daily_enroll: must be between 1 and 500"),
    (
        "enroll-501",
        "email",
        {"settings.daily_enroll": 501},
        "settings.daily_enroll: must be between 1 and 500",
    ),
    (
        "enroll-negative",
        "email",
        {"settings.daily_enroll": -1},
        "settings.daily_enroll: must be between 1 and 500",
    ),
    ("enroll-string", "email", {"settings.daily_enroll": "30"}, "settings.daily_enroll: must be an integer"),
    ("enroll-float", "email", {"settings.daily_enroll": 30.5}, "settings.daily_enroll: must be an integer"),
    ("enroll-bool", "email", {"settings.daily_enroll": True}, "settings.daily_enroll: must be an integer"),
    ("enroll-null", "email", {"settings.daily_enroll": None}, "settings.daily_enroll: must be an integer"),
    (
        "ptz-string",
        "email",
        {"settings.prospect_timezone": "yes"},
        "settings.prospect_timezone: must be true or false",
    ),
    (
        "ptz-null",
        "email",
        {"settings.prospect_timezone": None},
        "settings.prospect_timezone: must be true or false",
    ),
    (
        "gdpr-int",
        "email",
        {"settings.gdpr_unsubscribe": 1},
        "settings.gdpr_unsubscribe: must be true or false",
    ),
    (
        "list-unsub-null",
        "email",
        {"settings.list_unsubscribe": None},
        "settings.list_unsubscribe: must be true or",
    ),
    (
        "odl-unknown-provider",
        "email",
        {"settings.open_disabled_list": ["gmail.com"]},
        "settings.open_disabled_list[0]: must be one of google.com, outlook.com, OTHER_PROVIDER",
    ),
    (
        "odl-not-array",
        "email",
        {"settings.open_disabled_list": "google.com"},
        "settings.open_disabled_list: must be null or an array",
    ),
    (
        "auto-pause-string",
        "email",
        {"settings.auto_pause_prospect_from_domain": "true"},
        "settings.auto_pause_prospect_from_domain: must be true, false or null",
    ),
    (
        "catch-all-unknown",
        "email",
        {"settings.catch_all_verification_mode": "STRICT"},
        "settings.catch_all_verification_mode: must be one of NONE, BALANCED, MAXIMUM, ONLY_VERIFY",
    ),
    (
        "catch-all-lowercase",
        "email",
        {"settings.catch_all_verification_mode": "balanced"},
        "settings.catch_all_verification_mode: must be one of",
    ),
    (
        "catch-all-null",
        "email",
        {"settings.catch_all_verification_mode": None},
        "settings.catch_all_verification",
    ),
    (
        "settings-unknown-key",
        "email",
        {"settings.bounce_shield_enabled": True},
        "settings.bounce_shield_enabled: unknown field",
    ),
    # the chain
    ("root-not-start", "email", {"steps.type": "EMAIL"}, "steps.type: the root step must be START"),
    ("root-type-missing", "email", {"steps.type": DELETE}, "steps.type: is required"),
    (
        "start-followup-null",
        "email",
        {"steps.followup": None},
        "steps.followup: the START step needs a followup",
    ),
    ("start-followup-missing", "email", {"steps.followup": DELETE}, "steps.followup: is required"),
    ("start-unknown-key", "email", {"steps.delivery_time": {}}, "steps.delivery_time: unknown field"),
    (
        "start-elsewhere",
        "email",
        {f"{S}.followup": {"type": "START", "followup": None}},
        f"{S}.followup.type: START is allowed only as the root step",
    ),
    ("step-type-unknown", "email", {f"{S}.type": "SMS"}, f"{S}.type: must be one of EMAIL, LINKEDIN"),
    ("step-type-missing", "email", {f"{S}.type": DELETE}, f"{S}.type: is required"),
    (
        "followup-string",
        "email",
        {f"{S}.followup": "next"},
        f"{S}.followup: must be an object (a step) or null",
    ),
    # EMAIL step
    ("email-no-delivery", "email", {f"{S}.delivery_time": DELETE}, f"{S}.delivery_time: is required"),
    ("email-no-body", "email", {f"{S}.body": DELETE}, f"{S}.body: is required"),
    ("email-step-id", "email", {f"{S}.id": "x"}, f"{S}.id: unknown field"),
    ("email-step-unknown", "email", {f"{S}.subject": "x"}, f"{S}.subject: unknown field"),
    (
        "dt-empty",
        "email",
        {f"{S}.delivery_time": {}},
        f"{S}.delivery_time: at least one delivery window is required",
    ),
    ("dt-empty-day", "email", {DAY: []}, f"{S}.delivery_time: at least one delivery window is required"),
    ("dt-not-object", "email", {f"{S}.delivery_time": "always"}, f"{S}.delivery_time: must be an object"),
    (
        "dt-lowercase-day",
        "email",
        {f"{S}.delivery_time.monday": [W]},
        f"{S}.delivery_time.monday: unknown field",
    ),
    (
        "dt-unknown-day",
        "email",
        {f"{S}.delivery_time.HOLIDAY": [W]},
        f"{S}.delivery_time.HOLIDAY: unknown field",
    ),
    ("dt-day-not-array", "email", {DAY: W}, f'{DAY}: must be an array of {{"from", "to"}} windows'),
    (
        "dt-4-windows",
        "email",
        {DAY: windows("01:00-02:00", "03:00-04:00", "05:00-06:00", "07:00-08:00")},
        f"{DAY}: at most 3 windows per day, not 4",
    ),
    ("window-no-to", "email", {f"{DAY}[0].to": DELETE}, f"{DAY}[0].to: is required"),
    ("window-no-from", "email", {f"{DAY}[0].from": DELETE}, f"{DAY}[0].from: is required"),
    ("window-unknown-key", "email", {f"{DAY}[0].until": "09:00"}, f"{DAY}[0].until: unknown field"),
    ("window-not-object", "email", {DAY: ["08:00-09:00"]}, f"{DAY}[0]: must be an object"),
    (
        "from-one-digit-hour",
        "email",
        {f"{DAY}[0].from": "8:00"},
        f'{DAY}[0].from: must be a time "HH:mm" (24-hour)',
    ),
    ("from-seconds", "email", {f"{DAY}[0].from": "08:00:00"}, f"{DAY}[0].from: must be a time"),
    ("from-hour-25", "email", {f"{DAY}[0].from": "25:00"}, f"{DAY}[0].from: must be a time"),
    ("from-minute-60", "email", {f"{DAY}[0].from": "12:60"}, f"{DAY}[0].from: must be a time"),
    ("from-24", "email", {f"{DAY}[0].from": "24:00"}, f"{DAY}[0].from: must be a time"),
    ("from-number", "email", {f"{DAY}[0].from": 800}, f"{DAY}[0].from: must be a time"),
    ("to-12h", "email", {f"{DAY}[0].to": "5pm"}, f"{DAY}[0].to: must be a time"),
    (
        "to-24-not-whole-day",
        "email",
        {f"{DAY}[0].to": "24:00"},
        f'{DAY}[0].to: "24:00" is allowed only in the',
    ),
    (
        "from-after-to",
        "email",
        {DAY: windows("18:00-08:00")},
        f'{DAY}[0]: "from" (18:00) must be earlier than "to"',
    ),
    ("from-equals-to", "email", {DAY: windows("08:00-08:00")}, f'{DAY}[0]: "from" (08:00) must be earlier'),
    ("overlap", "email", {DAY: windows("08:00-12:00", "11:00-13:00")}, f"{DAY}: windows [0] and [1] overlap"),
    (
        "overlap-unsorted",
        "email",
        {DAY: windows("14:00-16:00", "08:00-12:00", "11:00-13:00")},
        f"{DAY}: windows [1] and [2] overlap",
    ),
    (
        "overlap-whole-day",
        "email",
        {DAY: windows("08:00-09:00", "00:00-00:00")},
        f"{DAY}: windows [1] and [0] overlap",
    ),
    ("body-unknown-key", "email", {f"{S}.body.html": "x"}, f"{S}.body.html: unknown field"),
    ("versions-missing", "email", {f"{S}.body.versions": DELETE}, f"{S}.body.versions: is required"),
    (
        "versions-empty",
        "email",
        {f"{S}.body.versions": []},
        f"{S}.body.versions: must hold 1 to 5 versions (A-E), not 0",
    ),
    (
        "versions-6",
        "email",
        {f"{S}.body.versions": [version()] * 6},
        f"{S}.body.versions: must hold 1 to 5 versions",
    ),
    (
        "versions-object",
        "email",
        {f"{S}.body.versions": {}},
        f"{S}.body.versions: must be an array of versions",
    ),
    ("version-string", "email", {f"{S}.body.versions": ["hello"]}, f"{V}: must be an object"),
    ("first-subject-missing", "email", {f"{V}.subject": DELETE}, f"{V}.subject: is required"),
    (
        "first-subject-null",
        "email",
        {f"{V}.subject": None},
        f"{V}.subject: is required in every version of the",
    ),
    ("first-subject-empty", "email", {f"{V}.subject": ""}, f"{V}.subject: is required in every version"),
    ("first-subject-blank", "email", {f"{V}.subject": "   "}, f"{V}.subject: is required in every version"),
    (
        "first-subject-missing-in-b",
        "email",
        {f"{S}.body.versions[1]": {"message": "<p>B</p>"}},
        f"{S}.body.versions[1].subject: is required",
    ),
    ("message-missing", "email", {f"{V}.message": DELETE}, f"{V}.message: is required"),
    ("message-empty", "email", {f"{V}.message": ""}, f"{V}.message: must be a non-empty string"),
    ("message-null", "email", {f"{V}.message": None}, f"{V}.message: must be a non-empty string"),
    ("message-number", "email", {f"{V}.message": 5}, f"{V}.message: must be a non-empty string"),
    (
        "signature-unknown",
        "email",
        {f"{V}.signature": "COMPANY"},
        f"{V}.signature: must be one of SENDER, NO_SIGNATURE",
    ),
    ("track-opens-string", "email", {f"{V}.track_opens": "yes"}, f"{V}.track_opens: must be true or false"),
    ("track-opens-null", "email", {f"{V}.track_opens": None}, f"{V}.track_opens: must be true or false"),
    ("version-letter-given", "email", {f"{V}.version": "A"}, f"{V}.version: unknown field"),
    ("version-id-given", "email", {f"{V}.id": "x"}, f"{V}.id: unknown field"),
    (
        "snippet-no-underscore",
        "email",
        {f"{V}.subject": "Hi {{SNIPPET1}}"},
        f"{V}.subject: incorrect snippet at character 3",
    ),
    (
        "snippet-unclosed",
        "email",
        {f"{V}.message": "Hi {{FIRST_NAME"},
        f"{V}.message: incorrect snippet at character 3",
    ),
    (
        "snippet-stray-close",
        "email",
        {f"{V}.message": "a }} b"},
        f"{V}.message: incorrect snippet at character 2",
    ),
    (
        "snippet-unquoted",
        "email",
        {f"{V}.message": "{{FIRST_NAME | there}}"},
        f"{V}.message: incorrect snippet",
    ),
    (
        "snippet-unknown-field",
        "email",
        {f"{V}.message": "{{FOO}}"},
        f"{V}.message: incorrect snippet at character 0: unknown",
    ),
    ("snippet-16", "email", {f"{V}.message": "{{SNIPPET_16}}"}, f"{V}.message: incorrect snippet"),
    ("snippet-spintax-1", "email", {f"{V}.message": '{{SPINTAX | "a"}}'}, f"{V}.message: incorrect snippet"),
    (
        "snippet-nested",
        "email",
        {f"{V}.message": '{{FIRST_NAME | "{{X}}"}}'},
        f"{V}.message: incorrect snippet",
    ),
    (
        "later-subject-number",
        "rich",
        {f"{EM2}.body.versions[0].subject": 5},
        f"{EM2}.body.versions[0].subject: must be a",
    ),
    (
        "range-unknown",
        "email",
        {f"{S}.followup_after": {"range": "WEEK"}},
        f"{S}.followup_after.range: must be one of DAY",
    ),
    (
        "delay-0",
        "email",
        {f"{S}.followup_after": {"value": 0}},
        f"{S}.followup_after.value: must be between 1 and 9999",
    ),
    (
        "delay-10000",
        "email",
        {f"{S}.followup_after": {"value": 10000}},
        f"{S}.followup_after.value: must be between 1",
    ),
    (
        "delay-string",
        "email",
        {f"{S}.followup_after": {"value": "1"}},
        f"{S}.followup_after.value: must be an integer",
    ),
    (
        "delay-float",
        "email",
        {f"{S}.followup_after": {"value": 1.5}},
        f"{S}.followup_after.value: must be an integer",
    ),
    ("delay-null", "email", {f"{S}.followup_after": None}, f"{S}.followup_after: must be an object"),
    (
        "delay-unknown-key",
        "email",
        {f"{S}.followup_after": {"unit": "DAY"}},
        f"{S}.followup_after.unit: unknown field",
    ),
    # LINKEDIN steps
    ("li-no-body", "rich", {f"{CR}.body": DELETE}, f"{CR}.body: is required"),
    ("li-unknown-key", "rich", {f"{CR}.delivery_time": {}}, f"{CR}.delivery_time: unknown field"),
    (
        "li-account-missing",
        "rich",
        {f"{CR}.body.linkedin_account_id": DELETE},
        f"{CR}.body.linkedin_account_id: is required",
    ),
    (
        "li-account-string",
        "rich",
        {f"{CR}.body.linkedin_account_id": "200002"},
        f"{CR}.body.linkedin_account_id: must be",
    ),
    ("li-action-missing", "rich", {f"{CR}.body.action_type": DELETE}, f"{CR}.body.action_type: is required"),
    (
        "li-action-unknown",
        "rich",
        {f"{CR}.body.action_type": "LIKE_POST"},
        f"{CR}.body.action_type: must be one of VISIT_PROFILE, CONNECTION_REQUEST, DIRECT_MESSAGE",
    ),
    (
        "li-delay-0",
        "rich",
        {f"{CR}.followup_after": {"value": 0}},
        f"{CR}.followup_after.value: must be between",
    ),
    ("cr-versions-missing", "rich", {f"{CR}.body.versions": DELETE}, f"{CR}.body.versions: is required"),
    (
        "cr-versions-null",
        "rich",
        {f"{CR}.body.versions": None},
        f"{CR}.body.versions: must be an array of versions",
    ),
    (
        "cr-versions-empty",
        "rich",
        {f"{CR}.body.versions": []},
        f"{CR}.body.versions: must hold 1 to 5 versions",
    ),
    (
        "cr-versions-6",
        "rich",
        {f"{CR}.body.versions": [{"message": None}] * 6},
        f"{CR}.body.versions: must hold 1 to 5",
    ),
    (
        "cr-note-301",
        "rich",
        {f"{CR}.body.versions[0].message": "x" * 301},
        f"{CR}.body.versions[0].message: must be at most 300 characters, not 301",
    ),
    (
        "cr-note-number",
        "rich",
        {f"{CR}.body.versions[0].message": 5},
        f"{CR}.body.versions[0].message: must be a string",
    ),
    (
        "cr-version-unknown-key",
        "rich",
        {f"{CR}.body.versions[0].note": "hi"},
        f"{CR}.body.versions[0].note: unknown",
    ),
    (
        "cr-version-string",
        "rich",
        {f"{CR}.body.versions[0]": "hi"},
        f"{CR}.body.versions[0]: must be an object",
    ),
    (
        "cr-bad-snippet",
        "rich",
        {f"{CR}.body.versions[1].message": "{{SNIPPET1}}"},
        f"{CR}.body.versions[1].message: inc",
    ),
    ("dm-versions-missing", "rich", {f"{DM}.body.versions": DELETE}, f"{DM}.body.versions: is required"),
    (
        "dm-message-missing",
        "rich",
        {f"{DM}.body.versions[0].message": DELETE},
        f"{DM}.body.versions[0].message: is req",
    ),
    (
        "dm-message-empty",
        "rich",
        {f"{DM}.body.versions[0].message": ""},
        f"{DM}.body.versions[0].message: must be a no",
    ),
    (
        "dm-message-null",
        "rich",
        {f"{DM}.body.versions[0].message": None},
        f"{DM}.body.versions[0].message: must be a",
    ),
    (
        "dm-message-6001",
        "rich",
        {f"{DM}.body.versions[0].message": "x" * 6001},
        f"{DM}.body.versions[0].message: must be at most 6000 characters, not 6001",
    ),
    (
        "dm-bad-snippet",
        "rich",
        {f"{DM}.body.versions[0].message": "{{ FIRST_NAME"},
        f"{DM}.body.versions[0].message: inc",
    ),
    (
        "vp-two-versions",
        "rich",
        {f"{VP}.body.versions": [{"message": None}, {"message": None}]},
        f"{VP}.body.versions: VISIT_PROFILE takes at most one version",
    ),
    (
        "vp-message",
        "rich",
        {f"{VP}.body.versions": [{"message": "hi"}]},
        f'{VP}.body.versions[0].message: must be null or ""',
    ),
    (
        "vp-versions-string",
        "rich",
        {f"{VP}.body.versions": "x"},
        f"{VP}.body.versions: must be null (recommended) or",
    ),
    (
        "vp-version-unknown-key",
        "rich",
        {f"{VP}.body.versions": [{"subject": ""}]},
        f"{VP}.body.versions[0].subject: unk",
    ),
]


@pytest.mark.parametrize(
    ("base", "edits", "problem"), [c[1:] for c in CREATE_REFUSALS], ids=[c[0] for c in CREATE_REFUSALS]
)
def test_create_refuses(api: httpx.Client, base: str, edits: dict[str, Any], problem: str) -> None:
    response = api.post("/v2/campaigns", json=build(base, edits))
    assert response.status_code == 400, response.text
    answer = response.json()
    assert (answer["code"], answer["message"]) == (
        "INPUT_DATA_VALIDATION_FAILURE",
        "Input data validation failure",
    )
    problems = answer["details"].split("; ")
    assert any(p.startswith(problem) for p in problems), problems


def test_refusals_create_nothing(api: httpx.Client) -> None:
    for _, base, edits, _ in CREATE_REFUSALS[:10]:
        api.post("/v2/campaigns", json=build(base, edits))
    assert listed(api) == []


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("raw", [b"[]", b'"campaign"', b"null", b"5"])
def test_create_refuses_a_body_that_is_not_an_object(api: httpx.Client, raw: bytes) -> None:
    response = api.post("/v2/campaigns", content=raw, headers=JSON)
    assert response.json()["details"] == "the request body must be a JSON object"


@pytest.mark.parametrize("raw", [b"", b"{", b'{"a": NaN}', b'{"a": Infinity}', b"\xff\xfe", b"[" * 100_000])
def test_create_refuses_what_is_not_json(api: httpx.Client, raw: bytes) -> None:
    response = api.post("/v2/campaigns", content=raw, headers=JSON)
    assert response.status_code == 400
    assert response.json()["details"].startswith("malformed JSON")


def test_create_refuses_17_steps_but_takes_16(api: httpx.Client) -> None:
    def campaign(steps: int) -> dict[str, Any]:
        body = minimal_create()
        node = body["steps"]["followup"]
        for _ in range(steps - 1):
            node["followup"] = dict(node, followup=None)
            node = node["followup"]
        return body

    assert len(chain(create(api, campaign(16)))) == 17
    response = api.post("/v2/campaigns", json=campaign(17))
    assert response.status_code == 400
    assert "steps: a campaign has at most 16 EMAIL or LINKEDIN steps" in response.json()["details"]


def test_create_survives_a_deeply_nested_chain(api: httpx.Client) -> None:
    node: dict[str, Any] = {"type": "LINKEDIN", "followup": None}
    for _ in range(500):
        node = {"type": "LINKEDIN", "followup": node}
    body = minimal_create()
    body["steps"]["followup"] = node
    assert api.post("/v2/campaigns", json=body).status_code == 400


CREATE_ACCEPTS: list[tuple[str, str, dict[str, Any]]] = [
    ("rich", "rich", {}),
    ("whole-day-00-00", "email", {DAY: windows("00:00-00:00")}),
    ("whole-day-00-24", "email", {DAY: windows("00:00-24:00")}),
    ("touching-windows", "email", {DAY: windows("08:00-12:00", "12:00-14:00")}),
    ("three-windows", "email", {DAY: windows("06:00-08:00", "13:00-15:00", "20:00-23:59")}),
    ("every-day", "email", {f"{S}.delivery_time": {d: [W] for d in ("MONDAY", "SATURDAY", "SUNDAY")}}),
    ("empty-day-beside-another", "email", {f"{S}.delivery_time.TUESDAY": []}),
    ("five-versions", "email", {f"{S}.body.versions": [version(f"S{i}") for i in range(5)]}),
    ("odl-null", "email", {"settings.open_disabled_list": None}),
    ("odl-all", "email", {"settings.open_disabled_list": ["google.com", "outlook.com", "OTHER_PROVIDER"]}),
    ("auto-pause-null", "email", {"settings.auto_pause_prospect_from_domain": None}),
    ("catch-all-none", "email", {"settings.catch_all_verification_mode": "NONE"}),
    ("catch-all-only-verify", "email", {"settings.catch_all_verification_mode": "ONLY_VERIFY"}),
    ("enroll-1", "email", {"settings.daily_enroll": 1}),
    ("enroll-500", "email", {"settings.daily_enroll": 500}),
    ("utc", "email", {"settings.timezone": "UTC"}),
    ("empty-name", "email", {"name": ""}),
    ("followup-after-empty", "email", {f"{S}.followup_after": {}}),
    ("delay-9999-minutes", "email", {f"{S}.followup_after": {"range": "MINUTE", "value": 9999}}),
    (
        "snippets-all-kinds",
        "email",
        {f"{V}.message": '{{SPINTAX | "a" | "b"}} {{UNSUBSCRIBE}} {{CLICK=https://x.y}} {{SNIPPET_15}}'},
    ),
    ("single-braces", "email", {f"{V}.message": "<style>p { color: red }</style>"}),
    ("later-subject-null", "rich", {f"{EM2}.body.versions[0].subject": None}),
    ("later-subject-empty", "rich", {f"{EM2}.body.versions[0].subject": ""}),
    ("later-subject-missing", "rich", {f"{EM2}.body.versions[0].subject": DELETE}),
    ("later-subject-new-thread", "rich", {f"{EM2}.body.versions[0].subject": "New thread"}),
    ("vp-versions-absent", "rich", {f"{VP}.body.versions": DELETE}),
    ("vp-versions-empty", "rich", {f"{VP}.body.versions": []}),
    ("vp-message-null", "rich", {f"{VP}.body.versions": [{"message": None}]}),
    ("vp-message-empty", "rich", {f"{VP}.body.versions": [{"message": ""}]}),
    ("vp-version-without-message", "rich", {f"{VP}.body.versions": [{}]}),
    ("cr-note-300", "rich", {f"{CR}.body.versions[0].message": "x" * 300}),
    ("cr-version-without-message", "rich", {f"{CR}.body.versions[0]": {}}),
    ("cr-five-versions", "rich", {f"{CR}.body.versions": [{"message": ""}] * 5}),
    ("dm-6000", "rich", {f"{DM}.body.versions[0].message": "x" * 6000}),
    ("linkedin-only-without-ids", "rich", {"email_account_ids": DELETE, EM: None}),
]


@pytest.mark.parametrize(
    ("base", "edits"), [c[1:] for c in CREATE_ACCEPTS], ids=[c[0] for c in CREATE_ACCEPTS]
)
def test_create_accepts(api: httpx.Client, base: str, edits: dict[str, Any]) -> None:
    response = api.post("/v2/campaigns", json=build(base, edits))
    assert response.status_code == 201, response.text


def test_whole_day_window_is_returned_as_given(api: httpx.Client) -> None:
    created = create(api, build("email", {DAY: windows("00:00-24:00")}))
    assert chain(created)[1]["delivery_time"] == {"MONDAY": [{"from": "00:00", "to": "24:00"}]}


def test_nulls_that_are_allowed_come_back_as_defaults(api: httpx.Client) -> None:
    body = build(
        "email", {"settings.open_disabled_list": None, "settings.auto_pause_prospect_from_domain": None}
    )
    settings = create(api, body)["settings"]
    assert (settings["open_disabled_list"], settings["auto_pause_prospect_from_domain"]) == ([], False)


# --- add step -----------------------------------------------------------------------------------------

AV = "step.body.versions[0]"

ADD_STEP_REFUSALS: list[tuple[str, dict[str, Any], str, str]] = [
    ("parent-missing", {"parent_id": DELETE}, "parent_id", "is required"),
    (
        "parent-number",
        {"parent_id": 5},
        "parent_id",
        "must be a non-empty string: the id of the campaign's last step",
    ),
    (
        "parent-empty",
        {"parent_id": ""},
        "parent_id",
        "must be a non-empty string: the id of the campaign's last step",
    ),
    ("step-missing", {"step": DELETE}, "step", "is required"),
    ("step-null", {"step": None}, "step", "must be an object"),
    ("root-unknown-key", {"position": 2}, "position", "unknown field"),
    # A LINKEDIN step is checked as one (the newer add-step page): an EMAIL body under it is refused.
    ("type-linkedin", {"step.type": "LINKEDIN"}, "step.delivery_time", "unknown field"),
    ("type-start", {"step.type": "START"}, "step.type", "must be EMAIL or LINKEDIN"),
    ("type-missing", {"step.type": DELETE}, "step.type", "is required"),
    ("track-opens-missing", {f"{AV}.track_opens": DELETE}, f"{AV}.track_opens", "is required"),
    ("track-opens-null", {f"{AV}.track_opens": None}, f"{AV}.track_opens", "must be true or false"),
    (
        "three-windows",
        {"step.delivery_time.TUESDAY": windows("06:00-08:00", "13:00-15:00", "20:00-22:00")},
        "step.delivery_time.TUESDAY",
        "at most 2 windows per day, not 3",
    ),
    ("followup-key", {"step.followup": None}, "step.followup", "unknown field"),
    (
        "delay-0",
        {"step.followup_after": {"value": 0}},
        "step.followup_after.value",
        "must be between 1 and 9999",
    ),
    (
        "versions-6",
        {"step.body.versions": [version(None) | {"track_opens": False}] * 6},
        "step.body.versions",
        "must hold 1 to 5 versions (A-E), not 6",
    ),
    (
        "bad-snippet",
        {f"{AV}.message": "{{SNIPPET1}}"},
        f"{AV}.message",
        "incorrect snippet at character 0: {{SNIPPET1}}: custom snippets need an underscore: SNIPPET_1",
    ),
    ("subject-number", {f"{AV}.subject": 5}, f"{AV}.subject", "must be a string or null"),
    ("message-empty", {f"{AV}.message": ""}, f"{AV}.message", "must be a non-empty string"),
    ("no-delivery", {"step.delivery_time": DELETE}, "step.delivery_time", "is required"),
    (
        "no-windows",
        {"step.delivery_time": {}},
        "step.delivery_time",
        "at least one delivery window is required",
    ),
    (
        "overlap",
        {"step.delivery_time.TUESDAY": windows("08:00-10:00", "09:00-11:00")},
        "step.delivery_time.TUESDAY",
        "windows [0] and [1] overlap",
    ),
]


@pytest.fixture
def campaign(api: httpx.Client) -> dict[str, Any]:
    return create(api)


def add_step_body(campaign: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    body = {"parent_id": chain(campaign)[-1]["id"], "step": email_step()}
    for path, value in edits.items():
        edit(body, path, value)
    return body


@pytest.mark.parametrize(
    ("edits", "field", "detail"), [c[1:] for c in ADD_STEP_REFUSALS], ids=[c[0] for c in ADD_STEP_REFUSALS]
)
def test_add_step_refuses(
    api: httpx.Client, campaign: dict[str, Any], edits: dict[str, Any], field: str, detail: str
) -> None:
    response = api.post(f"/v2/campaigns/{campaign['id']}/steps", json=add_step_body(campaign, edits))
    assert response.status_code == 400, response.text
    answer = response.json()
    assert (answer["code"], answer["message"]) == (
        "INPUT_DATA_VALIDATION_FAILURE",
        "Input data validation failure",
    )
    assert {"field": field, "detail": detail} in answer["details"]["errors"]
    assert len(chain(api.get(f"/v2/campaigns/{campaign['id']}").json())) == 2


@pytest.mark.parametrize("raw", [b"[]", b'"step"', b"null"])
def test_add_step_refuses_a_body_that_is_not_an_object(
    api: httpx.Client, campaign: dict[str, Any], raw: bytes
) -> None:
    response = api.post(f"/v2/campaigns/{campaign['id']}/steps", content=raw, headers=JSON)
    assert response.json()["details"] == {
        "errors": [{"field": "body", "detail": "the request body must be a JSON object"}]
    }


ADD_STEP_ACCEPTS: list[tuple[str, dict[str, Any]]] = [
    ("subject-null", {}),
    ("subject-missing", {f"{AV}.subject": DELETE}),
    ("subject-new-thread", {f"{AV}.subject": "A new thread"}),
    ("two-windows", {"step.delivery_time.TUESDAY": windows("06:00-08:00", "13:00-15:00")}),
    ("signature", {f"{AV}.signature": "SENDER"}),
]


@pytest.mark.parametrize("edits", [c[1] for c in ADD_STEP_ACCEPTS], ids=[c[0] for c in ADD_STEP_ACCEPTS])
def test_add_step_accepts(api: httpx.Client, campaign: dict[str, Any], edits: dict[str, Any]) -> None:
    response = api.post(f"/v2/campaigns/{campaign['id']}/steps", json=add_step_body(campaign, edits))
    assert response.status_code == 201, response.text
    new = chain(response.json())[-1]
    assert new["followup_after"] == {"range": "DAY", "value": 1}
    assert new["body"]["versions"][0]["signature"] == edits.get(f"{AV}.signature", "NO_SIGNATURE")
