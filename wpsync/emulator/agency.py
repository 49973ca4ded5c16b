"""``GET /v2/agency/companies``: the client companies of an agency (HQ) account.

From api-notes.md, "Newer evidence" [doc + client]: ``{"content": [{"id", "name", "owner", "active",
"running_campaigns", "email_slots", "linkedin_slots"}], "pagination_data": …}``, ``page`` from 1, 50
a page; an account without the Agency add-on gets "403 No Agency addon".

[assume] Which accounts have the add-on is not something the API tells: here, an account that has
registered a client company (``POST /_emulator/companies``). A request acting for a client company
(``x-company-id``) is that company's, which is no agency. The 403 body is in the gateway shape
(title/detail), the keys of ``pagination_data`` (``page``, ``per_page``, ``total_elements``,
``total_pages``) and ``owner`` (an address) are guessed: wpsync reads neither, it pages until a page
is not full.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from wpsync.emulator.routes import Routes
from wpsync.emulator.store import company_account
from wpsync.emulator.web import Route, bad_parameter, parse_id, route, titled

PER_PAGE = 50


class AgencyRoutes(Routes):
    def routes(self) -> list[Route]:
        return [route("GET", "/rest/v2/agency/companies", self.companies)]

    async def companies(self, request: Request) -> Response:
        acting = request.scope["wpsync.account"]
        raw = request.query_params.get("page", "1")
        page = parse_id(raw)
        if page is None or page < 1:
            return bad_parameter("page", raw)
        registered = self.emulator.store.account(acting).companies
        if ":" in acting or not registered:
            return titled(403, "Forbidden", "No Agency addon")
        ids = sorted(registered)
        rows = []
        for company_id in ids[(page - 1) * PER_PAGE : page * PER_PAGE]:
            company = self.emulator.store.account(company_account(acting, company_id))
            rows.append(
                {
                    "id": company_id,
                    "name": registered[company_id],
                    "owner": f"owner-{company_id}@example.com",
                    "active": True,
                    "running_campaigns": sum(c.status == "RUNNING" for c in company.campaigns.values()),
                    "email_slots": sum(m.type == "SMTP" for m in company.mailboxes.values()),
                    "linkedin_slots": len(company.linkedin_accounts),
                }
            )
        pages = max(1, -(-len(ids) // PER_PAGE))
        pagination = {"page": page, "per_page": PER_PAGE, "total_elements": len(ids), "total_pages": pages}
        return JSONResponse({"content": rows, "pagination_data": pagination})
