"""Answers wpsync must not trust: a create answer whose id is not a campaign id (or is another
record's), and answers of a shape wpsync cannot read. Each stops apply with a clear error and leaves
the intent, so that the next apply settles it by looking the campaign up — never a record of a wrong
id, never an internal error, never a file marked as matching what Woodpecker does not hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import Workspace
from tests.e2e.proxy import rewriting

JSON = dict[str, Any]
FRESH_NAME = "Fresh campaign"


@pytest.fixture
def live(ws: Workspace) -> Workspace:
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    ws.emulator.clear_requests()
    return ws


def record(ws: Workspace, key: str) -> JSON | None:
    path = ws.root / "state" / f"{key}.json"
    return json.loads(path.read_text()) if path.exists() else None


def add_fresh(ws: Workspace) -> None:
    text = ws.file("one-step-email").read_text()
    ws.file("fresh").write_text(text.replace('name = "One-step email campaign"', f'name = "{FRESH_NAME}"'))


def named(ws: Workspace, name: str) -> list[int]:
    import httpx

    answer = httpx.get(f"{ws.emulator.base_url}/v1/campaign_list", headers={"x-api-key": "test-key"})
    return [c["id"] for c in answer.json() if c.get("name") == name]


def on_create(change: Callable[[JSON], None]) -> Callable[[str, str, Any], Any]:
    def rewrite(method: str, path: str, answer: Any) -> Any:
        if method == "POST" and path == "/rest/v2/campaigns" and isinstance(answer, dict):
            change(answer)
            return answer
        return None

    return rewrite


def _set(field: str, value: Any) -> Callable[[JSON], None]:
    def change(answer: JSON) -> None:
        if value is KeyError:
            answer.pop(field, None)
        else:
            answer[field] = value

    return change


def _drop_step(answer: JSON) -> None:
    answer["steps"].pop("followup", None)


def _extra_step(answer: JSON) -> None:
    step = answer["steps"]["followup"]
    answer["steps"]["followup"] = {**step, "followup": {**step, "id": step["id"] + "x"}}


def _versions_text(answer: JSON) -> None:
    answer["steps"]["followup"]["body"]["versions"] = "A"


BAD_CREATE_ANSWERS = {
    "id true": _set("id", True),
    "id negative": _set("id", -5),
    "id 2**63": _set("id", 2**63),
    "id '12abc'": _set("id", "12abc"),
    "id missing": _set("id", KeyError),
    "id null": _set("id", None),
    "status a number": _set("status", 7),
    "a step dropped": _drop_step,
    "a step extra": _extra_step,
    "versions a string": _versions_text,
}


@pytest.mark.parametrize("change", BAD_CREATE_ANSWERS.values(), ids=BAD_CREATE_ANSWERS.keys())
def test_a_malformed_create_answer_is_settled_not_recorded(
    live: Workspace, monkeypatch: pytest.MonkeyPatch, change: Callable[[JSON], None]
) -> None:
    add_fresh(live)
    with rewriting(live.emulator.base_url, on_create(change)) as url:
        monkeypatch.setenv("WOODPECKER_API_URL", url)
        result = live.run("apply", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert "create campaign fresh failed" in result.stderr
    assert record(live, "fresh") is None  # nothing recorded from an answer wpsync cannot trust
    assert (live.root / "state" / "fresh.intent.json").exists()
    monkeypatch.setenv("WOODPECKER_API_URL", live.emulator.base_url)
    again = live.run("apply", "--auto-approve")
    assert again.exit_code == 0, again.output
    assert "settled an interrupted create_campaign of fresh: it did happen" in again.stdout
    [campaign_id] = named(live, FRESH_NAME)  # created once, never twice
    fresh = record(live, "fresh")
    assert fresh is not None and fresh["campaign_id"] == campaign_id
    assert live.run("plan", "--detailed-exitcode").exit_code == 0


def test_a_create_answer_with_another_records_id_is_not_recorded(
    live: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = record(live, "one-step-email")
    assert other is not None
    add_fresh(live)
    with rewriting(live.emulator.base_url, on_create(_set("id", other["campaign_id"]))) as url:
        monkeypatch.setenv("WOODPECKER_API_URL", url)
        result = live.run("apply", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert f"campaign {other['campaign_id']}, which one-step-email already owns" in result.stderr
    assert record(live, "fresh") is None
    monkeypatch.setenv("WOODPECKER_API_URL", live.emulator.base_url)
    assert live.run("apply", "--auto-approve").exit_code == 0
    fresh = record(live, "fresh")
    assert fresh is not None and fresh["campaign_id"] != other["campaign_id"]


def test_a_version_patch_answer_with_versions_a_string_is_a_clear_error(
    live: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    live.edit("one-step-email", 'subject = "Example subject line"', 'subject = "Patched"')

    def rewrite(method: str, path: str, answer: Any) -> Any:
        if method == "PATCH" and "/versions/" in path and isinstance(answer, dict):
            answer["steps"]["followup"]["body"]["versions"] = "A"
            return answer
        return None

    with rewriting(live.emulator.base_url, rewrite) as url:
        monkeypatch.setenv("WOODPECKER_API_URL", url)
        result = live.run("apply", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert "in a shape wpsync does not understand" in result.stderr
    monkeypatch.setenv("WOODPECKER_API_URL", live.emulator.base_url)
    again = live.run("apply", "--auto-approve")
    assert again.exit_code == 0, again.output
    assert live.run("plan", "--detailed-exitcode").exit_code == 0


def test_an_intent_with_settings_a_number_is_a_damaged_journal(live: Workspace) -> None:
    add_fresh(live)
    intent = {
        "action": "create_campaign",
        "key": "fresh",
        "name": FRESH_NAME,
        "sent": {"name": FRESH_NAME, "settings": 5},
        "step_hashes": [],
        "head": {},
        "head_hash": "",
        "digest": "",
    }
    (live.root / "state" / "fresh.intent.json").write_text(json.dumps(intent))
    for command in (("plan",), ("apply", "--auto-approve")):
        result = live.run(*command)
        assert result.exit_code == 1, result.output
        assert "internal error" not in result.output
        assert "the journal entry is damaged (field 'sent.settings' should be an object)" in result.stderr
    assert named(live, FRESH_NAME) == []


@pytest.mark.parametrize("extra", [False, True], ids=["a step dropped", "a step extra"])
def test_an_append_answer_with_a_step_dropped_or_extra_is_settled(
    live: Workspace, monkeypatch: pytest.MonkeyPatch, extra: bool
) -> None:
    from tests.e2e.conftest import FOLLOW_UP

    live.append("one-step-email", FOLLOW_UP)

    def rewrite(method: str, path: str, answer: Any) -> Any:
        if method == "POST" and path.endswith("/steps") and isinstance(answer, dict):
            first = answer["steps"]["followup"]
            if extra:
                last = first["followup"]
                last["followup"] = {**last, "id": last["id"] + "x"}
            else:
                first.pop("followup")
            return answer
        return None

    with rewriting(live.emulator.base_url, rewrite) as url:
        monkeypatch.setenv("WOODPECKER_API_URL", url)
        result = live.run("apply", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "where the call leaves 2; nothing was recorded" in result.stderr
    before = record(live, "one-step-email")
    assert before is not None and len(before["steps"]) == 2  # START and the one step: nothing recorded
    monkeypatch.setenv("WOODPECKER_API_URL", live.emulator.base_url)
    again = live.run("apply", "--auto-approve")
    assert again.exit_code == 0, again.output
    assert "settled an interrupted append_step of one-step-email: it did happen" in again.stdout
    after = record(live, "one-step-email")
    assert after is not None and len(after["steps"]) == 3
    assert live.run("plan", "--detailed-exitcode").exit_code == 0
