"""Fixtures for the emulator's own tests: an httpx client on the shared, freshly reset emulator."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from wpsync.emulator.server import EmulatorHandle


@pytest.fixture
def api(emulator: EmulatorHandle) -> Iterator[httpx.Client]:
    headers = {"x-api-key": emulator.api_key}
    with httpx.Client(base_url=emulator.base_url, headers=headers, timeout=10) as client:
        yield client
