"""Small helpers shared by tests: write a campaign file and collect what wpsync says about it."""

from __future__ import annotations

from pathlib import Path

from wpsync.files.loading import Loaded, parse_source
from wpsync.files.sources import read_source

MINIMAL = """\
email_account_ids = [112233]

[settings]
timezone = "Europe/Warsaw"
daily_enroll = 25

[[steps]]
type = "EMAIL"
delivery_time = { MONDAY = [{ from = "09:00", to = "17:00" }] }

[[steps.versions]]
subject = "Hello {{FIRST_NAME | \\"there\\"}}"
message = "<p>Hi {{FIRST_NAME | \\"there\\"}}</p>"
"""


def load_text(tmp_path: Path, text: str, key: str = "demo") -> Loaded:
    path = tmp_path / f"{key}.toml"
    path.write_text(text, encoding="utf-8")
    return parse_source(read_source(path))


def messages(loaded: Loaded, severity: str = "error") -> list[str]:
    """Each problem as 'LINE: path: message' (file name left out to keep expectations short)."""
    return [
        f"{p.line}: {p.path}: {p.message}" if p.path else f"{p.line}: {p.message}"
        for p in loaded.problems
        if p.severity == severity
    ]
