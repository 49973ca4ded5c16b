"""`wpsync validate`: every problem of every campaign file, at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wpsync.errors import EXIT_ERROR, EXIT_OK, InputError, Problem
from wpsync.files.loading import parse_source
from wpsync.files.sources import campaign_paths, read_source

if TYPE_CHECKING:
    from wpsync.plan.volume import Load

# The JSON report's shape: {"format_version", "files", "problems": [{"file", "line", "path", "severity",
# "message"}]}. Fields may be added within a version; none removed or changed in meaning.
VALIDATE_FORMAT = 1
MAX_NAMED = 5  # campaigns named in a mailbox-volume warning


def files_of(paths: list[Path]) -> list[Path]:
    """Campaign files from folders and files, in a stable order, as plan reads them: a folder's *.toml,
    or, when the wpsync.toml beside it declares accounts, those of each account's folder instead
    (a file directly in the folder belongs to no account: ``strays``)."""
    from wpsync.files.accounts_config import declared

    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        accounts = declared(path)
        if not accounts:
            found.extend(campaign_paths(path))
        for name in accounts:
            if (path / name).is_dir():
                found.extend(campaign_paths(path / name))
    return found


def strays(paths: list[Path]) -> list[Problem]:
    """The files of ``paths`` that plan refuses: directly in a campaigns folder that has accounts."""
    from wpsync.files.accounts_config import declared, stray_files
    from wpsync.files.lint_config import config_path

    return [
        problem
        for path in paths
        if path.is_dir() and (accounts := declared(path))
        for problem in stray_files(path, list(accounts), config_path([path]))
    ]


def problems_of(files: list[Path]) -> list[Problem]:
    # One file at a time, keeping only its problems and its sending load: a fleet's parsed campaigns are
    # never all in memory.
    from wpsync.plan.desired import canonical_head
    from wpsync.plan.volume import load_of

    problems: list[Problem] = []
    loads: list[tuple[Path, str, Load]] = []
    for path in files:
        try:
            source = read_source(path)
        except InputError as exc:  # a FIFO, a device, too large: one problem among the others
            problems.extend(exc.problems)
            continue
        loaded = parse_source(source)
        problems.extend(loaded.problems)
        if loaded.campaign is not None:
            types = [step.type for step in loaded.campaign.steps]
            load = load_of(loaded.source.key, canonical_head(loaded.campaign), types)
            loads.append((path.parent, loaded.source.display, load))
    return problems + volume_warnings(loads)


def volume_warnings(loads: list[tuple[Path, str, Load]]) -> list[Problem]:
    """The mailbox lint, over every campaign sharing a mailbox: one warning in each campaign file that
    sends from a mailbox whose projected emails a day exceed ``[lint] max_daily_sends_per_mailbox``.
    Mailbox ids are an account's own: each folder (an account's) is summed apart."""
    from wpsync.files.lint_config import active
    from wpsync.plan.volume import totals

    limit = active().max_daily_sends_per_mailbox
    found: list[Problem] = []
    if not limit:
        return found  # [lint] max_daily_sends_per_mailbox = 0: the lint is off
    for folder in sorted({folder for folder, _, _ in loads}):
        mine = [(file, load) for where, file, load in loads if where == folder]
        files = {load.key: file for file, load in mine}
        daily = {load.key: load.daily for _, load in mine}
        for mailbox, (total, keys) in sorted(totals(load for _, load in mine).items()):
            if total <= limit:
                continue
            biggest = sorted(keys, key=lambda key: (-daily[key], key))
            shares = ", ".join(f"{key} {daily[key]}" for key in biggest[:MAX_NAMED])
            if len(keys) > MAX_NAMED:  # a fleet on a few mailboxes: name the biggest, count the rest
                shares += f" and {len(keys) - MAX_NAMED} more"
            for key in keys:
                found.append(
                    Problem(
                        files[key],
                        "email_account_ids",
                        f"mailbox {mailbox} would send up to {total} emails a day ({shares}: daily_enroll × "
                        f"EMAIL steps, daily_enroll taken as per mailbox), over the {limit} of [lint] "
                        "max_daily_sends_per_mailbox in wpsync.toml; lower daily_enroll, spread the "
                        "campaigns over more mailboxes, or raise the limit",
                        severity="warning",
                    )
                )
    return found


def validate(paths: list[Path], *, strict: bool, output_format: str, echo: Callable[[str], None]) -> int:
    files = files_of(paths)
    problems = sorted(problems_of(files) + strays(paths), key=_order)
    errors = [p for p in problems if p.severity == "error" or strict]
    if output_format == "json":
        report = {
            "format_version": VALIDATE_FORMAT,
            "files": len(files),
            "problems": [_as_json(p) for p in problems],
        }
        echo(json.dumps(report, indent=2))
    else:
        for problem in problems:
            label = "error" if problem.severity == "error" or strict else "warning"
            echo(f"{label}: {problem.render()}")
        warnings = len(problems) - len(errors)
        echo(
            f"{len(files)} campaign file{'s' if len(files) != 1 else ''} checked: "
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}."
        )
    return EXIT_ERROR if errors else EXIT_OK


def _order(problem: Problem) -> tuple[str, int, str]:
    return problem.file, problem.line or 0, problem.path


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.line,
        "path": problem.path,
        "severity": problem.severity,
        "message": problem.message,
    }
