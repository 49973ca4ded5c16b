"""The stat cache (wpsync.statcache): an unchanged file is neither read nor hashed, and a changed one is
always seen, even a change that leaves its stat as it was (git's "racy clean" case)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import wpsync.commands.gather as gather_module
import wpsync.statcache as statcache
from tests.e2e.conftest import Workspace
from wpsync.files import sources
from wpsync.plan.plan import no_changes

NO_CHANGES = no_changes("none") + "\n"  # nothing changed: Woodpecker is not asked


def _coarse(info: os.stat_result) -> statcache.StatKey:
    """The stat of a filesystem with whole-second times (ext3, HFS+, some network ones), where two
    writes within one second leave mtime and ctime the same."""
    second = 1_000_000_000
    exact = statcache.stat_key(info)
    return (*exact[:4], exact[4] // second * second, exact[5] // second * second)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The campaign files gather reads (and so hashes) from here on."""
    read: list[str] = []
    original = sources.read_source

    def counting(path: Path) -> sources.Source:
        read.append(path.name)
        return original(path)

    monkeypatch.setattr(gather_module, "read_source", counting)
    return read


def _same_size_edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "Hi " in text
    path.write_text(text.replace("Hi ", "Yo ", 1), encoding="utf-8")


def test_an_unchanged_file_is_not_read_again(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    monkeypatch.setattr(statcache, "TICK_NS", 0)  # as if every file were older than the tick
    assert ws.run("plan").stdout == NO_CHANGES  # reads and hashes each file, and remembers it
    read = _reads(monkeypatch)
    assert ws.run("plan").stdout == NO_CHANGES
    assert read == []
    edited = ws.file("one-step-email")
    _same_size_edit(edited)  # same size, new mtime and ctime
    plan = ws.run("plan")
    assert read == ["one-step-email.toml"]
    assert "one-step-email" in plan.stdout and plan.stdout != NO_CHANGES


def test_a_change_within_the_same_tick_is_still_seen(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gather_module, "stat_key", _coarse)
    assert ws.run("apply", "--auto-approve").exit_code == 0
    edited = ws.file("one-step-email")
    before = edited.stat()
    assert ws.run("plan").stdout == NO_CHANGES  # the file was written within the tick: not remembered
    _same_size_edit(edited)
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    if _coarse(edited.stat()) != _coarse(before):
        pytest.skip("the edit crossed a second boundary: its ctime differs, nothing racy to test")
    plan = ws.run("plan")
    assert "one-step-email" in plan.stdout and plan.stdout != NO_CHANGES


def test_the_racy_rule_is_what_sees_it(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: without the tick, the same edit goes unseen."""
    monkeypatch.setattr(gather_module, "stat_key", _coarse)
    monkeypatch.setattr(statcache, "TICK_NS", -(10**18))  # trust every stat, however recent
    assert ws.run("apply", "--auto-approve").exit_code == 0
    edited = ws.file("one-step-email")
    before = edited.stat()
    assert ws.run("plan").stdout == NO_CHANGES
    _same_size_edit(edited)
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    if _coarse(edited.stat()) != _coarse(before):
        pytest.skip("the edit crossed a second boundary")
    assert ws.run("plan").stdout == NO_CHANGES  # wrong, which is why the tick exists


def test_a_cache_of_another_machine_or_user_is_ignored(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    monkeypatch.setattr(statcache, "TICK_NS", 0)
    assert ws.run("plan").stdout == NO_CHANGES
    read = _reads(monkeypatch)
    this_machine = statcache._machine
    monkeypatch.setattr(statcache, "_machine", lambda: "another-host/another-id/0")
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 3  # every file read again, and the cache rewritten for "that" machine
    monkeypatch.setattr(statcache, "_machine", this_machine)
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 6
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 6  # this machine's cache again
    files = list(Path(os.environ[statcache.CACHE_ENV]).glob("*.cache"))
    for path in files:
        path.chmod(0o666)  # writable by others: not trusted
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 9


def test_a_damaged_cache_is_ignored_and_rewritten(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    monkeypatch.setattr(statcache, "TICK_NS", 0)
    assert ws.run("plan").stdout == NO_CHANGES
    for path in Path(os.environ[statcache.CACHE_ENV]).glob("*.cache"):
        path.write_bytes(statcache.MAGIC + b"\x00garbage")
    read = _reads(monkeypatch)
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 3
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 3  # rewritten: the third plan read nothing


def test_the_cache_can_be_turned_off(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    monkeypatch.setattr(statcache, "TICK_NS", 0)
    monkeypatch.setenv(statcache.CACHE_ENV, "off")
    read = _reads(monkeypatch)
    assert ws.run("plan").stdout == NO_CHANGES
    assert ws.run("plan").stdout == NO_CHANGES
    assert len(read) == 6
