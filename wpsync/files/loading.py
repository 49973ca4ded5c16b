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
from wpsync.files.models import Campaign, LinkedInStep
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
    from wpsync.files import toml10

    # The walk of the values that enforces the nesting and 64-bit limits (toml10) costs a third of the
    # parse; a document that validates as a campaign is shown within them more cheaply (_within_limits),
    # so the walk runs only for one that does not, before any of its problems is looked at: the same
    # answer as walking first.
    document, syntax = toml10.loads_unwalked(text)
    outcome = _validated(document) if document is not None else None
    if document is not None and not (isinstance(outcome, Campaign) and _within_limits(outcome)):
        document, syntax = toml10.limits_problem(document)
    if document is None:
        problems.append(Problem(name, "", syntax or "not valid TOML", line=_syntax_line(syntax)))
        return Loaded(source, None, problems)
    campaign, findings = validate_document(document, outcome)
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


def validate_document(
    document: dict[str, Any], outcome: Campaign | Exception | None = None
) -> tuple[Campaign | None, list[rules.Finding]]:
    """Shapes and types first (pydantic, all errors at once), then the cross-field rules, then the
    outreach lints (warnings, with the active ``[lint]`` settings of wpsync.toml). ``outcome``: what
    ``_validated(document)`` gave, when the caller has already asked."""
    if outcome is None:
        outcome = _validated(document)
    if isinstance(outcome, ValidationError):
        from wpsync.files.partial import rules_on_invalid

        shapes = describe(outcome)
        return None, shapes + rules_on_invalid(document, {f.loc for f in shapes})
    if isinstance(outcome, Exception):
        raise outcome  # not a problem of the file: a bug, raised as validating raised it
    return outcome, rules.check_campaign(outcome) + lints.check(outcome)


def _validated(document: dict[str, Any]) -> Campaign | Exception:
    # Anything validation raises is kept, not raised, until the limits are known to hold: a document
    # deeper than them (a validator's repr of it hitting the recursion limit) is refused as too deep.
    try:
        return Campaign.model_validate(document)
    except Exception as exc:
        return exc


_INT64 = range(-(2**63), 2**63)


def _within_limits(campaign: Campaign) -> bool:
    """Whether a valid campaign's document is within toml10's limits, without walking it. Its models
    hold no free-form values, so it nests only as deep as they do (a handful of levels; the limit is
    64), and its only integers without a range of their own are the mailbox and LinkedIn account ids
    (tests/unit/test_limits_fast_path.py holds the models to that)."""
    accounts = [step.linkedin_account_id for step in campaign.steps if isinstance(step, LinkedInStep)]
    return all(n in _INT64 for n in accounts) and all(n in _INT64 for n in campaign.email_account_ids or ())


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
