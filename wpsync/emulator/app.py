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

from wpsync.emulator import payload, stats
from wpsync.emulator.checks import add_step_conflicts, create_conflicts, mailbox_conflicts, note_conflict
from wpsync.emulator.gate import Gate
from wpsync.emulator.hooks import Hooks
from wpsync.emulator.ratelimit import QUEUE_SIZE, QUEUE_WAIT, Limiter
from wpsync.emulator.runtime import Emulator
from wpsync.emulator.step_rules import DAYS
from wpsync.emulator.store import STATUSES, Account, Campaign, Step, Store, identity
from wpsync.emulator.validation import (
    validate_add_step,
    validate_create,
    validate_patch_campaign,
    validate_patch_step,
    validate_patch_version,
)
from wpsync.emulator.web import (
    Route,
    Router,
    bad_parameter,
    campaign_in_workflow,
    campaign_not_found,
    coded,
    input_failure,
    is_json,
    not_editable_status,
    not_found,
    parse_id,
    parse_json,
    route,
    step_not_deletable,
    step_not_found,
    titled,
    unsupported_features,
    validation_failure,
    version_not_found,
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
            route("GET", "/rest/v1/me", self.me),
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

    def editable(self, request: Request) -> Campaign | JSONResponse:
        """The campaign if the structure endpoints may show it: 404 if unknown, 409 if built in the app
        with features the API does not support."""
        campaign = self.campaign(request)
        if isinstance(campaign, Campaign) and campaign.unsupported:
            return unsupported_features()
        return campaign

    def changed(self, campaign: Campaign) -> JSONResponse:
        """Save, and answer 200 with the full payload (the documented answer of every PATCH and of
        delete-step)."""
        self.emulator.store.save()
        return JSONResponse(payload.render(campaign))

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
        conflicts = add_step_conflicts(campaign)
        if conflicts:
            return validation_failure("; ".join(conflicts))
        campaign.steps.append(payload.new_step(valid["step"]))
        self.emulator.store.save()
        # [assume] 201, like create: the add-step page lists 201 among its responses.
        return JSONResponse(payload.render(campaign), status_code=201)

    async def get_campaign(self, request: Request) -> Response:
        campaign = self.editable(request)
        return campaign if isinstance(campaign, JSONResponse) else JSONResponse(payload.render(campaign))

    async def patch_campaign(self, request: Request) -> Response:
        found = self.editable(request)
        if isinstance(found, JSONResponse) and found.status_code == 400:
            return found
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        problems = validate_patch_campaign(body)
        if problems:
            return input_failure("; ".join(p.render() for p in problems))
        if isinstance(found, JSONResponse):
            return found
        campaign = found
        ids = body.get("email_account_ids")
        if ids == [] and any(s.type == "EMAIL" for s in campaign.steps):
            return input_failure(
                "email_account_ids: must name at least one mailbox when the campaign has an EMAIL step"
            )
        if campaign.status not in EDITABLE:
            return not_editable_status()
        if ids is not None:
            conflicts = mailbox_conflicts(ids, self.account(request))
            if conflicts:
                return validation_failure("; ".join(conflicts))
            campaign.email_account_ids = list(ids)  # the list replaces the attached set [client]
        if "name" in body:
            campaign.name = body["name"]
        payload.apply_settings(campaign, body.get("settings") or {})
        return self.changed(campaign)

    async def patch_step(self, request: Request) -> Response:
        found = self.editable(request)
        if isinstance(found, JSONResponse) and found.status_code == 400:
            return found
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        problems = validate_patch_step(body)
        if problems:
            return input_failure("; ".join(p.render() for p in problems))
        if isinstance(found, JSONResponse):
            return found
        step = found.step(request.path_params["step_id"])
        if step is None:
            return step_not_found()
        if found.status not in EDITABLE:
            return not_editable_status()
        if step.type != "EMAIL":
            # [assume] 409: the body is valid, the step just has no delivery_time to replace.
            return validation_failure(
                f"step {step.id} is a {step.type} step: only EMAIL steps have a delivery_time"
            )
        windows = body["delivery_time"]
        step.content["delivery_time"] = {day: windows[day] for day in DAYS if day in windows}
        return self.changed(found)

    async def patch_version(self, request: Request) -> Response:
        found = self.editable(request)
        if isinstance(found, JSONResponse) and found.status_code == 400:
            return found
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        if isinstance(found, JSONResponse):
            return found
        campaign = found
        step = campaign.step(request.path_params["step_id"])
        if step is None or step.type == "START":
            return step_not_found()
        versions = step.content["body"].get("versions") or []
        version = next((v for v in versions if v["id"] == request.path_params["version_id"]), None)
        if version is None:
            return version_not_found()
        # The allowed keys depend on the stored step, so this schema check comes after the 404s.
        first_email = first_email_step(campaign) is step
        problems = validate_patch_version(
            body, step.type, action_type=step.content["body"].get("action_type"), first_email=first_email
        )
        if problems:
            return input_failure("; ".join(p.render() for p in problems))
        if campaign.status not in EDITABLE:
            return not_editable_status()
        if step.type == "LINKEDIN" and step.content["body"]["action_type"] == "CONNECTION_REQUEST":
            conflicts = note_conflict(
                self.account(request), step.content["body"]["linkedin_account_id"], body.get("message")
            )
            if conflicts:
                return validation_failure("; ".join(conflicts))
        # Allowed even when the step has processed prospects: only the content changes.
        version.update(body)
        return self.changed(campaign)

    async def delete_step(self, request: Request) -> Response:
        found = self.editable(request)
        if isinstance(found, JSONResponse):
            return found
        campaign = found
        step = campaign.step(request.path_params["step_id"])
        if step is None:
            return step_not_found()
        if campaign.status not in EDITABLE:
            return not_editable_status()
        refusal = delete_step_refusal(campaign, step)
        if refusal:
            return step_not_deletable(refusal)
        # [assume] Any such step may go, not only the last: its followup is relinked to its parent.
        campaign.steps.remove(step)
        return self.changed(campaign)

    async def delete_campaign(self, request: Request) -> Response:
        campaign = self.campaign(request)  # any status, app-built campaigns included
        if isinstance(campaign, JSONResponse):
            return campaign
        if campaign.in_workflow:
            return campaign_in_workflow()
        del self.account(request).campaigns[campaign.id]
        self.emulator.store.save()
        return Response(status_code=200)  # documented: 200, no body

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

    async def me(self, request: Request) -> Response:
        account = request.scope["wpsync.account"]
        found = identity(account)
        hq, _, company = account.partition(":")
        if company:
            found["company_name"] = self.emulator.store.account(hq).companies[int(company)]
        return JSONResponse(found)

    async def mailboxes(self, request: Request) -> Response:
        boxes = sorted(self.account(request).mailboxes.values(), key=lambda m: m.id)
        return JSONResponse([payload.render_mailbox(m) for m in boxes])

    async def linkedin_accounts(self, request: Request) -> Response:
        accounts = sorted(self.account(request).linkedin_accounts.values(), key=lambda a: a.id)
        rows = [
            {"id": a.id, "full_name": a.full_name, "session_status": a.session_status, "level": a.level}
            for a in accounts
        ]
        return JSONResponse({"linkedin_accounts": rows})


def empty_list(form: str) -> Response:
    """An empty v1 list: 200 with a message [client tests], or 204 No Content (the v1 "empty dataset"
    form [doc]); both mean []. Which one a test sees is set per account with a hook."""
    if form == "no_content":
        return Response(status_code=204)
    return JSONResponse({"message": "There are no campaigns."})


def first_email_step(campaign: Campaign) -> Step | None:
    """The step that opens the email thread: its versions need a subject and it cannot be deleted."""
    return next((s for s in campaign.steps if s.type == "EMAIL"), None)


def delete_step_refusal(campaign: Campaign, step: Step) -> str | None:
    """Why the step may not be deleted, or None. [doc] "You can delete EMAIL steps that haven't processed
    any prospects and are not the first EMAIL step"."""
    if step.type != "EMAIL":
        return f"step {step.id} is a {step.type} step: only EMAIL steps can be deleted"
    if first_email_step(campaign) is step:
        return f"step {step.id} is the campaign's first EMAIL step"
    if step.processed > 0:
        return f"step {step.id} has processed {step.processed} prospects"
    return None


async def _json_body(request: Request) -> Any:
    """An edit call's body as parsed JSON (any type: the validators judge it), or the 415/400 Response."""
    if not is_json(request):
        return unsupported_media_type(request)
    body, error = parse_json(await request.body())
    if error:
        return input_failure(error)
    return body


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
    latency: float = 0.0,
) -> EmulatorApp:
    store = Store(api_keys, persist, seed=seed_examples)
    return EmulatorApp(Emulator(store, Limiter(queue_size, queue_wait), default_latency=latency))
