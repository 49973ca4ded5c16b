"""Fixtures for the emulator's own tests: one httpx client on the shared emulator, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.emulator.emu_helpers import local_client
from wpsync.emulator.server import EmulatorHandle


@pytest.fixture(scope="session")
def _api_client(_emulator_server: EmulatorHandle) -> Iterator[httpx.Client]:
    with local_client(_emulator_server.base_url, _emulator_server.api_key) as client:
        yield client


@pytest.fixture
def api(emulator: EmulatorHandle, _api_client: httpx.Client) -> httpx.Client:
    """A client for the freshly reset emulator, with its "test-key"."""
    return _api_client
