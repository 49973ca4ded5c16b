"""Property: a create-campaign body → campaign file → create-campaign body is the identity.

``bodies()`` generates valid request bodies in the API's own form (POST /v2/campaigns), covering
everything the file format can express: optional name and settings keys, nullable settings, EMAIL steps
with delivery windows (split, touching, unsorted, whole-day in both spellings), A/B versions with and
without subjects, signatures and tracking, ``followup_after`` with either key left out, and the three
LinkedIn actions with their null / empty / text messages. The round trip goes through the TOML text, so
it also holds the writer (tomli-w) and the reader (rtoml) to each other. ``responses()`` dresses a body
as the API returns it after creation (campaign, step and version ids, status, version letters, a final
``"followup": null``); those server parts must drop out.

Texts may contain "\r\n": tomli-w would fold it in a multi-line string, so dumps() escapes such text.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wpsync.files.from_api import document_from_payload, dumps
from wpsync.files.loading import parse_toml, validate_document
from wpsync.files.to_api import create_body
from wpsync.limits import DAYS, MAX_FOLLOWUP_VALUE

JSON = dict[str, Any]

ZONES = ("Europe/Warsaw", "UTC", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata")
PROVIDERS = ("google.com", "outlook.com", "OTHER_PROVIDER")
CATCH_ALL = ("NONE", "BALANCED", "MAXIMUM", "ONLY_VERIFY")
RANGES = ("DAY", "HOUR", "MINUTE")
IDS = st.integers(min_value=1, max_value=2**63 - 1)  # TOML integers are 64-bit
UUIDS = st.uuids().map(str)

# --- text ---------------------------------------------------------------------------------------------


def _plain_ok(text: str) -> bool:
    # Single braces are ordinary text; "{{" and "}}" are snippet syntax. A chunk that neither starts nor
    # ends with a brace cannot form "{{" / "}}" with its neighbours, whatever they are.
    return (
        "{{" not in text
        and "}}" not in text
        and not text.startswith(("{", "}"))
        and not text.endswith(("{", "}"))
    )


PLAIN = st.text(max_size=40).filter(_plain_ok)
_ARG = st.text(alphabet=st.characters(codec="utf-8", exclude_characters='"|{}'), max_size=12)
SNIPPETS = st.one_of(
    _ARG.map(lambda a: f'{{{{FIRST_NAME | "{a}"}}}}'),
    st.tuples(st.sampled_from(["COMPANY", "TITLE", "CITY", "SNIPPET_1", "SNIPPET_15"]), _ARG).map(
        lambda na: f'{{{{{na[0]} |"{na[1]}" }}}}'
    ),
    st.lists(_ARG, min_size=2, max_size=4).map(
        lambda vs: "{{SPINTAX | " + " | ".join(f'"{v}"' for v in vs) + "}}"
    ),
    st.just("{{UNSUBSCRIBE}}"),
    st.just("{{CLICK=https://example.com/?a=1&b=2}}"),
    st.just("{{LAST_NAME}}"),  # valid; only a warning (no fallback)
    st.just('{{SNIPPET_15 | "blue"}}'),  # a custom field, with a fallback
)


def texts(*, min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    """Arbitrary unicode with, sometimes, valid snippets in it."""
    parts = st.lists(st.one_of(PLAIN, PLAIN, SNIPPETS), max_size=5).map("".join)
    return st.one_of(parts, st.text(max_size=max_size).filter(_plain_ok)).filter(
        lambda t: min_size <= len(t) <= max_size
    )


# --- delivery windows ------------------------------------------------------------------------------------


def _clock(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


@st.composite
def day_windows(draw: st.DrawFn) -> list[dict[str, str]]:
    """1–3 non-overlapping windows ("to" may touch the next "from"), in any order; or one whole day."""
    if draw(st.integers(0, 5)) == 0:
        return [{"from": "00:00", "to": draw(st.sampled_from(["00:00", "24:00"]))}]
    count = draw(st.integers(1, 3))
    points = sorted(draw(st.lists(st.integers(0, 1439), min_size=2 * count, max_size=2 * count, unique=True)))
    windows = [[points[2 * i], points[2 * i + 1]] for i in range(count)]
    for i in range(1, count):
        if draw(st.booleans()):
            windows[i][0] = windows[i - 1][1]  # touching windows do not overlap
    spans = [{"from": _clock(a), "to": _clock(b)} for a, b in windows]
    return draw(st.permutations(spans))


DAY_WINDOWS = day_windows()


@st.composite
def delivery_times(draw: st.DrawFn) -> JSON:
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True))
    return {day: draw(DAY_WINDOWS) for day in days}


# --- steps -----------------------------------------------------------------------------------------------

FOLLOWUP_AFTER = st.fixed_dictionaries(
    {},
    optional={"range": st.sampled_from(RANGES), "value": st.integers(1, MAX_FOLLOWUP_VALUE)},
)


def with_followup_after(step: st.SearchStrategy[JSON]) -> st.SearchStrategy[JSON]:
    return st.tuples(step, st.none() | FOLLOWUP_AFTER).map(
        lambda pair: pair[0] if pair[1] is None else {**pair[0], "followup_after": pair[1]}
    )


def email_steps(*, first: bool) -> st.SearchStrategy[JSON]:
    # A blank message, or a blank subject on the first step, is refused by Woodpecker (and validate).
    subject = texts(min_size=1, max_size=120).filter(str.strip) if first else st.none() | texts(max_size=120)
    version = st.fixed_dictionaries(
        {"subject": subject, "message": texts().filter(str.strip)},
        optional={"signature": st.sampled_from(["SENDER", "NO_SIGNATURE"]), "track_opens": st.booleans()},
    )
    step = st.fixed_dictionaries(
        {
            "type": st.just("EMAIL"),
            "delivery_time": delivery_times(),
            "body": st.fixed_dictionaries({"versions": st.lists(version, min_size=1, max_size=5)}),
        }
    )
    return with_followup_after(step)


def _linkedin_body(action: str, versions: st.SearchStrategy[Any]) -> st.SearchStrategy[JSON]:
    return st.fixed_dictionaries(
        {"action_type": st.just(action), "linkedin_account_id": IDS, "versions": versions}
    )


def _messages(message: st.SearchStrategy[str | None]) -> st.SearchStrategy[list[JSON]]:
    return st.lists(st.fixed_dictionaries({"message": message}), min_size=1, max_size=5)


EMAIL_FIRST = email_steps(first=True)  # every version has a non-empty subject
EMAIL_LATER = email_steps(first=False)
LINKEDIN_BODIES = st.one_of(
    _linkedin_body("VISIT_PROFILE", st.sampled_from([None, [{"message": ""}], [{"message": None}]])),
    _linkedin_body(
        "CONNECTION_REQUEST",
        _messages(st.one_of(st.none(), st.just(""), texts(max_size=300), st.just("n" * 300))),
    ),
    _linkedin_body("DIRECT_MESSAGE", _messages(st.one_of(texts(min_size=1), st.just("d" * 6000)))),
)
LINKEDIN_STEPS = with_followup_after(
    st.fixed_dictionaries({"type": st.just("LINKEDIN"), "body": LINKEDIN_BODIES})
)


@st.composite
def step_lists(draw: st.DrawFn) -> list[JSON]:
    kinds = draw(st.lists(st.sampled_from(["EMAIL", "LINKEDIN"]), min_size=1, max_size=16))
    first_email = kinds.index("EMAIL") if "EMAIL" in kinds else None
    return [
        draw(LINKEDIN_STEPS if kind == "LINKEDIN" else EMAIL_FIRST if i == first_email else EMAIL_LATER)
        for i, kind in enumerate(kinds)
    ]


def nest(steps: list[JSON]) -> JSON:
    """START → followup → …; the last step has no "followup" key."""
    chain: JSON | None = None
    for step in reversed(steps):
        chain = dict(step) if chain is None else {**step, "followup": chain}
    return {"type": "START", "followup": chain}


# --- campaign bodies -------------------------------------------------------------------------------------

SETTINGS = st.fixed_dictionaries(
    {"timezone": st.sampled_from(ZONES), "daily_enroll": st.integers(1, 500)},
    optional={
        "prospect_timezone": st.booleans(),
        "gdpr_unsubscribe": st.booleans(),
        "list_unsubscribe": st.booleans(),
        "open_disabled_list": st.none() | st.lists(st.sampled_from(PROVIDERS), unique=True),
        "auto_pause_prospect_from_domain": st.none() | st.booleans(),
        "catch_all_verification_mode": st.sampled_from(CATCH_ALL),
    },
)


@st.composite
def bodies(draw: st.DrawFn) -> JSON:
    """A valid POST /v2/campaigns body."""
    steps = draw(step_lists())
    body: JSON = {}
    if draw(st.booleans()):
        body["name"] = draw(st.text(max_size=60))
    has_email = any(step["type"] == "EMAIL" for step in steps)
    accounts = st.lists(IDS, min_size=1, max_size=5)
    mailboxes = draw(accounts if has_email else st.none() | st.just([]) | accounts)
    if mailboxes is not None:
        body["email_account_ids"] = mailboxes
    body["settings"] = draw(SETTINGS)
    body["steps"] = nest(steps)
    return body


BODIES = bodies()


@st.composite
def responses(draw: st.DrawFn, body: JSON) -> JSON:
    """``body`` as the API returns it after creation: ids, status, version letters, a final null followup."""
    out: JSON = {**body, "id": draw(IDS), "status": "DRAFT"}
    node = out["steps"] = {**body["steps"], "id": draw(UUIDS)}
    while node.get("followup") is not None:
        child = node["followup"]
        child = node["followup"] = {**child, "id": draw(UUIDS), "body": dict(child["body"])}
        if child["body"].get("versions") is not None:
            child["body"]["versions"] = [
                {**version, "id": draw(IDS), "version": "ABCDE"[i]}
                for i, version in enumerate(child["body"]["versions"])
            ]
        node = child
    node["followup"] = None
    return out


# --- the round trip --------------------------------------------------------------------------------------


def round_trip(payload: JSON) -> JSON:
    """payload → file document → TOML text → parsed → validated → create body; no errors allowed."""
    text = dumps(document_from_payload(payload))
    document, syntax = parse_toml(text)
    assert document is not None, f"{syntax}\n{text}"
    campaign, findings = validate_document(document)
    errors = [f for f in findings if f.severity == "error"]
    assert campaign is not None and not errors, f"{errors}\n{text}"
    return create_body(campaign)


@settings(max_examples=200, deadline=None)
@given(body=BODIES)
def test_create_body_survives_the_file_round_trip(body: JSON) -> None:
    assert round_trip(body) == body


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_created_campaign_payload_round_trips_to_its_create_body(data: st.DataObject) -> None:
    body = data.draw(BODIES, label="body")
    response = data.draw(responses(body), label="response")
    assert round_trip(response) == body


def test_crlf_line_breaks_survive_the_round_trip() -> None:
    """The minimal failing example Hypothesis shrinks to once "\r\n" is allowed in texts."""
    body: JSON = {
        "email_account_ids": [1],
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 1},
        "steps": {
            "type": "START",
            "followup": {
                "type": "EMAIL",
                "delivery_time": {"MONDAY": [{"from": "00:00", "to": "00:00"}]},
                "body": {"versions": [{"subject": "s", "message": "a\r\n"}]},
            },
        },
    }
    assert round_trip(body) == body
