"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wpsync.emulator.server import EmulatorHandle, running_emulator

NOW = "2026-12-07T08:00:00Z"  # a Monday, 09:00 in Warsaw: every plan's timelines start here


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plans forecast from "now": the same instant in every test keeps outputs and goldens the same."""
    monkeypatch.setenv("WPSYNC_NOW", NOW)


@pytest.fixture(autouse=True)
def _stat_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # wpsync's stat cache (wpsync.statcache) goes to ~/.cache/wpsync by default: each test gets its own
    # folder instead, so no test sees another's entries and nothing is left in the home folder. The
    # variable is inherited by the wpsync processes tests start.
    monkeypatch.setenv("WPSYNC_CACHE_DIR", str(tmp_path_factory.mktemp("stat-cache")))


@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[EmulatorHandle]:
    # One server for the whole run (start and stop cost ~0.1 s); each test gets it reset.
    with running_emulator(api_keys=["test-key", "other-key"], seed_examples=True) as handle:
        yield handle


@pytest.fixture
def emulator(_emulator_server: EmulatorHandle) -> EmulatorHandle:
    """A running emulator, emptied and re-seeded with the spec examples' accounts; keys "test-key" and
    "other-key". Use ``running_emulator`` directly for other keys, persistence or rate-limit settings."""
    _emulator_server.reset()
    return _emulator_server
