"""``GET /v1/prospects?campaigns_id=ID&page=P&per_page=N``: a campaign's prospects, a page at a time.

What api-notes.md ("Newer evidence") knows: ``page`` from 1, ``per_page`` default 100 and at most 1000,
the total in the ``X-Total-Count`` header, an empty result as 204 or a ``{"message": …}`` body [doc +
client]. The emulator holds no prospect records: a campaign has as many as its stats say
(``campaign_stats``: derived from the processed counts, or set with the stats hook), and each page
lists stand-ins for them. Which empty form an account sees follows its ``empty_list`` control; a test
can make the header go missing (``prospects_total``), as a client must survive that too.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from wpsync.emulator.stats import campaign_stats
from wpsync.emulator.store import Account
from wpsync.emulator.web import bad_parameter, parse_id

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
PROSPECTS_TOTAL_FORMS = ("header", "no_header")


def prospects(request: Request, account: Account, empty_form: str, total_form: str) -> Response:
    query = request.query_params
    numbers: dict[str, int] = {}
    for name, default in (("page", 1), ("per_page", DEFAULT_PER_PAGE)):
        raw = query.get(name, str(default))
        value = parse_id(raw)
        if value is None or value < 1 or (name == "per_page" and value > MAX_PER_PAGE):
            return bad_parameter(name, raw)
        numbers[name] = value
    wanted = parse_id(query["campaigns_id"]) if "campaigns_id" in query else None
    if "campaigns_id" in query and wanted is None:
        return bad_parameter("campaigns_id", query["campaigns_id"])
    campaigns = [c for c in account.campaigns.values() if wanted is None or c.id == wanted]
    # [assume] an unknown campaign id is an empty dataset, as any v1 filter that matches nothing.
    counts = [(c.id, campaign_stats(c)["prospects"]) for c in sorted(campaigns, key=lambda c: c.id)]
    total = sum(count for _, count in counts)
    start = (numbers["page"] - 1) * numbers["per_page"]
    page: list[dict[str, Any]] = []
    for campaign_id, count in counts:  # only the page is built: a campaign may say it has a million
        if start >= count:
            start -= count
            continue
        for number in range(start + 1, count + 1):
            if len(page) == numbers["per_page"]:
                break
            page.append(_stand_in(campaign_id, number))
        start = 0
    headers = {"X-Total-Count": str(total)} if total_form == "header" else {}
    if not page:
        if empty_form == "no_content":
            return Response(status_code=204, headers=headers)
        return JSONResponse({"message": "There are no prospects."}, headers=headers)
    return JSONResponse(page, headers=headers)


def _stand_in(campaign_id: int, number: int) -> dict[str, Any]:
    return {
        "id": campaign_id * 100_000 + number,
        "email": f"prospect{number}@campaign{campaign_id}.example",
        "status": "ACTIVE",
        "campaigns": [{"campaign_id": campaign_id}],
    }
