"""The API routes under ``/rest``, and the root ASGI app that joins them with the test hooks.

Order of checks inside a route follows a typical Spring service, which is what the error bodies
suggest Woodpecker is: path parameter (400), then body schema (400), then the campaign (404), then its
status and the parent step (409), then account data (409), and only then a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from wpsync.emulator import payload, prospects, stats
from wpsync.emulator.agency import AgencyRoutes
from wpsync.emulator.checks import add_step_conflicts, create_conflicts
from wpsync.emulator.edit_routes import EditRoutes
from wpsync.emulator.gate import Gate
from wpsync.emulator.hooks import Hooks
from wpsync.emulator.ratelimit import QUEUE_SIZE, QUEUE_WAIT, Limiter
from wpsync.emulator.routes import (
    EDITABLE,
    MAKE_EDITABLE_FROM,
    already_editable,
    unsupported_media_type,
)
from wpsync.emulator.runtime import Emulator
from wpsync.emulator.store import SESSION_STATUSES, STATUSES, Campaign, Store, identity
from wpsync.emulator.validation import (
    validate_add_step,
    validate_create,
)
from wpsync.emulator.web import (
    Route,
    Router,
    bad_parameter,
    coded,
    input_failure,
    is_json,
    not_editable_status,
    not_found,
    parse_id,
    parse_json,
    route,
    validation_failure,
)


class Api(EditRoutes):
    def routes(self) -> list[Route]:
        campaign = "/rest/v2/campaigns/{campaign_id}"
        step = f"{campaign}/steps/{{step_id}}"
        return [
            route("POST", "/rest/v2/campaigns", self.create_campaign),
            route("GET", campaign, self.get_campaign),
            route("PATCH", campaign, self.patch_campaign),
            route("DELETE", campaign, self.delete_campaign),
            route("POST", f"{campaign}/steps", self.add_step),
            route("PATCH", step, self.patch_step),
            route("DELETE", step, self.delete_step),
            route("PATCH", f"{step}/versions/{{version_id}}", self.patch_version),
            route("POST", f"{campaign}/make_editable", self.make_editable),
            route("POST", f"{campaign}/run", self.run),
            route("POST", f"{campaign}/pause", self.pause),
            route("POST", f"{campaign}/stop", self.stop),
            route("GET", "/rest/v1/campaign_list", self.campaign_list),
            route("GET", "/rest/v1/prospects", self.prospects),
            route("GET", "/rest/v1/me", self.me),
            route("GET", "/rest/v2/users", self.users),
            route("GET", "/rest/v2/mailboxes", self.mailboxes),
            route("GET", "/rest/v2/linkedin_accounts", self.linkedin_accounts),
        ]

    async def create_campaign(self, request: Request) -> Response:
        if not is_json(request):
            return unsupported_media_type(request)
        body, error = parse_json(await request.body())
        if error:
            return input_failure(error)
        problems = validate_create(body)
        if problems:
            return input_failure("; ".join(p.render() for p in problems))
        valid = cast(dict[str, Any], body)
        account = self.account(request)
        conflicts = create_conflicts(valid, account)
        if conflicts:
            return validation_failure("; ".join(conflicts))
        created = payload.new_campaign(self.emulator.store.new_campaign_id(), valid)
        account.campaigns[created.id] = created
        self.emulator.store.save()
        return JSONResponse(payload.render(created), status_code=201)

    async def add_step(self, request: Request) -> Response:
        campaign = self.editable(request)
        if isinstance(campaign, JSONResponse) and campaign.status_code == 400:
            return campaign
        if not is_json(request):
            return unsupported_media_type(request)
        body, error = parse_json(await request.body())
        if error:
            problems = [{"field": "body", "detail": error}]
        else:
            problems = [{"field": p.field or "body", "detail": p.detail} for p in validate_add_step(body)]
        controls = self.emulator.controls_for(request.scope["wpsync.account"])
        step = cast(dict[str, Any], body)["step"] if not problems else {}
        if not controls.linkedin_append and step.get("type") == "LINKEDIN":
            # An account whose add-step takes EMAIL only, as the older spec page says (a test hook).
            problems = [{"field": "step.type", "detail": "must be EMAIL: only EMAIL steps can be added"}]
        if problems:
            return input_failure({"errors": problems})
        if isinstance(campaign, JSONResponse):
            return campaign
        if campaign.status not in EDITABLE:
            return not_editable_status()
        valid = cast(dict[str, Any], body)
        last = campaign.steps[-1]
        if valid["parent_id"] != last.id or last.processed > 0:
            return coded(409, "PARENT_BRANCH_NOT_LINKABLE", "Can not link new steps to this parent")
        conflicts = add_step_conflicts(campaign, valid["step"], self.account(request))
        if conflicts:
            return validation_failure("; ".join(conflicts))
        campaign.steps.append(payload.new_step(valid["step"]))
        self.emulator.store.save()
        # [assume] 201, like create: the add-step page lists 201 among its responses.
        return JSONResponse(payload.render(campaign), status_code=201)

    async def get_campaign(self, request: Request) -> Response:
        campaign = self.editable(request)
        return campaign if isinstance(campaign, JSONResponse) else JSONResponse(payload.render(campaign))

    async def make_editable(self, request: Request) -> Response:
        campaign = self.campaign(request)
        if isinstance(campaign, JSONResponse):
            return campaign
        if campaign.status not in MAKE_EDITABLE_FROM:
            return already_editable(campaign.status)
        return self._set_status(campaign, "EDITED")

    async def run(self, request: Request) -> Response:
        return self._transition(request, "RUNNING")

    async def pause(self, request: Request) -> Response:
        return self._transition(request, "PAUSED")

    async def stop(self, request: Request) -> Response:
        return self._transition(request, "STOPPED")

    def _transition(self, request: Request, status: str) -> Response:
        # No transition rules are documented for run / pause / stop, so none are enforced.
        campaign = self.campaign(request)
        return campaign if isinstance(campaign, JSONResponse) else self._set_status(campaign, status)

    def _set_status(self, campaign: Campaign, status: str) -> Response:
        campaign.status = status
        self.emulator.store.save()
        return Response(status_code=200)  # documented: 200 with no body

    async def campaign_list(self, request: Request) -> Response:
        query = request.query_params
        statuses = [s.strip() for s in query.get("status", "").split(",") if s.strip()]
        if any(s not in STATUSES for s in statuses):
            return bad_parameter("status", query["status"])
        wanted = parse_id(query["id"]) if "id" in query else None
        if "id" in query and wanted is None:
            return bad_parameter("id", query["id"])
        rows = []
        for campaign in sorted(self.account(request).campaigns.values(), key=lambda c: c.id):
            if (statuses and campaign.status not in statuses) or (
                wanted is not None and campaign.id != wanted
            ):
                continue
            row: dict[str, Any] = {"id": campaign.id, "name": campaign.name, "status": campaign.status}
            if wanted is not None:
                row["stats"] = stats.stats(campaign)
                if not stats.EMAILS_INSIDE_STATS:
                    row["emails"] = stats.email_entries(campaign)
            rows.append(row)
        if not rows:
            return empty_list(self.emulator.controls_for(request.scope["wpsync.account"]).empty_list)
        return JSONResponse(rows)

    async def prospects(self, request: Request) -> Response:
        controls = self.emulator.controls_for(request.scope["wpsync.account"])
        return prospects.prospects(
            request, self.account(request), controls.empty_list, controls.prospects_total
        )

    async def me(self, request: Request) -> Response:
        account = request.scope["wpsync.account"]
        found = identity(account)
        hq, _, company = account.partition(":")
        if company:
            found["company_name"] = self.emulator.store.account(hq).companies[int(company)]
        return JSONResponse(found)

    async def users(self, request: Request) -> Response:
        """[client, newer] The account's users, paged with ``content`` and ``pagination_data``, page from
        0. [assume] One user (the key's, as /v1/me names it: id and email, no company id), ``?page=``
        and ``?size=`` (default 20); a page past the end has an empty ``content``."""
        query = request.query_params
        page, size = parse_id(query.get("page", "0") or "x"), parse_id(query.get("size", "20") or "x")
        if page is None:
            return bad_parameter("page", query["page"])
        if not size:
            return bad_parameter("size", query["size"])
        me = identity(request.scope["wpsync.account"])
        users = [{"id": me["id"], "email": me["email"], "role": "OWNER"}]
        return JSONResponse(
            {
                "content": users[page * size : (page + 1) * size],
                "pagination_data": {
                    "page": page,
                    "size": size,
                    "total_elements": len(users),
                    "total_pages": -(-len(users) // size),
                },
            }
        )

    async def mailboxes(self, request: Request) -> Response:
        boxes = sorted(self.account(request).mailboxes.values(), key=lambda m: m.id)
        return JSONResponse([payload.render_mailbox(m) for m in boxes])

    async def linkedin_accounts(self, request: Request) -> Response:
        # [doc, newer] ``?status=`` filters by session status; [assume] one status or a comma list, as
        # campaign_list's filter, and an unknown one is a 400.
        wanted = [s.strip() for s in request.query_params.get("status", "").split(",") if s.strip()]
        if any(s not in SESSION_STATUSES for s in wanted):
            return bad_parameter("status", request.query_params["status"])
        accounts = sorted(self.account(request).linkedin_accounts.values(), key=lambda a: a.id)
        rows = [a.render() for a in accounts if not wanted or a.session_status in wanted]
        return JSONResponse({"linkedin_accounts": rows})


def empty_list(form: str) -> Response:
    """An empty v1 list: 200 with a message [client tests], or 204 No Content (the v1 "empty dataset"
    form [doc]); both mean []. Which one a test sees is set per account with a hook."""
    if form == "no_content":
        return Response(status_code=204)
    return JSONResponse({"message": "There are no campaigns."})


class EmulatorApp:
    """The ASGI app uvicorn serves: ``/rest`` through the gate, ``/_emulator`` to the hooks."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        api_routes = Api(emulator).routes() + AgencyRoutes(emulator).routes()
        self._api = Gate(emulator, Router(api_routes))
        self._hooks = Hooks(emulator)
        self.routes: list[Route] = [*api_routes, *self._hooks.router.routes]  # for docs and tests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # uvicorn runs with lifespan off and no websockets; nothing else arrives
        path = scope["path"]
        if path == "/rest" or path.startswith("/rest/"):
            await self._api(scope, receive, send)
        elif path.startswith("/_emulator/"):
            await self._hooks(scope, receive, send)
        else:
            await not_found()(scope, receive, send)


def create_app(
    api_keys: Sequence[str],
    persist: Path | None = None,
    seed_examples: bool = False,
    queue_size: int = QUEUE_SIZE,
    queue_wait: float = QUEUE_WAIT,
    latency: float = 0.0,
    seed_sample: bool = False,
) -> EmulatorApp:
    store = Store(api_keys, persist, seed=seed_examples, sample=seed_sample)
    return EmulatorApp(Emulator(store, Limiter(queue_size, queue_wait), default_latency=latency))
