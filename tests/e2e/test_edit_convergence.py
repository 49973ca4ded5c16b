"""Property: any sequence of allowed edits to a campaign file, each applied, converges — the next plan
is empty, the campaign keeps its id, and Woodpecker's campaign equals the file (no drift on a full
refresh, and a campaign imported back from Woodpecker has the file's head and step hashes)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import content_hash, step_hash
from wpsync.plan.desired import canonical_head

DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
WORDS = st.text(alphabet="abcdefghij ,.!", min_size=1, max_size=30).map(str.strip).filter(bool)


@dataclass(frozen=True)
class Step:
    day: str
    start: int  # hour
    subject: str
    message: str
    delay: int  # followup_after days

    def toml(self) -> str:
        return (
            '\n[[steps]]\ntype = "EMAIL"\n'
            f'delivery_time = {{ {self.day} = [{{ from = "{self.start:02d}:00", to = "{self.start + 2:02d}:00" }}] }}\n'
            f'followup_after = {{ range = "DAY", value = {self.delay} }}\n'
            f'[[steps.versions]]\nsubject = "{self.subject}"\nmessage = "<p>{self.message}</p>"\n'
        )


@dataclass(frozen=True)
class Model:
    name: str = "Edited over time"
    daily_enroll: int = 20
    prospect_timezone: bool = False
    mode: str = "BALANCED"
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def toml(self) -> str:
        head = (
            f'name = "{self.name}"\nemail_account_ids = [112233]\n[settings]\ntimezone = "Europe/Warsaw"\n'
            f"daily_enroll = {self.daily_enroll}\nprospect_timezone = {str(self.prospect_timezone).lower()}\n"
            f'catch_all_verification_mode = "{self.mode}"\n'
        )
        return head + "".join(s.toml() for s in self.steps)


step_strategy = st.builds(
    Step,
    day=st.sampled_from(DAYS),
    start=st.integers(0, 20),
    subject=WORDS,
    message=WORDS,
    delay=st.integers(1, 30),
)


@st.composite
def edited(draw: st.DrawFn, model: Model) -> Model:
    """One allowed edit of ``model``."""
    kinds = ["setting", "copy", "windows", "append"] + (["delete"] if len(model.steps) > 1 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "setting":
        which = draw(st.sampled_from(["daily_enroll", "prospect_timezone", "mode", "name"]))
        if which == "daily_enroll":
            return replace(model, daily_enroll=draw(st.integers(1, 500)))
        if which == "prospect_timezone":
            return replace(model, prospect_timezone=not model.prospect_timezone)
        if which == "mode":
            return replace(model, mode=draw(st.sampled_from(["BALANCED", "MAXIMUM"])))
        return replace(model, name=f"Edited {draw(WORDS)}")
    if kind == "append":
        return replace(model, steps=(*model.steps, draw(step_strategy)))
    if kind == "delete":
        return replace(model, steps=model.steps[:-1])
    index = draw(st.integers(0, len(model.steps) - 1))
    step = model.steps[index]
    if kind == "copy":
        if draw(st.booleans()):
            step = replace(step, subject=draw(WORDS))
        else:
            step = replace(step, message=draw(WORDS))
    else:
        step = replace(step, day=draw(st.sampled_from(DAYS)), start=draw(st.integers(0, 20)))
    return replace(model, steps=(*model.steps[:index], step, *model.steps[index + 1 :]))


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[Model, bool]]:
    """Files in order, each with whether the campaign is RUNNING (set in Woodpecker) before its apply."""
    model = Model(steps=(draw(step_strategy),))
    found = [(model, False)]
    for _ in range(draw(st.integers(1, 5))):
        before, model = model, draw(edited(model))
        # Running only when there is something to edit: otherwise apply has no call to make, and a
        # full refresh rightly reports the status set behind wpsync's back as drift.
        found.append((model, draw(st.booleans()) and model != before))
    return found


def http_status(emulator: EmulatorHandle, campaign_id: int | None) -> str:
    import httpx

    answer = httpx.get(f"{emulator.base_url}/v2/campaigns/{campaign_id}", headers={"x-api-key": "test-key"})
    return str(answer.json()["status"])


@contextmanager
def environment(emulator: EmulatorHandle) -> Iterator[None]:
    env = {"WOODPECKER_API_KEY": "test-key", "WOODPECKER_API_URL": emulator.base_url}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories())
def test_allowed_edit_sequences_converge(emulator: EmulatorHandle, history: list[tuple[Model, bool]]) -> None:
    emulator.reset()
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp, environment(emulator):
        root = Path(tmp)
        (root / "campaigns").mkdir()
        args = ["--campaigns", str(root / "campaigns"), "--state", str(root / "state")]

        def run(*command: str) -> Result:
            return runner.invoke(main, [*command, *args], catch_exceptions=False)

        path = root / "campaigns" / "edited.toml"
        campaign_id = None
        for model, running in history:
            if running:
                assert campaign_id is not None
                emulator.set_status(campaign_id, "RUNNING")
            path.write_text(model.toml())
            applied = run("apply", "--auto-approve", "--make-editable")
            assert applied.exit_code == 0, model.toml() + applied.output
            if running:  # made editable for the edits (if any), then running again
                assert http_status(emulator, campaign_id) == "RUNNING"
            record = json.loads((root / "state" / "edited.json").read_text())
            campaign_id = campaign_id or record["campaign_id"]
            assert record["campaign_id"] == campaign_id  # edited in place, never re-created
            after = run("plan", "--refresh", "all", "--detailed-exitcode")
            assert after.exit_code == 0, after.output
            assert after.stdout.startswith("No changes."), after.stdout
            assert "drift" not in after.stdout
            assert "status changed" not in after.stdout
        # Woodpecker's campaign, imported back, is the file: same head, same steps.
        imported = runner.invoke(
            main,
            [
                "import",
                str(campaign_id),
                "--key",
                "back",
                "--campaigns",
                str(root / "imported"),
                "--state",
                str(root / "imported-state"),
            ],
            catch_exceptions=False,
        )
        assert imported.exit_code == 0, imported.output
        mine, theirs = load_campaign(path), load_campaign(root / "imported" / "back.toml")
        assert content_hash(canonical_head(theirs)) == content_hash(canonical_head(mine))
        assert [step_hash(s, theirs.schedules) for s in theirs.steps] == [
            step_hash(s, mine.schedules) for s in mine.steps
        ]
        creates = [
            r for r in emulator.requests() if r["method"] == "POST" and r["path"] == "/rest/v2/campaigns"
        ]
        assert len(creates) == 1
