"""The Woodpecker REST API client: one typed method per call wpsync makes.

    method                         HTTP                                        returns
    -----------------------------  ------------------------------------------  -------------------------
    create_campaign(body)          POST /v2/campaigns                    201   the full campaign payload
    add_step(id, body)             POST /v2/campaigns/{id}/steps     200/201   the full campaign payload
    get_campaign(id)               GET  /v2/campaigns/{id}                     the full campaign payload
    make_editable(id)              POST /v2/campaigns/{id}/make_editable       None  (-> EDITED)
    run(id) / pause(id) / stop(id)  POST /v2/campaigns/{id}/run|pause|stop      None
    list_campaigns(status=None)    GET  /v1/campaign_list[?status=A,B]         list of campaigns
    campaign_item(id)              GET  /v1/campaign_list?id={id}              that campaign's entry, stats
    prospect_count(id)             GET  /v1/prospects?campaigns_id={id}&per_page=1   X-Total-Count, or None
    update_campaign(id, patch)     PATCH /v2/campaigns/{id}                    the full campaign payload
    update_step(id, step, body)    PATCH /v2/campaigns/{id}/steps/{step}       the full campaign payload
    update_version(id, s, v, p)    PATCH …/steps/{step}/versions/{version}     the full campaign payload
    delete_step(id, step)          DELETE /v2/campaigns/{id}/steps/{step}      the full campaign payload
    delete_campaign(id)            DELETE /v2/campaigns/{id}                   None
    me()                           GET  /v1/me                                 the key's user/company
    users()                        GET  /v2/users?page=0                       the account's users
    mailboxes()                    GET  /v2/mailboxes                          bare array
    linkedin_accounts()            GET  /v2/linkedin_accounts                  ["linkedin_accounts"]
    agency_page(n)                 GET  /v2/agency/companies?page=N (from 1)   an HQ key's clients, JSON

Every call holds the API key's process-wide lock while it is on the wire (Woodpecker serves one request
per account at a time; with ``company_id`` — an agency's HQ key acting for a client company through
``x-company-id`` — the lock is that company's, since each company is its own account) and has connect/read/write/pool timeouts. Failures raise ``WoodpeckerApiError``
(an ``ApiError``: status, code, message, details, field errors, and a one-line summary saying what to
do) or ``WoodpeckerUnreachable`` (an ``ApiUnreachable``: no HTTP answer at all).

Retry rule — and the seam for settling a POST:

    answer                          GET                         POST
    ------------------------------  --------------------------  ----------------------------------------
    429                             back off and resend         back off and resend: the rate limiter
                                                                drops it before processing
    5xx                             back off and resend         raise, maybe_committed=True
    connect refused / timed out     back off and resend         raise, maybe_committed=False (not sent)
    read/write timeout, dropped     back off and resend         raise, maybe_committed=True
    other 4xx                       raise                       raise, maybe_committed=False

``maybe_committed`` (on both exception classes; ``client_errors.maybe_committed(exc)`` reads it from
any exception) is True only when a POST may have taken effect. The caller must then look before
resending — GET the campaign, find it or the step — so a lost answer never creates a duplicate.
Back-off is capped exponential with full jitter, bounded in attempts and total time (``RetryPolicy``).

The key is never in a URL, an exception, a log record or a repr: see ``wpsync.transport``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from wpsync import __version__
from wpsync.bounded import json_loads
from wpsync.errors import API_KEY_ENV, ApiErrorInfo, InputError, register_secret
from wpsync.limits import DEFAULT_REQUEST_DEADLINE, MAX_ANSWER, MAX_ANSWER_NESTING
from wpsync.woodpecker.config import API_URL_ENV, DEFAULT_BASE_URL, api_key_problem, base_url_problem
from wpsync.woodpecker.deadline import deadline_transport
from wpsync.woodpecker.errors import (
    WoodpeckerApiError,
    WoodpeckerUnreachable,
    bad_success_body,
    maybe_committed,
)
from wpsync.woodpecker.path_ids import campaign_id_in_path, id_in_path
from wpsync.woodpecker.stats import total_count
from wpsync.woodpecker.transport import (
    COMPANY_HEADER,
    ApiKeyAuth,
    RetryPolicy,
    Secret,
    Sender,
    fingerprint,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "RetryPolicy",
    "WoodpeckerApiError",
    "WoodpeckerClient",
    "WoodpeckerUnreachable",
    "maybe_committed",
]

JsonObject = dict[str, Any]
# Read must outlast Woodpecker's 15 s queue: a queued request is slow, not lost.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=40.0, write=20.0, pool=10.0)


class WoodpeckerClient:
    """A synchronous Woodpecker client for one API key; use it as a context manager."""

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        deadline: float = DEFAULT_REQUEST_DEADLINE,
        max_answer: int = MAX_ANSWER,
        allow_http: bool = False,
        company_id: int | None = None,
    ) -> None:
        key = (api_key or "").strip()
        register_secret(key)
        wrong = api_key_problem(key)
        if wrong:
            raise InputError(f"the API key ({API_KEY_ENV} or --api-key-file) {wrong}")
        base_url = base_url.rstrip("/")
        wrong = base_url_problem(base_url, allow_http=allow_http)
        if wrong:
            raise InputError(wrong)
        self._secret = Secret(key)
        self._fingerprint = fingerprint(self._secret.reveal())
        self.base_url = base_url
        if company_id is not None and (isinstance(company_id, bool) or not isinstance(company_id, int)):
            raise TypeError(f"company_id must be an int, not {company_id!r}")
        # An agency (HQ) key acting for one client company: every request says which (not a secret).
        self.company_id = company_id
        headers = {"user-agent": f"wpsync/{__version__}", "accept": "application/json"}
        if company_id is not None:
            headers[COMPANY_HEADER] = str(company_id)
        self._http = httpx.Client(
            base_url=base_url,
            auth=ApiKeyAuth(self._secret),
            timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
            transport=transport or deadline_transport(plain_http=urlsplit(base_url).scheme == "http"),
            headers=headers,
            follow_redirects=False,  # a redirect would be a wrong base URL; say so, do not follow
        )
        self._sender = Sender(
            self._http,
            self._secret,
            retry or RetryPolicy(),
            sleep,
            clock,
            rng,
            deadline,
            max_answer,
            company_id=company_id,
        )

    def __repr__(self) -> str:
        company = "" if self.company_id is None else f", company_id={self.company_id}"
        return f"WoodpeckerClient(base_url={self.base_url!r}, key=sha256:{self._fingerprint}{company})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- campaigns (v2) ---------------------------------------------------------------------------

    def create_campaign(self, body: Mapping[str, Any]) -> JsonObject:
        name = body.get("name")
        subject = f"campaign {name!r}" if isinstance(name, str) else "the new campaign"
        return self._object("POST", "/v2/campaigns", subject, body=dict(body))

    def add_step(self, campaign_id: int, body: Mapping[str, Any]) -> JsonObject:
        cid = campaign_id_in_path(campaign_id)
        return self._object("POST", f"/v2/campaigns/{cid}/steps", f"campaign {cid}", body=dict(body))

    def get_campaign(self, campaign_id: int) -> JsonObject:
        cid = campaign_id_in_path(campaign_id)
        return self._object("GET", f"/v2/campaigns/{cid}", f"campaign {cid}")

    def make_editable(self, campaign_id: int) -> None:
        self._transition(campaign_id, "make_editable")

    def run(self, campaign_id: int) -> None:
        self._transition(campaign_id, "run")

    def pause(self, campaign_id: int) -> None:
        self._transition(campaign_id, "pause")

    def stop(self, campaign_id: int) -> None:
        self._transition(campaign_id, "stop")

    # -- campaign list and statistics (v1) --------------------------------------------------------

    def list_campaigns(self, status: Sequence[str] | None = None) -> list[JsonObject]:
        """All campaigns (no paging), or those in any of ``status`` (e.g. ["RUNNING", "DRAFT"])."""
        params = {"status": ",".join(status)} if status else None
        return self._list("/v1/campaign_list", "the campaign list", params=params)

    def campaign_item(self, campaign_id: int) -> JsonObject:
        """The campaign's entry in ``GET /v1/campaign_list?id=ID``, with its ``stats``: read it with
        ``wpsync.woodpecker.stats``, which alone knows (and doubts) the shape."""
        cid = campaign_id_in_path(campaign_id)
        path = "/v1/campaign_list"
        items = self._list(path, f"campaign {cid}", params={"id": str(cid)})
        found = [c for c in items if c.get("id") == cid] or items[:1]
        if not found:
            info = ApiErrorInfo(
                status=404,
                code="CAMPAIGN_NOT_EXIST",
                message="Campaign not found",
                details=f"GET {path}?id={cid} listed no campaign",
            )
            raise WoodpeckerApiError(
                info,
                f"campaign {cid} does not exist in Woodpecker (not in the campaign list)"
                f" — check the campaign id, and that {API_KEY_ENV} belongs to the account that owns it",
                method="GET",
                path=path,
                maybe_committed=False,
            )
        return found[0]

    def prospect_count(self, campaign_id: int) -> int | None:
        """How many prospects the campaign has: ``X-Total-Count`` of ``GET /v1/prospects?campaigns_id=ID``
        with one prospect a page (api-notes.md, "Newer evidence"). An empty answer (204, or 200 with a
        ``{"message"}``, or ``[]``) is 0; prospects without a readable header are None: unknown."""
        cid = campaign_id_in_path(campaign_id)
        params = {"campaigns_id": str(cid), "page": "1", "per_page": "1"}
        response = self._sender.send(
            "GET", "/v1/prospects", subject=f"campaign {cid}'s prospects", params=params
        )
        total = total_count(response.headers.get("x-total-count"))
        if response.status_code == 204 or not response.content.strip():
            return 0 if total is None else total
        try:
            data = json_loads(response.content, "the answer", MAX_ANSWER_NESTING)
        except ValueError:
            return total  # the header, if any, still says it; the body is not needed
        if isinstance(data, dict) and set(data) == {"message"}:
            return 0 if total is None else total  # v1's "empty dataset" in words
        if isinstance(data, list) and not data:
            return 0 if total is None else total
        return total

    # -- edits in place (v2; DRAFT or EDITED only) -------------------------------------------------

    def update_campaign(self, campaign_id: int, patch: Mapping[str, Any]) -> JsonObject:
        cid = campaign_id_in_path(campaign_id)
        return self._object("PATCH", f"/v2/campaigns/{cid}", f"campaign {cid}", body=dict(patch))

    def update_step(self, campaign_id: int, step_id: str, body: Mapping[str, Any]) -> JsonObject:
        cid = campaign_id_in_path(campaign_id)
        path = f"/v2/campaigns/{cid}/steps/{id_in_path(step_id)}"
        return self._object("PATCH", path, f"campaign {cid}", body=dict(body))

    def update_version(
        self, campaign_id: int, step_id: str, version_id: str, patch: Mapping[str, Any]
    ) -> JsonObject:
        cid = campaign_id_in_path(campaign_id)
        path = f"/v2/campaigns/{cid}/steps/{id_in_path(step_id)}/versions/{id_in_path(version_id)}"
        return self._object("PATCH", path, f"campaign {cid}", body=dict(patch))

    def delete_step(self, campaign_id: int, step_id: str) -> JsonObject:
        cid = campaign_id_in_path(campaign_id)
        return self._object("DELETE", f"/v2/campaigns/{cid}/steps/{id_in_path(step_id)}", f"campaign {cid}")

    def delete_campaign(self, campaign_id: int) -> None:
        cid = campaign_id_in_path(campaign_id)
        self._sender.send("DELETE", f"/v2/campaigns/{cid}", subject=f"campaign {cid}")  # 200, no body

    def me(self) -> JsonObject:
        """Who the key belongs to: ``GET /v1/me`` (the docs' example request; its body is undocumented,
        so ``wpsync.woodpecker.identity`` reads it leniently)."""
        return self._object("GET", "/v1/me", "the account of this API key")

    def users(self) -> JsonObject:  # the first page of users (content, pagination_data; pages from 0)
        return self._object("GET", "/v2/users", "the account's users", params={"page": "0"})

    # -- accounts ---------------------------------------------------------------------------------

    def mailboxes(self) -> list[JsonObject]:
        return self._list("/v2/mailboxes", "the mailbox list")

    def linkedin_accounts(self) -> list[JsonObject]:
        path = "/v2/linkedin_accounts"
        data = self._object("GET", path, "the LinkedIn account list")
        accounts = data.get("linkedin_accounts")
        if not isinstance(accounts, list):
            raise WoodpeckerApiError(
                ApiErrorInfo(status=200, message="no 'linkedin_accounts' array"),
                f"Woodpecker answered GET {path} without a 'linkedin_accounts' array — check {API_URL_ENV}",
                method="GET",
                path=path,
                maybe_committed=False,
            )
        return [a for a in accounts if isinstance(a, dict)]

    def agency_page(self, page: int) -> Any:  # read by woodpecker.agency, which pages
        path, params = "/v2/agency/companies", {"page": str(page)}
        response = self._sender.send("GET", path, subject="the client companies", params=params)
        return self._json(response, "GET", path, "a JSON object")

    # -- plumbing ---------------------------------------------------------------------------------

    def _transition(self, campaign_id: int, action: str) -> None:
        cid = campaign_id_in_path(campaign_id)
        # 200 with no body per the docs; any body is ignored, the caller reads the status back.
        self._sender.send("POST", f"/v2/campaigns/{cid}/{action}", subject=f"campaign {cid}")

    def _object(
        self, method: str, path: str, subject: str, body: Any = None, params: dict[str, str] | None = None
    ) -> JsonObject:
        response = self._sender.send(method, path, subject=subject, body=body, params=params)
        data = self._json(response, method, path, "a JSON object")
        if not isinstance(data, dict):
            raise self._bad(response, "a JSON object", method, path)
        return data

    def _list(self, path: str, subject: str, params: dict[str, str] | None = None) -> list[JsonObject]:
        response = self._sender.send("GET", path, subject=subject, params=params)
        if response.status_code == 204 or not response.content.strip():
            return []  # v1's "empty dataset" answer (api-notes.md, "v1 quirks")
        data = self._json(response, "GET", path, "a JSON array")
        if isinstance(data, dict) and set(data) == {"message"} and isinstance(data["message"], str):
            return []  # 200 {"message": "There are no campaigns."}: v1's other way of saying []
        if not isinstance(data, list):
            raise self._bad(response, "a JSON array", "GET", path)
        return [item for item in data if isinstance(item, dict)]

    def _json(self, response: httpx.Response, method: str, path: str, expected: str) -> Any:
        try:
            return json_loads(response.content, "the answer", MAX_ANSWER_NESTING)
        except ValueError:  # not JSON, not UTF-8, or nested past the limit
            raise self._bad(response, expected, method, path) from None

    def _bad(self, response: httpx.Response, expected: str, method: str, path: str) -> WoodpeckerApiError:
        return bad_success_body(response, expected, method=method, path=path, secret=self._secret.reveal())
