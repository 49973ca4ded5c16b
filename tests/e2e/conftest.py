"""A workspace for end-to-end runs: the example campaigns in a temp folder, the emulator as Woodpecker."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Workspace:
    root: Path
    emulator: EmulatorHandle

    def run(self, *args: str, input: str | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
        assert "Traceback" not in result.output
        return result

    def file(self, key: str) -> Path:
        return self.root / "campaigns" / f"{key}.toml"

    def append(self, key: str, text: str) -> None:
        with self.file(key).open("a", encoding="utf-8") as handle:
            handle.write(text)

    def edit(self, key: str, old: str, new: str) -> None:
        path = self.file(key)
        content = path.read_text(encoding="utf-8")
        assert old in content
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    def posts(self) -> list[dict[str, Any]]:
        return [r for r in self.emulator.requests() if r["method"] != "GET"]  # every mutating call

    def campaign(self, campaign_id: int) -> dict[str, Any]:
        response = httpx.get(
            f"{self.emulator.base_url}/v2/campaigns/{campaign_id}", headers={"x-api-key": "test-key"}
        )
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture
def ws(tmp_path: Path, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WOODPECKER_API_KEY", "test-key")
    monkeypatch.setenv("WOODPECKER_API_URL", emulator.base_url)
    monkeypatch.delenv("WPSYNC_STATE_DIR", raising=False)
    yield Workspace(tmp_path, emulator)


FOLLOW_UP = """
[[steps]]
type = "EMAIL"
delivery_time = "workdays"
followup_after = { range = "DAY", value = 3 }

[[steps.versions]]
message = "<p>Just bumping this, {{FIRST_NAME | \\"there\\"}}.</p>"
track_opens = true
"""
