"""The state's values and their JSON forms: campaign records, applied content and journal intents —
round trips, records written before restore_status existed, and damaged data reported by name."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wpsync.errors import StateError
from wpsync.state.atomic import dumps
from wpsync.state.journal import (
    AppendIntent,
    CreateIntent,
    DeleteCampaignIntent,
    EditIntent,
    Intent,
    StatusIntent,
    intent_from_json,
    intent_to_json,
)
from wpsync.state.records import (
    Applied,
    CampaignRecord,
    StepRecord,
    applied_bytes,
    applied_from_json,
    record_bytes,
    record_from_json,
    record_to_json,
)

PATH = Path("state/camp.json")
RECORD = CampaignRecord(
    key="camp",
    lineage="lineage-1",
    serial=4,
    campaign_id=1001,
    status="RUNNING",
    head_hash="head",
    steps=(
        StepRecord("start", "START"),
        StepRecord("s1", "EMAIL", "hash-1", ("v1", "v2")),
        StepRecord("s2", "LINKEDIN", "hash-2", ()),
    ),
    source_digest="digest",
    tool_version="0.9.0",
    last_step_processed=3,
    refreshed_at="2026-01-01T00:00:00Z",
)


def through_json(record: CampaignRecord, lineage: str | None = "lineage-1") -> CampaignRecord:
    return record_from_json(PATH, json.loads(json.dumps(record_to_json(record))), lineage)


# --- records ----------------------------------------------------------------------------------------


def test_a_record_round_trips() -> None:
    assert through_json(RECORD) == RECORD


def test_restore_status_round_trips_and_is_written_only_while_set() -> None:
    restoring = replace(RECORD, status="EDITED", restore_status="RUNNING")
    assert record_to_json(restoring)["restore_status"] == "RUNNING"
    assert through_json(restoring) == restoring
    assert "restore_status" not in record_to_json(RECORD)


def test_a_record_written_before_restore_status_existed_reads_as_nothing_to_restore() -> None:
    data = record_to_json(RECORD)
    assert "restore_status" not in data
    assert record_from_json(PATH, data, "lineage-1").restore_status == ""


def test_bumped_increments_the_serial() -> None:
    bumped = RECORD.bumped(status="EDITED")
    assert (bumped.serial, bumped.status) == (5, "EDITED")
    assert RECORD.content_steps == RECORD.steps[1:] and RECORD.last_step_id == "s2"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"campaign_id": "1001"}, "field 'campaign_id' should be int, not str"),
        ({"serial": True}, "field 'serial' should be int, not bool"),
        ({"restore_status": 1}, "field 'restore_status' should be str, not int"),
        ({"status": None}, "field 'status' should be str, not NoneType"),
        ({"steps": "nope"}, "field 'steps' should be list, not str"),
        (
            {"steps": [{"id": "start", "type": "START", "hash": "", "version_ids": "x"}]},
            "field 'version_ids'",
        ),
    ],
)
def test_a_damaged_field_is_named(change: dict[str, Any], problem: str) -> None:
    data = record_to_json(RECORD) | change
    with pytest.raises(StateError) as raised:
        record_from_json(PATH, data, None)
    message = str(raised.value)
    assert message.startswith(f"{PATH}: ") and problem in message
    assert "restore the file from git, or `wpsync forget` the key" in message


def test_a_missing_field_is_named() -> None:
    data = record_to_json(RECORD)
    del data["head_hash"]
    with pytest.raises(StateError, match="missing field 'head_hash'"):
        record_from_json(PATH, data, None)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "expected a JSON object"),
        (record_to_json(RECORD) | {"format": 99}, "written by a newer wpsync (state format 99)"),
        (record_to_json(RECORD) | {"format": "1"}, "unknown state format '1'"),
        (record_to_json(RECORD) | {"steps": []}, "steps must start with the START step"),
        (record_to_json(RECORD) | {"key": "other"}, "records key 'other' but is named for another"),
    ],
)
def test_a_damaged_record_is_reported_by_name(data: Any, problem: str) -> None:
    with pytest.raises(StateError) as raised:
        record_from_json(PATH, data, None)
    assert str(PATH) in str(raised.value) and problem in str(raised.value)


def test_a_record_of_another_lineage_is_refused() -> None:
    with pytest.raises(StateError, match="belongs to another state"):
        through_json(RECORD, lineage="lineage-2")


def test_applied_content_round_trips_one_line_per_step() -> None:
    applied = Applied(
        head={"name": "Café", "settings": {"daily_enroll": 25}},
        steps=({"type": "EMAIL", "versions": [{"subject": "Zażółć"}]}, {"type": "LINKEDIN"}),
    )
    text = applied_bytes(applied).decode()
    assert "Zażółć" in text  # not escaped: readable diffs
    assert len([line for line in text.splitlines() if line.startswith("    {")]) == 2
    assert applied_from_json("state/camp.applied.json", json.loads(text)) == applied


@pytest.mark.parametrize(
    "data", [{}, {"head": {}}, {"head": [], "steps": []}, {"head": {}, "steps": [1]}, None]
)
def test_damaged_applied_content_is_reported_by_name(data: Any) -> None:
    with pytest.raises(StateError, match=r"state/camp\.applied\.json: not a wpsync applied-content file"):
        applied_from_json("state/camp.applied.json", data)


# --- journal ------------------------------------------------------------------------------------------

INTENTS: list[Intent] = [
    CreateIntent(
        "camp", "Name", {"name": "Name", "settings": {"daily_enroll": 5}}, ("h1", "h2"), {"n": 1}, "hh", "dg"
    ),
    AppendIntent("camp", 1001, "s1", "hash-2"),
    StatusIntent("camp", 1001, "make_editable", "EDITED"),
    EditIntent("camp", 1001, "version", "s1", "v1", "hash-3"),
    EditIntent(
        "camp", 1001, "campaign", target_hash="hh", sent={"name": "N"}, head={"name": "N", "settings": {}}
    ),
    EditIntent("camp", 1001, "delete_step", "s2"),
    DeleteCampaignIntent("camp", 1001),
]
WHERE = "state/camp.intent.json"


@pytest.mark.parametrize("intent", INTENTS, ids=lambda i: f"{i.action}")
def test_an_intent_round_trips(intent: Intent) -> None:
    data = json.loads(json.dumps(intent_to_json(intent)))
    assert data["action"] == intent.action
    assert intent_from_json(WHERE, data) == intent


def test_an_edit_intent_written_before_sent_and_head_existed_still_reads() -> None:
    data = {"action": "edit", "key": "camp", "campaign_id": 1001, "what": "campaign", "target_hash": "hh"}
    intent = intent_from_json(WHERE, data)
    assert isinstance(intent, EditIntent) and intent.sent == {} and intent.head == {}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"action": "create_campaign"}, "missing field 'key'"),
        ("bogus", "unknown intent 'str'"),
        ({"action": "bogus"}, "unknown intent 'bogus'"),
        ({}, "unknown intent None"),
        (
            {
                "action": "append_step",
                "key": "camp",
                "campaign_id": "1001",
                "parent_id": "s1",
                "step_hash": "h",
            },
            "field 'campaign_id' should be int",
        ),
        (
            {
                "action": "set_status",
                "key": "camp",
                "campaign_id": True,
                "call": "run",
                "target_status": "RUNNING",
            },
            "field 'campaign_id' should be int",
        ),
        (
            {"action": "edit", "key": "camp", "campaign_id": 1, "what": "campaign", "sent": "x"},
            "field 'sent' should be dict",
        ),
        (
            {
                "action": "create_campaign",
                "key": "k",
                "name": "n",
                "sent": {},
                "step_hashes": [1],
                "head": {},
                "head_hash": "h",
                "digest": "d",
            },
            "field 'step_hashes' should be a list of strings",
        ),
    ],
    ids=[
        "no_fields",
        "not_an_object",
        "unknown_action",
        "no_action",
        "string_id",
        "bool_id",
        "sent_not_dict",
        "hashes_not_strings",
    ],
)
def test_a_damaged_intent_names_the_file_and_the_problem(data: Any, problem: str) -> None:
    with pytest.raises(StateError) as raised:
        intent_from_json(WHERE, data)
    message = str(raised.value)
    assert message.startswith(f"{WHERE}: the journal entry is damaged ({problem}")
    assert f"`git checkout -- {WHERE}`" in message


def test_a_damaged_intent_of_a_known_kind_says_what_to_look_for() -> None:
    with pytest.raises(StateError) as raised:
        intent_from_json(WHERE, {"action": "append_step", "key": "camp"})
    assert "look in Woodpecker for the step right after the recorded parent" in str(raised.value)


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)  # quotes, backslashes, controls, non-ASCII
_STEPS = st.lists(
    st.builds(StepRecord, _TEXT, _TEXT, _TEXT, st.lists(_TEXT, max_size=3).map(tuple)), min_size=1, max_size=4
)


@settings(max_examples=300, deadline=None)
@given(
    steps=_STEPS,
    text=_TEXT,
    number=st.integers(min_value=0, max_value=2**63 - 1),
    restore=st.sampled_from(["", "RUNNING", "PAUSED"]),
)
def test_a_record_file_is_the_indented_dump_byte_for_byte(
    steps: list[StepRecord], text: str, number: int, restore: str
) -> None:
    """record_bytes lays a record out by hand (json's C string encoder, not its pure-Python indenter):
    it must be exactly what ``atomic.dumps`` writes, for any text and any number."""
    record = CampaignRecord(
        key=text, lineage=text, serial=number, campaign_id=number, status=text, head_hash=text,
        steps=tuple(steps), source_digest=text, tool_version=text, last_step_processed=number,
        refreshed_at=text, restore_status=restore,
    )  # fmt: skip
    assert record_bytes(record) == dumps(record_to_json(record))


def test_a_record_with_a_value_of_another_type_takes_the_general_path() -> None:
    odd = replace(RECORD, steps=(StepRecord("s0", "START", "", (7,)),))  # type: ignore[arg-type]
    assert record_bytes(odd) == dumps(record_to_json(odd))
    assert b'"version_ids": [\n        7\n      ]' in record_bytes(odd)
    bumped = replace(RECORD, serial=True)  # a bool is not an int here: json writes it as true
    assert record_bytes(bumped) == dumps(record_to_json(bumped))
