"""What a campaign file asks for, reduced to what planning compares: canonical content and hashes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the models are loaded only once a file is parsed; Unchanged files never need them
    from wpsync.models import Campaign, EmailStep

JSON = dict[str, Any]


@dataclass(frozen=True)
class Desired:
    """A parsed, valid campaign file."""

    key: str
    file: str
    digest: str  # sha256 of the file's bytes
    campaign: Campaign
    head: JSON  # canonical name, mailboxes and settings
    head_hash: str
    steps: tuple[JSON, ...]  # canonical step contents, in order
    step_hashes: tuple[str, ...]

    @property
    def step_types(self) -> tuple[str, ...]:
        return tuple(str(step["type"]) for step in self.steps)


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes (and wpsync version) match what was last applied: known equal, never parsed."""

    key: str
    file: str
    digest: str


def canonical_head(campaign: Campaign) -> JSON:
    """Name, mailboxes and settings with every default filled: what the API would report."""
    settings = campaign.settings.model_dump()
    for key in ("open_disabled_list", "auto_pause_prospect_from_domain"):
        if settings[key] == "null":
            settings[key] = None
    return {
        "name": campaign.name,
        "email_account_ids": list(campaign.email_account_ids or []),
        "settings": settings,
    }


def desired_from(key: str, file: str, digest: str, campaign: Campaign) -> Desired:
    from wpsync.payload import canonical_step, content_hash

    steps = tuple(canonical_step(step, campaign.schedules) for step in campaign.steps)
    head = canonical_head(campaign)
    return Desired(
        key=key,
        file=file,
        digest=digest,
        campaign=campaign,
        head=head,
        head_hash=content_hash(head),
        steps=steps,
        step_hashes=tuple(content_hash(step) for step in steps),
    )


def email_step(desired: Desired, index: int) -> EmailStep | None:
    from wpsync.models import EmailStep

    step = desired.campaign.steps[index]
    return step if isinstance(step, EmailStep) else None
