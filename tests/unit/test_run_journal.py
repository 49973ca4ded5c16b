"""The run journal's file: what a crash can leave of it, and how the state folder reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.state_pg.helpers import append_intent, create_intent, record
from wpsync.errors import StateError
from wpsync.state.run_journal import JOURNAL_FILE, RunJournal, entry_bytes, read_journal
from wpsync.state.store import StateDir


def write(path: Path, *parts: bytes) -> Path:
    path.write_bytes(b"".join(parts))
    return path


def test_the_last_line_of_each_key_is_its_intent_in_the_order_of_the_calls(tmp_path: Path) -> None:
    journal = RunJournal(tmp_path / JOURNAL_FILE)
    for key, intent in (
        ("alpha", append_intent("alpha", 1)),
        ("bravo", create_intent("bravo")),
        ("alpha", append_intent("alpha", 2)),
    ):
        journal.append(key, intent)
    journal.close()
    assert (tmp_path / JOURNAL_FILE).read_bytes().count(b"\n") == 3  # one line a call
    found = read_journal(tmp_path / JOURNAL_FILE)
    assert found == {"bravo": create_intent("bravo"), "alpha": append_intent("alpha", 2)}
    assert list(found) == ["bravo", "alpha"]


@pytest.mark.parametrize(
    "tail",
    [b'{"intent":{"action":"create_campaign"', b"\0\0\0\0\0\0", b"\0\0\0\n", b'{"intent":\n'],
    ids=["torn", "zeros", "zeros-then-newline", "half-then-newline"],
)
def test_a_last_line_that_never_finished_is_a_call_never_sent(tmp_path: Path, tail: bytes) -> None:
    path = write(tmp_path / JOURNAL_FILE, entry_bytes("alpha", create_intent("alpha")), tail)
    assert read_journal(path) == {"alpha": create_intent("alpha")}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"not json\n", "line 1 is damaged (not JSON)"),
        (b'["alpha"]\n', "line 1 is damaged (not a journal entry)"),
        (b'{"key": "alpha", "intent": 5}\n', "line 1 is damaged (not a journal entry)"),
        (
            entry_bytes("alpha", create_intent("bravo")),
            "line 1 is damaged (entry of 'alpha' holds an intent of 'bravo')",
        ),
        (
            b'{"key": "alpha", "intent": {"action": "bogus"}}\n',
            "(line 1): the journal entry is damaged (unknown intent",
        ),
    ],
)
def test_a_damaged_line_before_the_last_is_an_error_naming_it(
    tmp_path: Path, line: bytes, problem: str
) -> None:
    path = write(tmp_path / JOURNAL_FILE, line, entry_bytes("bravo", create_intent("bravo")))
    with pytest.raises(StateError) as caught:
        read_journal(path)
    assert problem in caught.value.message and JOURNAL_FILE in caught.value.message


def test_outside_a_batch_the_folder_sees_a_killed_runs_journal(tmp_path: Path) -> None:
    state = StateDir(tmp_path)
    lineage = state.lineage(create=True)
    assert lineage is not None
    write(
        tmp_path / JOURNAL_FILE,
        entry_bytes("alpha", create_intent("alpha")),
        entry_bytes("bravo", append_intent("bravo")),
    )
    assert state.intents() == {"alpha": create_intent("alpha"), "bravo": append_intent("bravo")}
    assert state.intent_pending("alpha") and not state.intent_pending("charlie")
    state.write(record("bravo", lineage))
    assert state.forget("bravo")  # its intent goes with it: the journal becomes files first
    assert not (tmp_path / JOURNAL_FILE).exists()
    assert state.intents() == {"alpha": create_intent("alpha")}
    assert (tmp_path / "alpha.intent.json").exists()


def test_a_batch_keeps_what_is_still_in_flight_as_intent_files(tmp_path: Path) -> None:
    state = StateDir(tmp_path)
    lineage = state.lineage(create=True)
    assert lineage is not None
    with state.batch():
        state.write_intent("alpha", create_intent("alpha"))
        state.write(record("alpha", lineage))
        state.clear_intent("alpha")
        state.write_intent("bravo", create_intent("bravo"))  # an answer not trusted: not cleared
        assert not state.intent_pending("alpha") and state.intent_pending("bravo")
        assert not list(tmp_path.glob("*.intent.json"))  # one journal, no file per call
        assert list(read_journal(tmp_path / JOURNAL_FILE)) == ["alpha", "bravo"]
    assert not (tmp_path / JOURNAL_FILE).exists()
    assert [p.name for p in tmp_path.glob("*.intent.json")] == ["bravo.intent.json"]
    assert state.intents() == {"bravo": create_intent("bravo")}
