"""`wpsync preview FILE`: what a prospect would receive from each step and version of a campaign."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wpsync.bounded import TooDeep, Unreadable, json_loads, read_regular
from wpsync.errors import EXIT_OK, InputError
from wpsync.files.loading import load_campaign
from wpsync.limits import MAX_PROSPECT_FILE
from wpsync.review.preview import SAMPLE, Prospect, preview, prospect_from_json, render


def read_prospect(path: Path | None) -> Prospect:
    if path is None:
        return SAMPLE
    try:
        data = json_loads(read_regular(path, MAX_PROSPECT_FILE, "a prospect file"), "the prospect file")
    except FileNotFoundError:
        raise InputError(f"{path}: cannot read the prospect file: no such file") from None
    except Unreadable as exc:
        raise InputError(f"{path}: {exc.reason}") from None
    except TooDeep as exc:
        raise InputError(f"{path}: {exc}; a prospect is one flat JSON object of fields") from None
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    return prospect_from_json(data, str(path))


def preview_command(
    path: Path,
    *,
    step: int | None,
    version: str | None,
    prospect_file: Path | None,
    seed: int | None,
    echo: Callable[[str], None],
) -> int:
    campaign = load_campaign(path)
    prospect = read_prospect(prospect_file)
    messages = preview(campaign, prospect, step=step, version=version, seed=seed)
    echo(render(path.stem, prospect, messages, seeded=seed is not None))
    return EXIT_OK
