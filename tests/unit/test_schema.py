"""The JSON Schema for editors: rejects what wpsync rejects (but for an explicit, short list), accepts
what wpsync accepts, describes every property, has no oneOf and no null, and is the committed file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.helpers import MINIMAL, load_text
from tests.unit.test_validation_rules import CASES, HEAD, WARNINGS, email, linkedin
from wpsync.cli import main
from wpsync.files.schema import NOT_EXPRESSIBLE, campaign_schema, schema_json

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = campaign_schema()
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)

# Bad files beyond test_validation_rules.CASES, for rules added with the schema's patterns.
MORE_BAD: dict[str, str] = {
    "unknown snippet name": MINIMAL.replace("<p>Hi", "<p>{{FIRSTNAME}} Hi"),
    "time zone abbreviation": MINIMAL.replace("Europe/Warsaw", "EST"),
    "time zone near miss": MINIMAL.replace("Europe/Warsaw", "America/NewYork"),
    "empty mailbox list": MINIMAL.replace("[112233]", "[]"),
    "first email after linkedin without subject": HEAD
    + linkedin("VISIT_PROFILE")
    + email().replace('subject = "Hi"\n', ""),
    "connection request without versions": HEAD + linkedin("CONNECTION_REQUEST"),
    "visit profile with two versions": HEAD + linkedin("VISIT_PROFILE", "versions = [{}, {}]"),
    "spintax with one variant": MINIMAL.replace("<p>Hi", '<p>{{SPINTAX | \\"a\\"}} Hi'),
    "click without url": MINIMAL.replace("<p>Hi", "<p>{{CLICK=}} Hi"),
    "stray closing braces": MINIMAL.replace("<p>Hi", "<p>}} Hi"),
}


def schema_errors(document: dict[str, Any]) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(document)]


def test_the_schema_is_a_valid_draft_7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_the_schema_rejects_what_wpsync_rejects_but_for_the_listed_few(tmp_path: Path) -> None:
    accepted: list[str] = []
    for name, (text, expected) in CASES.items():
        assert expected, name  # every case is an error in wpsync
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # not a document at all: an editor's TOML parser says so before any schema
        if not schema_errors(document):
            accepted.append(name)
    for name, text in MORE_BAD.items():
        assert load_text(tmp_path, text).errors, f"wpsync accepts {name!r}"
        if not schema_errors(tomllib.loads(text)):
            accepted.append(name)
    # Each of these needs arithmetic, a cross-reference or the file's name; all else is in the schema.
    assert sorted(accepted) == sorted(NOT_EXPRESSIBLE)


def _valid_files() -> dict[str, str]:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "campaigns").glob("*.toml"))}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files["README"] = readme.split("```toml", 1)[1].split("```", 1)[0]
    files["MINIMAL"] = MINIMAL
    files.update({f"warning: {name}": text for name, (text, _) in WARNINGS.items()})
    files["every snippet"] = MINIMAL.replace(
        "<p>Hi",
        '<p>{{ LAST_NAME }} {{SPINTAX | \\"a\\" | \\"b{c}\\"}} {{UNSUBSCRIBE}} {{CLICK=https://x.io/?a={b}}} '
        "{{SNIPPET_15}} css { color: red } Hi",
    )
    return files


@pytest.mark.parametrize("name", list(_valid_files()))
def test_the_schema_accepts_what_wpsync_accepts(tmp_path: Path, name: str) -> None:
    text = _valid_files()[name]
    assert load_text(tmp_path, text).errors == []
    assert schema_errors(tomllib.loads(text)) == []


def test_the_schema_accepts_generated_fleet_files(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from fleet import campaign_text  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))

    for index in range(0, 40, 7):
        text = campaign_text(index)
        assert load_text(tmp_path, text).errors == []
        assert schema_errors(tomllib.loads(text)) == []


def _walk(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found = [(path, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_walk(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_walk(value, f"{path}/{index}"))
    return found


def test_no_one_of_and_no_null_branches() -> None:
    for path, node in _walk(SCHEMA):
        if isinstance(node, dict):
            assert "oneOf" not in node, path
            assert "discriminator" not in node, path
            assert node.get("type") != "null", path
            assert "null" not in (node.get("type") or []), path


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: dict[str, Any] = SCHEMA
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def test_every_property_has_a_description() -> None:
    for path, node in _walk(SCHEMA):
        if isinstance(node, dict) and path.endswith("/properties"):
            for name, prop in node.items():
                # Inside if/then the properties only restate constraints; their descriptions are outside.
                if "/if/" in path or "/then/" in path or "/not/" in path or "/allOf/" in path:
                    continue
                assert _resolve(prop).get("description"), f"{path}/{name}"


def test_the_properties_are_the_models_fields() -> None:
    from wpsync.files import models

    def fields(model: type[Any]) -> set[str]:
        return {info.alias or name for name, info in model.model_fields.items()}

    definitions = SCHEMA["definitions"]
    assert set(SCHEMA["properties"]) == fields(models.Campaign)
    assert set(definitions["settings"]["properties"]) == fields(models.Settings)
    assert set(definitions["email_step"]["properties"]) == fields(models.EmailStep)
    assert set(definitions["linkedin_step"]["properties"]) == fields(models.LinkedInStep)
    assert set(definitions["email_version"]["properties"]) == fields(models.EmailVersion)
    assert set(definitions["delivery_time"]["properties"]) == fields(models.DeliveryTime)
    assert set(definitions["window"]["properties"]) == fields(models.Window)
    assert set(definitions["followup_after"]["properties"]) == fields(models.FollowupAfter)
    assert set(definitions["step"]["properties"]) == fields(models.EmailStep) | fields(models.LinkedInStep)


def test_wpsync_schema_prints_the_committed_file_byte_for_byte() -> None:
    committed = (ROOT / "schema" / "campaign.schema.json").read_bytes()
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.stdout_bytes == committed  # so `wpsync schema > schema/campaign.schema.json` is a no-op
    assert committed.decode() == schema_json() and committed.endswith(b"}\n")
