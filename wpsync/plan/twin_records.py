"""Two records for one campaign id: a damaged state, planned as nothing but a refusal with the way out.

A kill between writing a moved record and removing the old one (a rename, `wpsync state mv`) leaves
two keys holding one campaign. Planned as usual, each later rename matches both orphans and becomes a
create, and the "no file any more" note advises `wpsync destroy` of a campaign the other key still
manages. So every key sharing the campaign, and every new file that looks like it (same content, or
the same name), is left out of the plan and one refusal says which record to forget — never a create,
never destroy advice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wpsync.plan.desired import Desired, Unchanged
from wpsync.plan.plan import Refusal
from wpsync.state.records import Applied, CampaignRecord


@dataclass(frozen=True)
class Twins:
    blocked: frozenset[str] = frozenset()  # keys (records, and new files like them) not planned
    refusals: tuple[Refusal, ...] = ()


def twin_records(
    files: Sequence[Desired | Unchanged],
    records: Mapping[str, CampaignRecord],
    applied: Mapping[str, Applied],
    on_disk: set[str],
) -> Twins:
    by_id: dict[int, list[str]] = {}
    for key, campaign_id in sorted(_campaign_ids(records).items()):
        by_id.setdefault(campaign_id, []).append(key)
    groups = {cid: keys for cid, keys in sorted(by_id.items()) if len(keys) > 1}
    if not groups:
        return Twins()
    paths = {f.key: f.file for f in files}
    blocked: set[str] = set()
    refusals: list[Refusal] = []
    for cid, keys in groups.items():
        names = {str(applied[k].head.get("name")) for k in keys if k in applied}
        contents = {(records[k].head_hash, tuple(s.hash for s in records[k].content_steps)) for k in keys}
        alike = sorted(
            f.key
            for f in files
            if isinstance(f, Desired)
            and f.key not in records
            and ((f.head_hash, f.step_hashes) in contents or str(f.head.get("name")) in names)
        )
        blocked.update(keys, alike)
        with_file = [k for k in keys if k in on_disk]
        listed = ", ".join(keys)
        also = (
            f"; {', '.join(alike)} (no record, but like that campaign) is not created either" if alike else ""
        )
        reason = (
            f"campaign {cid} is recorded under {len(keys)} keys ({listed}) — what a run killed while "
            f"moving a record leaves; none of them is planned until one record is left{also}"
        )
        if len(with_file) == 1:
            extra = [k for k in keys if k != with_file[0]]
            way_out = (
                " and ".join(f"`wpsync forget {k}`" for k in extra)
                + f" (its file is gone; Woodpecker is not touched): {with_file[0]} keeps campaign {cid}"
            )
        elif with_file:
            way_out = (
                f"two files manage one campaign: remove all but one of {', '.join(paths[k] for k in with_file)}, "
                "then `wpsync forget` each removed file's key (Woodpecker is not touched)"
            )
        else:
            way_out = (
                f"`wpsync forget` all but one of {listed} (Woodpecker is not touched), then plan again: "
                "a renamed file is then found as a rename"
            )
        where = paths.get(with_file[0], "") if with_file else ""
        refusals.append(Refusal(keys[0], where, "state_duplicate", None, reason, way_out))
    return Twins(frozenset(blocked), tuple(refusals))


def _campaign_ids(records: Mapping[str, CampaignRecord]) -> dict[str, int]:
    """Each record's campaign id — from the state's index when it has one (``Records.campaign_ids``),
    so that a plan of unchanged campaigns reads no record just to look for twins."""
    cheap = getattr(records, "campaign_ids", None)
    if callable(cheap):
        found: dict[str, int] = cheap()
        return found
    return {key: record.campaign_id for key, record in records.items()}
