"""Every error body shape becomes an ApiError with the right fields and one line saying what to do."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.client.client_helpers import MakeClient, reply
from wpsync.errors import ApiError, FieldError
from wpsync.woodpecker.client import WoodpeckerApiError, WoodpeckerClient
from wpsync.woodpecker.errors import ADVICE, parse_error_body, summarize

UNAUTHORIZED = {
    "title": "Unauthorized",
    "status": 401,
    "detail": "Invalid api key",
    "timestamp": "2025-03-05",
}
NOT_FOUND = {"title": "Not Found", "status": 404, "detail": "Requested resource does not exist"}


def code_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def fail(client: WoodpeckerClient, call: str) -> WoodpeckerApiError:
    calls = {
        "create": lambda: client.create_campaign({"name": "Q3 founders"}),
        "add_step": lambda: client.add_step(123, {"parent_id": "p", "step": {}}),
        "get": lambda: client.get_campaign(123),
        "mailboxes": client.mailboxes,
    }
    with pytest.raises(WoodpeckerApiError) as caught:
        calls[call]()
    return caught.value


CASES = [
    # (call, status, body, code, message, details, exact summary)
    (
        "get",
        401,
        UNAUTHORIZED,
        None,
        "Unauthorized",
        "Invalid api key",
        "Woodpecker rejected the API key (401): Invalid api key — the key is wrong or revoked: check"
        " WOODPECKER_API_KEY",
    ),
    (
        "get",
        401,
        {"title": "Unauthorized", "status": 401, "detail": "No API addon"},
        None,
        "Unauthorized",
        "No API addon",
        "the key is valid but the account has no API add-on (401: No API addon) — enable the API add-on"
        " for this account in Woodpecker, or use another account's key",
    ),
    (
        "add_step",
        409,
        code_body(
            "NOT_EDITABLE_STATUS", "The campaign must be in DRAFT or EDITED status to be updated"
        ),
        "NOT_EDITABLE_STATUS",
        "The campaign must be in DRAFT or EDITED status to be updated",
        None,
        "campaign 123 is not in DRAFT or EDITED status (NOT_EDITABLE_STATUS); steps can only be added in"
        " DRAFT or EDITED — run 'wpsync plan --make-editable' or make it editable in Woodpecker",
    ),
    (
        "create",
        409,
        code_body("VALIDATION_FAILURE", "Validation failure", "Mailbox 112233 has connection issues"),
        "VALIDATION_FAILURE",
        "Validation failure",
        "Mailbox 112233 has connection issues",
        "Woodpecker refused campaign 'Q3 founders': 409 VALIDATION_FAILURE: Mailbox 112233 has connection"
        " issues — check the mailbox is connected in Woodpecker (GET /v2/mailboxes), and any LinkedIn"
        " account (GET /v2/linkedin_accounts)",
    ),
    (
        "add_step",
        404,
        code_body("CAMPAIGN_NOT_EXIST", "Campaign not found"),
        "CAMPAIGN_NOT_EXIST",
        "Campaign not found",
        None,
        "campaign 123 does not exist in Woodpecker (404 CAMPAIGN_NOT_EXIST) — check the campaign id, and"
        " that WOODPECKER_API_KEY belongs to the account that owns it",
    ),
    (
        "get",
        404,
        NOT_FOUND,
        None,
        "Not Found",
        "Requested resource does not exist",
        "campaign 123 was not found (404: Requested resource does not exist) — check the id, and"
        " WOODPECKER_API_URL if it is set",
    ),
    (
        "get",
        403,
        {"title": "Forbidden", "status": 403, "detail": "No API addon"},
        None,
        "Forbidden",
        "No API addon",
        "the key is valid but the account has no API add-on (403: No API addon) — enable the API add-on"
        " for this account in Woodpecker, or use another account's key",
    ),
    (
        "get",
        409,
        code_body("API_UNSUPPORTED_CAMPAIGN_FEATURES", "Unsupported", "IF condition"),
        "API_UNSUPPORTED_CAMPAIGN_FEATURES",
        "Unsupported",
        "IF condition",
        None,
    ),
    (
        "add_step",
        409,
        code_body("PARENT_BRANCH_NOT_LINKABLE", "Can not link new steps to this parent"),
        "PARENT_BRANCH_NOT_LINKABLE",
        "Can not link new steps to this parent",
        None,
        None,
    ),
    ("create", 400, code_body("INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure", "bad tz"),
     "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure", "bad tz", None),
]  # fmt: skip


@pytest.mark.parametrize(("call", "status", "body", "code", "message", "details", "summary"), CASES)
def test_documented_error_bodies(
    make_client: MakeClient,
    call: str,
    status: int,
    body: dict[str, Any],
    code: str | None,
    message: str,
    details: str | None,
    summary: str | None,
) -> None:
    client, script, _ = make_client(reply(status, body))
    error = fail(client, call)
    assert isinstance(error, ApiError)
    assert (error.status, error.code, error.info.message, error.info.details) == (
        status,
        code,
        message,
        details,
    )
    assert error.info.field_errors == []
    assert not error.maybe_committed  # 4xx: refused, nothing applied
    assert len(script.requests) == 1  # 4xx is never retried
    if summary is not None:
        assert str(error) == summary
    assert "\n" not in str(error) and " — " in str(error)


def test_add_step_field_errors(make_client: MakeClient) -> None:
    body = code_body(
        "INPUT_DATA_VALIDATION_FAILURE",
        "Input data validation failure",
        {
            "errors": [
                {"field": "step.delivery_time", "detail": "at least one day"},
                {"field": "x", "detail": "y"},
            ]
        },
    )
    client, _, _ = make_client(reply(400, body))
    error = fail(client, "add_step")
    assert error.info.details is None
    assert error.info.field_errors == [
        FieldError("step.delivery_time", "at least one day"),
        FieldError("x", "y"),
    ]
    assert str(error) == (
        "Woodpecker rejected the request for campaign 123: 400 INPUT_DATA_VALIDATION_FAILURE:"
        " Input data validation failure; step.delivery_time: at least one day; x: y — fix the campaign"
        " file (wpsync's own checks should have caught this: please report it)"
    )


@pytest.mark.parametrize(
    ("status", "content", "message"),
    [
        (403, b"No API addon", "No API addon"),
        (403, b"Upgrade your plan", "Upgrade your plan"),
        (502, b"<html><body><h1>502 Bad\nGateway</h1></body></html>", "502 Bad Gateway"),
        (503, b"", None),
        (418, b"[1, 2]", "[1, 2]"),
        (400, b'{"error": "weird"}', '{"error": "weird"}'),
    ],
)
def test_non_json_and_unknown_bodies(status: int, content: bytes, message: str | None) -> None:
    info = parse_error_body(status, content)
    assert (info.status, info.code, info.message, info.details) == (status, None, message, None)


def test_plain_text_403_summaries() -> None:
    def line(text: bytes) -> str:
        return summarize(parse_error_body(403, text), method="GET", path="/v2/mailboxes", subject="x")

    assert line(b"No API addon").startswith("the key is valid but the account has no API add-on (403")
    assert line(b"Upgrade your plan").startswith("the account's plan does not include API access")


def test_post_500_is_raised_once_and_may_be_committed(make_client: MakeClient) -> None:
    body = code_body("UNKNOWN", "Unknown error during create campaign call")
    client, script, _ = make_client(reply(500, body))
    error = fail(client, "create")
    assert len(script.requests) == 1
    assert error.maybe_committed
    assert str(error) == (
        "Woodpecker failed on campaign 'Q3 founders' (500 UNKNOWN: Unknown error during create campaign"
        " call) — the change may have been applied; wpsync will check before retrying"
    )


def test_long_server_text_is_bounded(make_client: MakeClient) -> None:
    client, _, _ = make_client(reply(409, code_body("VALIDATION_FAILURE", "v", "x" * 5000)))
    assert len(str(fail(client, "create"))) < 600


def test_every_advice_template_formats() -> None:
    for kind in ADVICE:
        status = 500 if "5xx" in kind else 403
        info = parse_error_body(status, json.dumps(code_body(kind.split(":")[0], "m", "d")).encode())
        method = kind.split(":")[1] if ":" in kind else "GET"
        assert " — " in summarize(info, method=method, path="/p", subject="s")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"code": st.text(max_size=20) | st.none(), "message": json_values, "details": json_values}
    ).map(lambda v: json.dumps(v).encode()),
)


@given(status=st.integers(300, 599), content=bodies)
def test_any_body_gives_one_line(status: int, content: bytes) -> None:
    info = parse_error_body(status, content)
    for method in ("GET", "POST"):
        line = summarize(info, method=method, path="/v2/campaigns", subject="campaign 1", attempts=2)
        assert "\n" not in line and "\r" not in line
        assert " — " in line


def test_transport_of_an_error_response_keeps_the_status(make_client: MakeClient) -> None:
    client, _, _ = make_client(httpx.Response(404, content=b"nope"))
    assert fail(client, "get").status == 404
