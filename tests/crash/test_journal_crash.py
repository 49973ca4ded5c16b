"""The run journal (``wpsync.state.run_journal``) under SIGKILL: mid-write, mid-checkpoint, and the
layout an older wpsync left (one ``KEY.intent.json`` per call), each settled without doubling a call.

The scenario makes 4 mutating calls (2 appends to alpha, then 2 creates); ``Scenario.check`` is the
invariant: each campaign once, exactly its steps, the state true, no journal left, the next plan empty.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.crash.scenario import Scenario
from wpsync.emulator.server import EmulatorHandle
from wpsync.state.journal import intent_to_json
from wpsync.state.run_journal import JOURNAL_FILE, read_journal
from wpsync.state.store import StateDir


@pytest.mark.parametrize("call", [1, 3, 4])
def test_killed_halfway_through_writing_an_intent(
    tmp_path: Path, emulator: EmulatorHandle, call: int
) -> None:
    """Half of call N's line is on disk and nothing of call N was sent: the next run drops the torn
    line, settles the calls before it, and makes call N once."""
    scenario = Scenario.prepare(tmp_path, emulator)
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS=f"state.journal.torn={call}")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    journal = tmp_path / "state" / JOURNAL_FILE
    assert not journal.read_bytes().endswith(b"\n")  # the torn line really is there
    assert len(scenario.mutating_calls()) == call - 1  # call N was not sent
    before = {1: [], 3: ["alpha"], 4: ["alpha", "bravo"]}[call]  # alpha's 2nd line replaces its 1st
    assert list(read_journal(journal)) == before
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(scenario.mutating_calls()) == 4  # every call once: none doubled, none lost
    scenario.check()


def test_killed_after_the_final_sync_before_the_journal_is_removed(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """Every record is durable and the journal still holds every call: each is settled from the state
    alone, with no call to Woodpecker beyond the plan's reads."""
    scenario = Scenario.prepare(tmp_path, emulator)
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS="state.journal.checkpoint=1")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert list(StateDir(tmp_path / "state").intents()) == ["alpha", "bravo", "charlie"]
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "3 call(s) whose outcome the state already holds" in again.stdout
    assert len(scenario.mutating_calls()) == 4
    scenario.check()


def test_killed_while_the_next_run_turns_the_journal_into_intent_files(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """A run killed mid-apply, then the run settling it killed after it wrote the intent files but
    before it removed the journal: the third run settles from both, once."""
    scenario = Scenario.prepare(tmp_path, emulator)
    first = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS="apply.after_response=3")
    assert first.returncode == -signal.SIGKILL, first.stdout + first.stderr
    second = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS="state.journal.checkpoint=1")
    assert second.returncode == -signal.SIGKILL, second.stdout + second.stderr
    state = tmp_path / "state"
    assert (state / JOURNAL_FILE).exists()
    assert sorted(p.name for p in state.glob("*.intent.json")) == ["alpha.intent.json", "bravo.intent.json"]
    third = scenario.wpsync("apply", "--auto-approve")
    assert third.returncode == 0, third.stdout + third.stderr
    assert "settled an interrupted create_campaign of bravo: it did happen" in third.stdout
    assert len(scenario.mutating_calls()) == 4
    scenario.check()


def test_intent_files_an_older_wpsync_left_are_settled(tmp_path: Path, emulator: EmulatorHandle) -> None:
    """Upgrading with an interrupted apply: an older wpsync kept one indented KEY.intent.json per call
    and no journal. The new one settles them as before."""
    scenario = Scenario.prepare(tmp_path, emulator)
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS="apply.after_response=3")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    state = tmp_path / "state"
    for key, intent in read_journal(state / JOURNAL_FILE).items():
        old = json.dumps(intent_to_json(intent), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (state / f"{key}.intent.json").write_text(old, encoding="utf-8")
    (state / JOURNAL_FILE).unlink()
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "settled an interrupted create_campaign of bravo: it did happen" in again.stdout
    assert len(scenario.mutating_calls()) == 4
    scenario.check()
