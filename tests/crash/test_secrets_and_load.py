"""The API key never leaks; several wpsync processes on one key all finish under the rate limit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wpsync.emulator.server import EmulatorHandle, running_emulator

ROOT = Path(__file__).resolve().parents[2]
CANARY = "wpk_CANARY_3f9a1c7e5b2d8a64"


def run(cwd: Path, *args: str, key: str = CANARY, url: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
    env |= {
        "WOODPECKER_API_KEY": key,
        "WOODPECKER_API_URL": url,
        "WPSYNC_LOG": "debug",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "wpsync", *args],
        cwd=cwd,
        env=env | extra,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def canary_emulator() -> Iterator[EmulatorHandle]:
    with running_emulator(api_keys=[CANARY], seed_examples=True) as handle:
        yield handle


def test_the_key_appears_nowhere(tmp_path: Path, canary_emulator: EmulatorHandle) -> None:
    url = canary_emulator.base_url
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    key_file = tmp_path / "key.txt"
    key_file.write_text(CANARY + "\n")
    outputs: list[str] = []

    def go(*args: str, expect: int | None = 0, **extra: str) -> None:
        result = run(tmp_path, *args, url=url, **extra)
        outputs.extend([result.stdout, result.stderr])
        if expect is not None:
            assert result.returncode == expect, result.stdout + result.stderr

    go("validate")
    go("plan", "--out", "plan.json")
    go("apply", "plan.json")
    go("plan", "--refresh", "all")
    go("plan", "--api-key-file", str(key_file), WOODPECKER_API_KEY="")
    canary_emulator.add_fault("500", count=1, method="POST")
    canary_emulator.add_fault("drop_after_commit", count=1, method="POST")
    (tmp_path / "campaigns" / "extra.toml").write_text(
        (ROOT / "campaigns" / "one-step-email.toml").read_text().replace("One-step", "Extra")
    )
    go("apply", "--auto-approve")
    go("import", "1001", "--key", "imported", expect=1)  # already tracked: refused, naming its key
    go("import", "1001", "--key", "imported", "--state", "adopted-state")
    go("forget", "imported", "--state", "adopted-state")
    go("force-unlock", "nope", expect=1)
    # Error paths: a key Woodpecker rejects (401), a wrong URL, a crash-looking internal error.
    go("plan", expect=1, WOODPECKER_API_KEY=CANARY + "x")
    go("apply", "--auto-approve", expect=1, WOODPECKER_API_URL="http://127.0.0.1:9/rest")
    go("plan", expect=1, WOODPECKER_API_URL="http://127.0.0.1:9/rest/")
    joined = "\n".join(outputs)
    assert "DEBUG" in joined  # debug logging really ran
    assert "Woodpecker rejected the API key (401)" in joined
    assert CANARY not in joined
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != key_file:
            assert CANARY.encode() not in path.read_bytes(), path
    entries = canary_emulator.requests()
    assert entries and CANARY not in repr(entries)


def test_concurrent_processes_on_one_key_all_finish(tmp_path: Path) -> None:
    with running_emulator(api_keys=["shared-key"], seed_examples=True, queue_size=1) as emulator:
        # Each run makes ~10 calls: at 0.1 s a call they overlap even when a loaded machine starts the
        # four processes a second apart (at 0.03 s they sometimes ran one after another: no 429).
        emulator.set_latency(0.1)
        workspaces = []
        for n in range(4):
            ws = tmp_path / f"team{n}"
            shutil.copytree(ROOT / "campaigns", ws / "campaigns")
            for path in (ws / "campaigns").glob("*.toml"):
                path.write_text(path.read_text().replace('name = "', f'name = "team{n} '))
            workspaces.append(ws)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
        env |= {
            "WOODPECKER_API_KEY": "shared-key",
            "WOODPECKER_API_URL": emulator.base_url,
            "PYTHONPATH": str(ROOT),
        }
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "wpsync", "apply", "--auto-approve"],
                cwd=ws,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for ws in workspaces
        ]
        results = [(*p.communicate(timeout=120), p.returncode) for p in processes]
        for out, err, code in results:
            assert code == 0, out + err
        log = emulator.requests()
        listed = httpx.get(
            f"{emulator.base_url}/v1/campaign_list", headers={"x-api-key": "shared-key"}
        ).json()
        names = sorted(c["name"] for c in listed)
        assert len(names) == 12 and len(set(names)) == 12
        assert any(entry["status"] == 429 for entry in log), (
            "the rate limit was never hit: the test proves nothing"
        )
