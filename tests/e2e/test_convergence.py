"""Property: for any sequence of campaign files that only append steps, apply converges and the next
plan is empty — checked against the emulator over real HTTP."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import httpx
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle

HEAD = """email_account_ids = [112233]
[settings]
timezone = "Europe/Warsaw"
daily_enroll = 20
"""

DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


@st.composite
def email_step(draw: st.DrawFn, first: bool) -> str:
    days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
    start = draw(st.integers(0, 20))
    windows = ", ".join(f'{d} = [{{ from = "{start:02d}:00", to = "{start + 2:02d}:30" }}]' for d in days)
    versions = draw(st.integers(1, 3))
    text = f'\n[[steps]]\ntype = "EMAIL"\ndelivery_time = {{ {windows} }}\n'
    if draw(st.booleans()):
        text += f'followup_after = {{ range = "{draw(st.sampled_from(["DAY", "HOUR", "MINUTE"]))}", value = {draw(st.integers(1, 9999))} }}\n'
    for v in range(versions):
        words = draw(st.text(alphabet="abcdefghij ,.!", min_size=1, max_size=40))
        text += "[[steps.versions]]\n"
        if first or draw(st.booleans()):
            text += f'subject = "Subject {v} {json.dumps(words)[1:-1]}"\n'
        text += f'message = "<p>{json.dumps(words)[1:-1]} {{{{COMPANY | \\"you\\"}}}}</p>"\n'
        if draw(st.booleans()):
            text += f"track_opens = {str(draw(st.booleans())).lower()}\n"
    return text


@st.composite
def growing_campaign(draw: st.DrawFn) -> tuple[list[str], list[int]]:
    steps = [draw(email_step(first=True)), *draw(st.lists(email_step(first=False), min_size=0, max_size=5))]
    cuts = sorted(set(draw(st.lists(st.integers(1, len(steps)), min_size=1, max_size=3))) | {len(steps)})
    return steps, cuts


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(growing_campaign())
def test_append_only_sequences_converge(emulator: EmulatorHandle, case: tuple[list[str], list[int]]) -> None:
    steps, cuts = case
    emulator.reset()
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "campaigns").mkdir()
        env = {"WOODPECKER_API_KEY": "test-key", "WOODPECKER_API_URL": emulator.base_url}
        args = ["--campaigns", str(root / "campaigns"), "--state", str(root / "state")]
        old_env = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            for cut in cuts:
                (root / "campaigns" / "grow.toml").write_text(HEAD + "".join(steps[:cut]))
                applied = runner.invoke(main, ["apply", "--auto-approve", *args])
                assert applied.exit_code == 0, applied.output
                after = runner.invoke(main, ["plan", "--detailed-exitcode", *args])
                assert after.exit_code == 0, after.output
            record = json.loads((root / "state" / "grow.json").read_text())
            remote = httpx.get(
                f"{emulator.base_url}/v2/campaigns/{record['campaign_id']}", headers={"x-api-key": "test-key"}
            ).json()
            count, node = 0, remote["steps"]["followup"]
            while node:
                count, node = count + 1, node.get("followup")
            assert count == len(steps)
            creates = [
                r for r in emulator.requests() if r["method"] == "POST" and r["path"] == "/rest/v2/campaigns"
            ]
            assert len(creates) == 1
        finally:
            for key, value in old_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
