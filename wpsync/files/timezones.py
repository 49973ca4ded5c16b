"""Which time zone names a campaign may use.

Woodpecker accepts a curated list of canonical IANA names, not legacy aliases such as ``US/Eastern``.
The closest public list is the tz database's own ``zone.tab`` (one canonical zone per populated region),
read from the ``tzdata`` package so the answer does not depend on the host's zoneinfo. ``UTC`` is added:
it is not a region, but every scheduler accepts it. Aliases (``L`` lines in ``tzdata.zi``) are refused
with the canonical name to use instead. This is an [assume] of api-notes.md: change it here only.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources


def _read(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@cache
def canonical_zones() -> frozenset[str]:
    zones = {"UTC"}
    for line in _read("zone.tab").splitlines():
        if line and not line.startswith("#"):
            zones.add(line.split("\t")[2])
    return frozenset(zones)


@cache
def _aliases() -> dict[str, str]:
    """alias → the zone it links to, e.g. US/Eastern → America/New_York."""
    links: dict[str, str] = {}
    for line in _read("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    return links


_UTC_LIKE = frozenset({"Etc/UTC", "Etc/GMT", "Etc/Universal", "Etc/Zulu", "Etc/UCT"})


def is_canonical(name: str) -> bool:
    return name in canonical_zones()


def suggest(name: str) -> str | None:
    """The canonical zone a legacy or misspelled-case name stands for, if there is one."""
    target = _aliases().get(name, name if name in _UTC_LIKE else None)
    if target in _UTC_LIKE:
        return "UTC"
    if target is None:
        folded = {zone.lower(): zone for zone in canonical_zones()}
        return folded.get(name.lower())
    # Links can chain through a zone that is itself not in zone.tab (Etc/UTC → UTC); follow a few.
    for _ in range(4):
        if target in canonical_zones():
            return target
        target = _aliases().get(target, target)
    return target if target in canonical_zones() else None


# Abbreviations people write for a region's time: in the tz database most are fixed offsets with no
# daylight saving (EST is UTC-5 all year, a link to America/Panama), so following the alias silently
# would send at the wrong hour half the year. They are refused, naming the region's zone.
_ABBREVIATIONS = {
    "EST": ("America/New_York", "US Eastern"),
    "EDT": ("America/New_York", "US Eastern"),
    "EST5EDT": ("America/New_York", "US Eastern"),
    "CST": ("America/Chicago", "US Central"),
    "CDT": ("America/Chicago", "US Central"),
    "CST6CDT": ("America/Chicago", "US Central"),
    "MST": ("America/Denver", "US Mountain"),
    "MDT": ("America/Denver", "US Mountain"),
    "MST7MDT": ("America/Denver", "US Mountain"),
    "PST": ("America/Los_Angeles", "US Pacific"),
    "PDT": ("America/Los_Angeles", "US Pacific"),
    "PST8PDT": ("America/Los_Angeles", "US Pacific"),
    "HST": ("Pacific/Honolulu", "Hawaii"),
    "AKST": ("America/Anchorage", "Alaska"),
    "CET": ("Europe/Berlin", "Central European"),
    "CEST": ("Europe/Berlin", "Central European"),
    "MET": ("Europe/Berlin", "Central European"),
    "EET": ("Europe/Athens", "Eastern European"),
    "WET": ("Europe/Lisbon", "Western European"),
    "BST": ("Europe/London", "UK"),
    "IST": ("Asia/Kolkata", "India"),
}
_FIXED_OFFSET = re.compile(r"(?:Etc/)?(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d\d)?\Z", re.IGNORECASE)


def problem(name: str) -> str:
    """Why ``name`` is refused, and what to write instead (for a name that is not canonical)."""
    abbreviation = _ABBREVIATIONS.get(name.upper())
    if abbreviation is not None:
        zone, region = abbreviation
        return (
            f'"{name}" is an abbreviation, not a place (the tz database reads some, such as EST, as a fixed '
            f'offset with no daylight saving: an hour off for half the year); for {region} time use "{zone}"'
        )
    if _FIXED_OFFSET.match(name):
        return (
            f'"{name}" is a fixed offset with no daylight saving: use the zone of the place your recipients '
            'are in, such as "America/New_York" or "Europe/Warsaw"'
        )
    alias, close = suggest(name), close_match(name)
    if alias:
        hint = f'use "{alias}"'
    elif close:
        hint = f'did you mean "{close}"?'
    else:
        hint = 'use a canonical IANA zone such as "Europe/Warsaw"'
    return f'"{name}" is not a time zone Woodpecker accepts: {hint}'


def close_match(name: str) -> str | None:
    """A canonical zone spelled nearly like ``name``: America/NewYork → America/New_York."""

    def folded(zone: str) -> str:
        return re.sub(r"[\s_-]", "", zone).lower()

    zones = sorted(canonical_zones())
    by_fold = {folded(zone): zone for zone in zones}
    if folded(name) in by_fold:
        return by_fold[folded(name)]
    close = difflib.get_close_matches(folded(name), list(by_fold), n=1, cutoff=0.8)
    return by_fold[close[0]] if close else None
