"""An agency (HQ) key's client companies: ``GET /v2/agency/companies`` (api-notes.md, "Newer evidence").

``{"content": [{"id", "name", "owner", "active", "running_campaigns", "email_slots", "linkedin_slots"}],
"pagination_data": …}``, ``page`` from 1, 50 a page; without the Agency add-on a 403. The keys of
``pagination_data`` are not documented, so pages are read until one is not full.
"""

from __future__ import annotations

from dataclasses import dataclass

from wpsync.errors import ApiErrorInfo
from wpsync.woodpecker.client import WoodpeckerClient
from wpsync.woodpecker.errors import WoodpeckerApiError

PER_PAGE = 50
MAX_PAGES = 200  # 10,000 companies: a bound, so a server that never sends a short page cannot loop us


@dataclass(frozen=True)
class Company:
    id: int
    name: str
    active: bool | None = None
    running_campaigns: int | None = None
    email_slots: int | None = None
    linkedin_slots: int | None = None


def companies(client: WoodpeckerClient) -> list[Company]:
    """Every client company of the client's (HQ) key, in the order Woodpecker lists them."""
    found: list[Company] = []
    for page in range(1, MAX_PAGES + 1):
        answer = client.agency_page(page)
        content = answer.get("content") if isinstance(answer, dict) else None
        if not isinstance(content, list):
            raise WoodpeckerApiError(
                ApiErrorInfo(status=200, message="no 'content' array"),
                "Woodpecker answered GET /v2/agency/companies without a 'content' array — check "
                "WOODPECKER_API_URL points at the Woodpecker REST API (…/rest)",
                method="GET",
                path="/v2/agency/companies",
                maybe_committed=False,
            )
        found.extend(_company(item) for item in content if isinstance(item, dict) and _is_id(item.get("id")))
        if len(content) < PER_PAGE:
            break
    return found


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _company(item: dict[str, object]) -> Company:
    company_id = item["id"]
    assert isinstance(company_id, int)
    name = item.get("name")
    active = item.get("active")
    return Company(
        company_id,
        name if isinstance(name, str) else "",
        active if isinstance(active, bool) else None,
        _count(item.get("running_campaigns")),
        _count(item.get("email_slots")),
        _count(item.get("linkedin_slots")),
    )
