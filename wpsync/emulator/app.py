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

from wpsync.emulator import payload
from wpsync.emulator.checks import add_step_conflicts, create_conflicts
from wpsync.emulator.gate import Gate
from wpsync.emulator.hooks import Hooks
from wpsync.emulator.ratelimit import QUEUE_SIZE, QUEUE_WAIT, Limiter
from wpsync.emulator.runtime import Emulator
from wpsync.emulator.store import STATUSES, Account, Campaign, Store
from wpsync.emulator.validation import validate_add_step, validate_create
from wpsync.emulator.web import (
    Route,
    Router,
    bad_parameter,
    campaign_not_found,
    coded,
    input_failure,
    is_json,
    not_found,
    parse_id,
    parse_json,
    route,
    titled,
    validation_failure,
)

EDITABLE = ("DRAFT", "EDITED")
MAKE_EDITABLE_FROM = ("RUNNING", "PAUSED", "STOPPED", "COMPLETED")


def already_editable(status: str) -> JSONResponse:
    # [assume] The docs do not say what make_editable answers for a campaign that is already editable.
    return coded(
        409, "ALREADY_EDITABLE", "The campaign is already in DRAFT or EDITED status", f"status is {status}"
    )


def unsupported_media_type(request: Request) -> JSONResponse:
    # [assume] The spec requires "Content-type: application/json"; a Spring server answers 415 without it.
    given = request.headers.get("content-type", "none")
    return titled(
        415, "Unsupported Media Type", f"Content-Type {given!r} is not supported; use application/json"
    )


class Api:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def routes(self) -> list[Route]:
        campaign = "/rest/v2/campaigns/{campaign_id}"
        return [
            route("POST", "/rest/v2/campaigns", self.create_campaign),
            route("GET", campaign, self.get_campaign),
            route("POST", f"{campaign}/steps", self.add_step),
            route("POST", f"{campaign}/make_editable", self.make_editable),
            route("POST", f"{campaign}/run", self.run),
            route("POST", f"{campaign}/pause", self.pause),
            route("POST", f"{campaign}/stop", self.stop),
            route("GET", "/rest/v1/campaign_list", self.campaign_list),
            route("GET", "/rest/v2/mailboxes", self.mailboxes),
            route("GET", "/rest/v2/linkedin_accounts", self.linkedin_accounts),
        ]

    def account(self, request: Request) -> Account:
        return self.emulator.store.account(request.scope["wpsync.account"])

    def campaign(self, request: Request) -> Campaign | JSONResponse:
        raw = request.path_params["campaign_id"]
        campaign_id = parse_id(raw)
        if campaign_id is None:
            return bad_parameter("campaign_id", raw)
        # Another account's campaign is as invisible as a missing one.
        found = self.account(request).campaigns.get(campaign_id)
        return campaign_not_found() if found is None else found

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
        campaign = self.campaign(request)
        if isinstance(campaign, JSONResponse) and campaign.status_code == 400:
            return campaign
        if not is_json(request):
            return unsupported_media_type(request)
        body, error = parse_json(await request.body())
        if error:
            problems = [{"field": "body", "detail": error}]
        else:
            problems = [{"field": p.field or "body", "detail": p.detail} for p in validate_add_step(body)]
        if problems:
            return input_failure({"errors": problems})
        if isinstance(campaign, JSONResponse):
            return campaign
        if campaign.status not in EDITABLE:
            return coded(
                409, "NOT_EDITABLE_STATUS", "The campaign must be in DRAFT or EDITED status to be updated"
            )
        valid = cast(dict[str, Any], body)
        last = campaign.steps[-1]
        if valid["parent_id"] != last.id or last.processed > 0:
            return coded(409, "PARENT_BRANCH_NOT_LINKABLE", "Can not link new steps to this parent")
        conflicts = add_step_conflicts(campaign)
        if conflicts:
            return validation_failure("; ".join(conflicts))
        campaign.steps.append(payload.new_step(valid["step"]))
        self.emulator.store.save()
        # [assume] 201, like create: the add-step page lists 201 among its responses.
        return JSONResponse(payload.render(campaign), status_code=201)

    async def get_campaign(self, request: Request) -> Response:
        campaign = self.campaign(request)
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
                # [assume] The per-step shape of stats is ours: Woodpecker documents per-campaign stats
                # here and per-step counts only in a report.
                steps = [{"step_id": s.id, "type": s.type, "processed": s.processed} for s in campaign.steps]
                row["stats"] = {"steps": steps}
            rows.append(row)
        return JSONResponse(rows)

    async def mailboxes(self, request: Request) -> Response:
        boxes = sorted(self.account(request).mailboxes.values(), key=lambda m: m.id)
        return JSONResponse(
            [{"id": m.id, "email": m.email, "type": m.type, "details": {"error": m.error}} for m in boxes]
        )

    async def linkedin_accounts(self, request: Request) -> Response:
        accounts = sorted(self.account(request).linkedin_accounts.values(), key=lambda a: a.id)
        rows = [
            {"id": a.id, "full_name": a.full_name, "session_status": a.session_status, "level": a.level}
            for a in accounts
        ]
        return JSONResponse({"linkedin_accounts": rows})


class EmulatorApp:
    """The ASGI app uvicorn serves: ``/rest`` through the gate, ``/_emulator`` to the hooks."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        api_routes = Api(emulator).routes()
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
) -> EmulatorApp:
    store = Store(api_keys, persist, seed=seed_examples)
    return EmulatorApp(Emulator(store, Limiter(queue_size, queue_wait)))
