"""Which time zone names a campaign may use.

Woodpecker accepts a curated list of canonical IANA names, not legacy aliases such as ``US/Eastern``.
The closest public list is the tz database's own ``zone.tab`` (one canonical zone per populated region),
read from the ``tzdata`` package so the answer does not depend on the host's zoneinfo. ``UTC`` is added:
it is not a region, but every scheduler accepts it. Aliases (``L`` lines in ``tzdata.zi``) are refused
with the canonical name to use instead. This is an [assume] of api-notes.md: change it here only.
"""

from __future__ import annotations

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
