"""Read campaign files: bytes → TOML → validated models, or every problem found, each with file and line.

The boundary between the user's files and the pure core. Reading (``sources.py``) is kept apart from
parsing (``parse_source``) so a caller that already knows a file is unchanged, by the hash of its bytes,
never pays for parsing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wpsync.errors import InputError, Problem
from wpsync.files import lints, rules
from wpsync.files.messages import describe
from wpsync.files.models import Campaign
from wpsync.files.sources import Source, key_problem, read_source
from wpsync.files.toml_lines import index_lines, line_of


@dataclass
class Loaded:
    """The outcome of parsing one file: a campaign if it had no errors, and all its findings."""

    source: Source
    campaign: Campaign | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def parse_source(source: Source) -> Loaded:
    """Parse and validate one file, collecting every problem instead of stopping at the first."""
    name = source.display
    problems: list[Problem] = []
    wrong_key = key_problem(source.key)
    if wrong_key is not None:
        problems.append(Problem(name, "", wrong_key))
    try:
        text = source.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"))
        return Loaded(source, None, problems)
    document, syntax = parse_toml(text)
    if document is None:
        problems.append(Problem(name, "", syntax or "not valid TOML", line=_syntax_line(syntax)))
        return Loaded(source, None, problems)
    campaign, findings = validate_document(document)
    lines = index_lines(text) if findings else {}
    located = [
        Problem(name, format_loc(f.loc), f.message, line_of(lines, f.loc), f.severity) for f in findings
    ]
    problems.extend(sorted(located, key=lambda p: p.line or 0))
    ok = campaign is not None and not any(p.severity == "error" for p in problems)
    return Loaded(source, campaign if ok else None, problems)


def parse_toml(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """The document, or None and a message with line and column. TOML 1.0 exactly (see toml10.py)."""
    from wpsync.files import toml10

    # Nesting is bounded in toml10 (a pre-scan only for files with many brackets, then a walk of the
    # values), so no input reaches the parser or pydantic deeper than wpsync reads.
    return toml10.loads(text)


def _syntax_line(message: str | None) -> int | None:
    match = re.search(r"line (\d+)", message or "")
    return int(match.group(1)) if match else None


def validate_document(document: dict[str, Any]) -> tuple[Campaign | None, list[rules.Finding]]:
    """Shapes and types first (pydantic, all errors at once), then the cross-field rules, then the
    outreach lints (warnings, with the active ``[lint]`` settings of wpsync.toml)."""
    try:
        campaign = Campaign.model_validate(document)
    except ValidationError as exc:
        from wpsync.files.partial import rules_on_invalid

        shapes = describe(exc)
        return None, shapes + rules_on_invalid(document, {f.loc for f in shapes})
    return campaign, rules.check_campaign(campaign) + lints.check(campaign)


def format_loc(loc: tuple[str | int, ...]) -> str:
    """("steps", 2, "versions", 1, "subject") → "steps[2].versions[1].subject"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def load_campaign(path: Path) -> Campaign:
    """One file, or an InputError listing all its errors."""
    loaded = parse_source(read_source(path))
    if loaded.campaign is None:
        raise InputError(loaded.errors)
    return loaded.campaign
