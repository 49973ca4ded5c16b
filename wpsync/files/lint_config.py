"""The ``[lint]`` table of ``wpsync.toml``: thresholds for the outreach lints, with documented defaults.

``wpsync.toml`` sits next to the ``campaigns/`` folder (in the repository root, usually). Every key is
optional; a missing file or table means the defaults below. Other tables in the file are left to
whatever reads them.

    [lint]
    business_hours = { from = "08:00", to = "18:00" }   # in the campaign's (or prospect's) time zone
    business_days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    max_sequence_days = 30                               # first step to last, adding up followup_after
    connection_note_warn_at = 280                        # of the 300 a connection note may hold
    max_daily_sends_per_mailbox = 200                    # projected emails a day, all campaigns together; 0: off

The CLI loads the file once per run and makes it the active configuration (a context variable), so the
loaders that parse campaign files, which know nothing of the CLI, lint with the team's settings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wpsync.bounded import Unreadable, read_regular
from wpsync.errors import InputError, Problem
from wpsync.files.toml_lines import index_lines, line_of
from wpsync.limits import CONNECTION_NOTE_MAX, DAYS, MAX_CONFIG_FILE

CONFIG_FILE = "wpsync.toml"
_KEYS = (
    "business_hours",
    "business_days",
    "max_sequence_days",
    "connection_note_warn_at",
    "max_daily_sends_per_mailbox",
)
MAX_SEQUENCE_DAYS_CEILING = 3650
MAX_DAILY_SENDS_CEILING = 100_000


@dataclass(frozen=True)
class LintConfig:
    business_hours: tuple[int, int] = (8 * 60, 18 * 60)  # minutes after midnight, from and to
    business_days: tuple[str, ...] = DAYS[:5]
    max_sequence_days: int = 30
    connection_note_warn_at: int = 280
    # Woodpecker's default enrolment (50 a day) over a 4-email sequence reaches it and is not warned; past it a
    # mailbox sends more cold email a day than deliverability guidance advises (docs/lints.md).
    max_daily_sends_per_mailbox: int = 200

    def describe(self) -> str:
        """ "08:00–18:00, Mon–Fri"."""
        start, end = self.business_hours
        return f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}, {_day_runs(self.business_days)}"


def _day_runs(days: tuple[str, ...]) -> str:
    runs: list[list[int]] = []
    for index in sorted(DAYS.index(day) for day in days):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    short = [DAYS[i][:3].title() for i in range(len(DAYS))]
    return ", ".join(short[r[0]] if len(r) == 1 else f"{short[r[0]]}–{short[r[-1]]}" for r in runs)


DEFAULT = LintConfig()
_active: ContextVar[LintConfig] = ContextVar("wpsync_lint_config", default=DEFAULT)


def active() -> LintConfig:
    return _active.get()


@contextmanager
def configured(config: LintConfig) -> Iterator[LintConfig]:
    """Make ``config`` the active one until the block ends (tests and the CLI both rely on the reset)."""
    token = _active.set(config)
    try:
        yield config
    finally:
        _active.reset(token)


def config_path(campaign_paths: Sequence[Path]) -> Path:
    """``wpsync.toml`` next to the folder of the first campaign path (a folder or a file in one)."""
    first = campaign_paths[0] if campaign_paths else Path("campaigns")
    folder = first if first.is_dir() or first.suffix != ".toml" else first.parent
    found = folder.resolve().parent / CONFIG_FILE
    try:
        return found.relative_to(Path.cwd())  # shown in messages: keep it as short as the user's paths
    except ValueError:
        return found


def read_document(path: Path) -> tuple[dict[str, Any], str] | None:
    """The parsed ``wpsync.toml`` and its text; None if it does not exist; InputError if unreadable.
    Each table's reader (``[lint]`` here, ``[state]`` in state_config) checks its own table."""
    try:
        text = read_regular(path, MAX_CONFIG_FILE, "the wpsync settings file").decode("utf-8")
    except FileNotFoundError:
        return None
    except Unreadable as exc:
        raise InputError(f"{path}: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    from wpsync.files import toml10  # the campaign files' parser: TOML 1.0 exactly, nesting bounded

    document, problem = toml10.loads(text)
    if document is None:
        raise InputError(f"{path}: {problem}")
    return document, text


def problems_error(path: Path, text: str, problems: list[tuple[tuple[str, ...], str]]) -> InputError:
    lines = index_lines(text)
    return InputError(
        [Problem(str(path), _dotted(loc), message, line_of(lines, loc)) for loc, message in problems]
    )


def load(path: Path) -> LintConfig:
    """The ``[lint]`` settings of ``path``; the defaults if it does not exist; InputError if it is bad."""
    found = read_document(path)
    if found is None:
        return DEFAULT
    document, text = found
    config, problems = parse(document.get("lint", {}))
    if problems:
        raise problems_error(path, text, problems)
    return config


def parse(table: Any) -> tuple[LintConfig, list[tuple[tuple[str, ...], str]]]:
    """The settings and every problem with them, each as (path in the file, message)."""
    problems: list[tuple[tuple[str, ...], str]] = []
    if not isinstance(table, dict):
        return DEFAULT, [(("lint",), "must be a table: [lint]")]
    for key in table:
        if key not in _KEYS:
            import difflib

            near = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else f"; known keys: {', '.join(_KEYS)}"
            problems.append((("lint", key), f'unknown key "{key}"{hint}'))
    values: dict[str, Any] = {}
    if "business_hours" in table:
        values["business_hours"] = _hours(table["business_hours"], problems)
    if "business_days" in table:
        values["business_days"] = _days(table["business_days"], problems)
    for key, low, high in (
        ("max_sequence_days", 1, MAX_SEQUENCE_DAYS_CEILING),
        ("connection_note_warn_at", 1, CONNECTION_NOTE_MAX),
        ("max_daily_sends_per_mailbox", 0, MAX_DAILY_SENDS_CEILING),  # 0 turns the volume lint off
    ):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append(
                    (("lint", key), f"must be a whole number from {low} to {high}, not {value!r}")
                )
            else:
                values[key] = value
    settled = {k: v for k, v in values.items() if v is not None}
    return LintConfig(**settled), problems


def _hours(value: Any, problems: list[tuple[tuple[str, ...], str]]) -> tuple[int, int] | None:
    at = ("lint", "business_hours")
    example = 'write business_hours = { from = "08:00", to = "18:00" }'
    if not isinstance(value, dict) or set(value) != {"from", "to"}:
        problems.append((at, f"must be a table with from and to: {example}"))
        return None
    from pydantic import ValidationError  # only when a wpsync.toml sets business hours

    from wpsync.files.models import Window

    try:
        window = Window.model_validate(value)
    except ValidationError as exc:
        problems.append((at, f"{exc.errors(include_url=False)[0]['msg'].removeprefix('Value error, ')}"))
        return None
    return window.span


def _days(value: Any, problems: list[tuple[tuple[str, ...], str]]) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value or any(day not in DAYS for day in value):
        problems.append(
            (
                ("lint", "business_days"),
                f"must be a list of days, e.g. {json.dumps(list(DAYS[:5]))}; not {value!r}",
            )
        )
        return None
    return tuple(day for day in DAYS if day in value)


def _dotted(loc: tuple[str, ...]) -> str:
    return ".".join(loc)


def read_config(path: Path) -> tuple[str, dict[str, Any]] | None:
    """The text of ``wpsync.toml`` and its tables (``read_document`` the other way round), for the
    ``[accounts]`` reader."""
    found = read_document(path)
    return None if found is None else (found[1], found[0])
