"""What a campaign file asks for, reduced to what planning compares: canonical content and hashes.

Memory matters here: a plan creating 10,000 campaigns holds 10,000 of these. A campaign the state
already records keeps its model and canonical steps (an append or an explanation needs them); a new
one keeps only its create body as compact JSON text, plus hashes and the few facts the plan checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the models are loaded only once a file is parsed; Unchanged files never need them
    from wpsync.files.models import Campaign, EmailStep, Settings

JSON = dict[str, Any]


@dataclass(frozen=True)
class LinkedInUse:
    """What the plan checks of a LINKEDIN step against the account's LinkedIn accounts."""

    index: int  # 0-based step index
    account_id: int
    action_type: str
    longest_note: int


@dataclass(frozen=True)
class Desired:
    """A parsed, valid campaign file."""

    key: str
    file: str
    digest: str  # sha256 of the file's bytes
    head: JSON  # canonical name, mailboxes and settings
    head_hash: str
    step_hashes: tuple[str, ...]
    step_types: tuple[str, ...]
    linkedin: tuple[LinkedInUse, ...]
    campaign: Campaign | None = None  # kept for a recorded campaign only
    steps: tuple[JSON, ...] = ()  # canonical step contents, in order; recorded campaigns only
    create_packed: bytes = b""  # the compact create body, packed (actions.pack); new campaigns only
    status: str | None = None  # the status the file asks for (None: left as Woodpecker has it)
    make_editable: bool | None = None  # the file's own live-edit policy (None: wpsync.toml's)
    allow_duplicate_name: bool = False  # the file says: create it even if one like it exists


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes (and wpsync version) match what was last applied: known equal, never parsed."""

    key: str
    file: str
    digest: str
    serial: int | None = None  # the record's, when gather knew it without reading the record


def canonical_head(campaign: Campaign) -> JSON:
    """Name, mailboxes and settings with every default filled: what the API would report."""
    return {
        "name": campaign.name,
        "email_account_ids": list(campaign.email_account_ids or []),
        "settings": canonical_settings(campaign.settings),
    }


def canonical_settings(model: Settings) -> JSON:
    settings = model.model_dump()
    for key in ("open_disabled_list", "auto_pause_prospect_from_domain"):
        if settings[key] == "null":
            settings[key] = None
    return settings


def desired_from(key: str, file: str, digest: str, campaign: Campaign, *, recorded: bool) -> Desired:
    from wpsync.files.to_api import canonical_step, compact_json, content_hash, create_body
    from wpsync.plan.actions import pack

    steps = tuple(canonical_step(step, campaign.schedules) for step in campaign.steps)
    head = canonical_head(campaign)
    linkedin = tuple(
        LinkedInUse(
            index,
            step["linkedin_account_id"],
            step["action_type"],
            max((len(v["message"] or "") for v in step["versions"] or []), default=0),
        )
        for index, step in enumerate(steps)
        if step["type"] == "LINKEDIN"
    )
    return Desired(
        key=key,
        file=file,
        digest=digest,
        head=head,
        head_hash=content_hash(head),
        step_hashes=tuple(content_hash(step) for step in steps),
        step_types=tuple(str(step["type"]) for step in steps),
        linkedin=linkedin,
        campaign=campaign if recorded else None,
        steps=steps if recorded else (),
        create_packed=b"" if recorded else pack(compact_json(create_body(campaign))),
        status=campaign.status,
        make_editable=campaign.make_editable,
        allow_duplicate_name=campaign.allow_duplicate_name,
    )


def email_step(desired: Desired, index: int) -> EmailStep | None:
    from wpsync.files.models import EmailStep

    assert desired.campaign is not None, "appends are planned for recorded campaigns only"
    step = desired.campaign.steps[index]
    return step if isinstance(step, EmailStep) else None
