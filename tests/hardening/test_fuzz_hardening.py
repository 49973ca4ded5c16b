"""Fuzzing what comes from outside with control characters and arbitrary shapes.

- Campaign files: every text field of every example (and the minimal file) replaced by text full of
  control characters (C0, DEL, C1, line and paragraph separators, NUL, bidi overrides): ``validate`` and
  ``preview`` end with exit 0 or 1, never a traceback or an "internal error".
- Prospect files: fields with such text, any key, values of any JSON type: ``preview`` likewise.
- Server answers: each client method against a MockTransport answering arbitrary JSON (any shape, any
  status, strings with control characters, deep or not): only WpsyncError subclasses escape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import rtoml
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import MINIMAL
from wpsync.cli import main
from wpsync.errors import WpsyncError
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [rtoml.loads(path.read_text()) for path in sorted((ROOT / "campaigns").glob("*.toml"))]
SEEDS.append(rtoml.loads(MINIMAL))
ENV: dict[str, str | None] = {"WPSYNC_DEBUG": None, "WOODPECKER_API_KEY": None, "WPSYNC_LOG": None}

CONTROL = st.sampled_from(
    [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\ufeff", "\ud7ff"]
)
NASTY_TEXT = st.lists(
    st.one_of(CONTROL, st.characters(codec="utf-8"), st.sampled_from(["{{", "}}", "|", '"'])), max_size=40
).map("".join)


def string_paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [at]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in string_paths(v, (*at, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in string_paths(v, (*at, i))]
    return []


def replaced(document: Any, path: tuple[Any, ...], text: str) -> Any:
    if not path:
        return text
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[path[0]] = replaced(document[path[0]], path[1:], text)
    return copy


@st.composite
def campaign_with_control_text(draw: st.DrawFn) -> str:
    document = draw(st.sampled_from(SEEDS))
    paths = string_paths(document)
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4)):
        document = replaced(document, path, draw(NASTY_TEXT))
    return tomli_w.dumps(document)


def no_crash(output: str, code: int) -> None:
    assert code in (0, 1), output
    assert "Traceback" not in output and "internal error" not in output, output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=campaign_with_control_text())
def test_control_characters_in_campaign_text_fields(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzzed.toml"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(path)], env=ENV)
    no_crash(result.output, result.exit_code)
    for line in result.output.splitlines():  # one problem is one line: no forged lines
        assert line.startswith(("error:", "warning:")) or "campaign file" in line, line
    preview = runner.invoke(main, ["preview", str(path)], env=ENV)
    no_crash(preview.output, preview.exit_code)


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), NASTY_TEXT)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(NASTY_TEXT, inner, max_size=4)),
    max_leaves=20,
)
FIELD_NAMES = st.one_of(
    st.sampled_from(["first_name", "FIRST_NAME", "company", "snippet1", "SNIPPET_15"]), NASTY_TEXT
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prospect=st.one_of(st.dictionaries(FIELD_NAMES, st.one_of(NASTY_TEXT, JSON), max_size=6), JSON))
def test_control_characters_in_prospect_files(tmp_path: Path, prospect: Any) -> None:
    campaign = tmp_path / "demo.toml"
    campaign.write_text(MINIMAL)
    prospect_file = tmp_path / "p.json"
    prospect_file.write_text(json.dumps(prospect), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["preview", str(campaign), "--prospect", str(prospect_file), "--seed", "1"], env=ENV
    )
    no_crash(result.output, result.exit_code)


CALLS: list[tuple[str, Callable[[WoodpeckerClient], Any]]] = [
    ("create_campaign", lambda c: c.create_campaign({"name": "x"})),
    ("add_step", lambda c: c.add_step(7, {"type": "EMAIL"})),
    ("get_campaign", lambda c: c.get_campaign(7)),
    ("make_editable", lambda c: c.make_editable(7)),
    ("run", lambda c: c.run(7)),
    ("pause", lambda c: c.pause(7)),
    ("stop", lambda c: c.stop(7)),
    ("list_campaigns", lambda c: c.list_campaigns(["RUNNING"])),
    ("campaign_item", lambda c: c.campaign_item(7)),
    ("me", lambda c: c.me()),
    ("update_campaign", lambda c: c.update_campaign(7, {"name": "x"})),
    ("update_version", lambda c: c.update_version(7, "s-1", "v-1", {"message": "x"})),
    ("delete_step", lambda c: c.delete_step(7, "s-1")),
    ("mailboxes", lambda c: c.mailboxes()),
    ("linkedin_accounts", lambda c: c.linkedin_accounts()),
]
BODIES = st.one_of(
    JSON.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
    st.integers(1, 3).map(lambda n: b"[" * (n * 100) + b"]" * (n * 100)),
    st.sampled_from([b"", b"null", b'{"stats": {"steps": [{"step_id": 1}]}}', b'[{"id": 7, "stats": null}]']),
)


@settings(max_examples=150, deadline=None)
@given(
    call=st.sampled_from(CALLS),
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 429, 500, 502]),
    body=BODIES,
    content_type=st.sampled_from(["application/json", "text/html", "application/json; charset=latin-1"]),
)
def test_the_client_survives_any_answer(
    call: tuple[str, Callable[[WoodpeckerClient], Any]], status: int, body: bytes, content_type: str
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    client = WoodpeckerClient(
        "fuzz-key-123",
        "https://wp.test/rest",
        transport=httpx.MockTransport(answer),
        retry=RetryPolicy(max_attempts=1),
        sleep=lambda _: None,
    )
    with client:
        try:
            call[1](client)
        except WpsyncError as exc:
            assert "\n" not in str(exc), str(exc)
            assert "fuzz-key-123" not in str(exc)
