"""Property (#20): any campaign file `validate` accepts, the emulator accepts — its create body, and the
add-step body of each EMAIL step apply would append — over real HTTP. Read the other way: every rule
the emulator enforces on those bodies is caught by `validate` first, so no 400 reaches apply.

Documents are drawn from pools of values on both sides of each documented rule (empty and blank
copy, unknown and misspelt snippets, windows that touch or overlap, 24:00, too many windows, versions
and steps at and past their limits, delays of 0 and 10,000, LinkedIn notes at their lengths, aliases of
time zones), so `validate` both accepts and refuses. What the emulator checks against the account
(unknown mailboxes or LinkedIn accounts: 409s) is the plan's, not validate's, and uses the seeded ids.

Bounded in `make test` (``WPSYNC_PROPERTY_EXAMPLES``, default 60); run more locally, e.g.
``WPSYNC_PROPERTY_EXAMPLES=2000 .venv/bin/pytest tests/emulator/test_validate_vs_emulator.py``.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wpsync.emulator.server import EmulatorHandle
from wpsync.files.loading import validate_document
from wpsync.files.models import EmailStep
from wpsync.files.to_api import add_step_body, create_body
from wpsync.limits import MAX_WINDOWS_PER_DAY

EXAMPLES = int(os.environ.get("WPSYNC_PROPERTY_EXAMPLES", "60"))
ADD_STEP_WINDOWS = 2  # add-step takes at most 2 windows a day; the plan refuses more (too_many_windows)
JSON = dict[str, Any]


def mostly(valid: list[Any], invalid: list[Any], weight: int = 12) -> st.SearchStrategy[Any]:
    """One of ``valid`` most of the time, one of ``invalid`` now and then: a document holds a few dozen
    such values, and the property needs both accepted and refused documents."""
    return st.sampled_from(valid * weight + invalid)


TEXTS = mostly(
    [
        "Hi",
        '<p>Hello {{FIRST_NAME | "there"}}</p>',
        "{{FIRST_NAME}}",
        "{{SNIPPET_15}}",
        '{{SPINTAX | "Hi" | "Hello"}}',
        "{{UNSUBSCRIBE}}",
        "{{CLICK=https://example.com}}",
        "x" * 300,
        " padded ",
    ],
    ["", " ", "\n", "{{FIRSTNAME}}", "{{SNIPPET1}}", "{{ broken", "x" * 301, "ł" * 6001],
)
SUBJECTS = mostly(["Hi", 'Quick question, {{FIRST_NAME | "there"}}', "{{COMPANY}}"], ["", " ", "{{NAME}}"])
WINDOW = mostly(
    [
        {"from": "09:00", "to": "12:00"},
        {"from": "13:00", "to": "17:00"},
        {"from": "00:00", "to": "00:00"},
        {"from": "00:00", "to": "24:00"},
        {"from": "17:00", "to": "23:59"},
        {"from": "12:00", "to": "12:30"},
    ],
    [
        {"from": "12:00", "to": "09:00"},
        {"from": "9:00", "to": "10:00"},
        {"from": "10:00", "to": "24:00"},
        {"from": "11:00", "to": "13:00"},
        {"from": "09:00"},
    ],
    weight=16,
)
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[JSON]:
    """A table holding any subset of ``fields``."""
    return st.fixed_dictionaries({}, optional=fields)


def sometimes(
    often: st.SearchStrategy[Any], rarely: st.SearchStrategy[Any], weight: int = 12
) -> st.SearchStrategy[Any]:
    return mostly([True], [False], weight=weight).flatmap(lambda usual: often if usual else rarely)


DAY_WINDOWS = sometimes(st.lists(WINDOW, min_size=1, max_size=3), st.lists(WINDOW, min_size=4, max_size=4))
DELIVERY = st.dictionaries(st.sampled_from(DAYS), DAY_WINDOWS, min_size=1, max_size=3)
DELAY = _optional(
    {
        "range": mostly(["DAY", "HOUR", "MINUTE"], ["WEEK"]),
        "value": mostly([1, 3, 9999], [0, 10000]),
    }
)
OPTIONS = {"signature": mostly(["SENDER", "NO_SIGNATURE"], ["ME"]), "track_opens": st.booleans()}
EMAIL_VERSION = sometimes(
    st.fixed_dictionaries({"message": TEXTS, "subject": SUBJECTS}, optional=OPTIONS),
    st.fixed_dictionaries({"message": TEXTS}, optional=OPTIONS),
    weight=30,
)
EMAIL_STEP = st.fixed_dictionaries(
    {
        "type": st.just("EMAIL"),
        "delivery_time": st.one_of(DELIVERY, mostly(["workdays"], ["weekdays"], weight=3)),
        "versions": sometimes(
            st.lists(EMAIL_VERSION, min_size=1, max_size=3), st.sampled_from([[], [{"message": "a"}] * 6])
        ),
    },
    optional={"followup_after": DELAY},
)
LINKEDIN_VERSIONS = {
    "VISIT_PROFILE": sometimes(st.just(None), st.sampled_from([[], [{"message": ""}], [{"message": "hi"}]])),
    "CONNECTION_REQUEST": st.lists(_optional({"message": TEXTS}), min_size=1, max_size=2),
    "DIRECT_MESSAGE": sometimes(
        st.lists(st.fixed_dictionaries({"message": TEXTS}), min_size=1, max_size=2), st.just([])
    ),
    "POKE": st.just(None),
}


@st.composite
def linkedin_step(draw: st.DrawFn) -> JSON:
    action = draw(mostly(["VISIT_PROFILE", "CONNECTION_REQUEST", "DIRECT_MESSAGE"], ["POKE"]))
    step: JSON = {"type": "LINKEDIN", "action_type": action, "linkedin_account_id": 200002}
    versions = draw(LINKEDIN_VERSIONS[action])
    if versions is not None:
        step["versions"] = versions
    if draw(st.booleans()):
        step["followup_after"] = draw(DELAY)
    return step


SETTINGS = st.fixed_dictionaries(
    {
        "timezone": mostly(["Europe/Warsaw", "UTC", "America/New_York"], ["US/Eastern", "Mars/Base"]),
        "daily_enroll": mostly([1, 25, 500], [0, 501]),
    },
    optional={
        "prospect_timezone": st.booleans(),
        "gdpr_unsubscribe": st.booleans(),
        "list_unsubscribe": st.booleans(),
        "open_disabled_list": mostly([[], ["google.com"], ["google.com", "OTHER_PROVIDER"], "null"], [["x"]]),
        "auto_pause_prospect_from_domain": st.sampled_from([True, False, "null"]),
        "catch_all_verification_mode": mostly(["NONE", "BALANCED", "MAXIMUM", "ONLY_VERIFY"], ["SOME"]),
    },
)
DOCUMENTS = st.fixed_dictionaries(
    {
        "settings": SETTINGS,
        "email_account_ids": mostly([[112233], [100001, 100002]], [[]], weight=6),
        "steps": st.lists(st.one_of(EMAIL_STEP, EMAIL_STEP, linkedin_step()), min_size=1, max_size=4),
        "schedules": sometimes(st.fixed_dictionaries({"workdays": DELIVERY}), st.just({})),
    },
    optional={"name": mostly(["Q4 CTOs", "Ω", " "], [""])},
)


def _email(version: JSON, delivery: JSON | None = None) -> JSON:
    """One EMAIL step with ``version``: the known edges, run on every test run whatever is drawn."""
    return {
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 25},
        "email_account_ids": [112233],
        "schedules": {},
        "steps": [
            {
                "type": "EMAIL",
                "delivery_time": delivery or {"MONDAY": [{"from": "09:00", "to": "12:00"}]},
                "versions": [version],
            }
        ],
    }


EDGES = (
    _email({"subject": "Hi", "message": ""}),
    _email({"subject": "Hi", "message": " \n "}),
    _email({"subject": " ", "message": "Hello"}),
    _email({"subject": "Hi {{SNIPPET1}}", "message": "Hello"}),
    _email(
        {"subject": "Hi", "message": "Hello"},
        {
            "FRIDAY": [
                {"from": "00:00", "to": "08:00"},
                {"from": "09:00", "to": "12:00"},
                {"from": "13:00", "to": "24:00"},
            ]
        },
    ),
)


def _post(base: str, path: str, body: JSON) -> httpx.Response:
    return httpx.post(f"{base}{path}", json=body, headers={"x-api-key": "test-key"}, timeout=30)


def _last_step_id(payload: JSON) -> str:
    node = payload["steps"]
    while node.get("followup"):
        node = node["followup"]
    return str(node["id"])


def test_what_validate_accepts_the_emulator_accepts(_emulator_server: EmulatorHandle) -> None:
    base = _emulator_server.base_url
    seen = {"accepted": 0, "refused": 0, "appended": 0}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(DOCUMENTS)
    @example(EDGES[0])
    @example(EDGES[1])
    @example(EDGES[2])
    @example(EDGES[3])
    @example(EDGES[4])
    def check(document: JSON) -> None:
        campaign, findings = validate_document(document)
        if campaign is None or any(f.severity == "error" for f in findings):
            seen["refused"] += 1
            return
        seen["accepted"] += 1
        body = create_body(campaign)
        created = _post(base, "/v2/campaigns", body)
        assert created.status_code == 201, (document, body, created.text)
        parent = _last_step_id(created.json())
        campaign_id = created.json()["id"]
        for step in campaign.steps:
            if not isinstance(step, EmailStep):
                continue
            delivery = step.delivery_time
            table = campaign.schedules[delivery] if isinstance(delivery, str) else delivery
            if any(len(table.windows(day)) > ADD_STEP_WINDOWS for day in DAYS):
                continue  # the plan refuses that append (too_many_windows); no body is ever sent
            appended = _post(
                base, f"/v2/campaigns/{campaign_id}/steps", add_step_body(step, campaign.schedules, parent)
            )
            assert appended.status_code in (200, 201), (document, appended.text)
            parent = _last_step_id(appended.json())
            seen["appended"] += 1

    _emulator_server.reset()
    check()
    # Not vacuous: both sides of the rules were drawn, and bodies really went over HTTP.
    assert seen["accepted"] and seen["refused"], seen
    assert MAX_WINDOWS_PER_DAY == 3
