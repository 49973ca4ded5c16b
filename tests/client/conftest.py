"""Fixtures for the client tests; the helpers they use live in client_helpers.py."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.client.client_helpers import FAST, KEY, FakeTime, MakeClient, Reply, Script
from wpsync.errors import API_KEY_ENV
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # errors.redact also masks the key from the environment; keep it out so tests see the client's own.
    monkeypatch.delenv(API_KEY_ENV, raising=False)


@pytest.fixture
def make_client() -> Iterator[MakeClient]:
    made: list[WoodpeckerClient] = []

    def make(
        *replies: Reply, key: str = KEY, retry: RetryPolicy = FAST, **kwargs: Any
    ) -> tuple[WoodpeckerClient, Script, FakeTime]:
        script = Script(list(replies))
        fake = FakeTime()
        client = WoodpeckerClient(
            key,
            "https://wp.test/rest",
            transport=httpx.MockTransport(script),
            retry=retry,
            sleep=fake.sleep,
            clock=fake.clock,
            rng=random.Random(7),
            **kwargs,
        )
        made.append(client)
        return client, script, fake

    yield make
    for client in made:
        client.close()
