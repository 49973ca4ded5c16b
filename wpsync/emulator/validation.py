"""The referee: schema checks of create-campaign and add-step bodies, exactly as the spec pages state them.

Deliberately independent of wpsync's own models: if both were built from one source, a mistake in it
would pass both and only the real API would notice. Checks that need account data (mailboxes, LinkedIn
accounts) are 409s and live in ``checks.py``; the step rules live in ``step_rules.py``.

Both functions take the parsed JSON and return every problem found, in document order, each with the
JSON path of the field (``steps.followup.body.versions[0].subject``) and what is wrong.
"""

from __future__ import annotations

from wpsync.emulator.shapes import Problem, choices, is_int
from wpsync.emulator.step_rules import SIGNATURES, StepRules
from wpsync.files.timezones import is_canonical

__all__ = [
    "Problem",
    "validate_add_step",
    "validate_create",
    "validate_patch_campaign",
    "validate_patch_step",
    "validate_patch_version",
]

MAX_DAILY_ENROLL = 500
SETTINGS_REQUIRED = ("timezone", "daily_enroll")
SETTINGS_OPTIONAL = (
    "prospect_timezone",
    "gdpr_unsubscribe",
    "list_unsubscribe",
    "open_disabled_list",
    "auto_pause_prospect_from_domain",
    "catch_all_verification_mode",
)
# [client] Live clients send these in create and PATCH bodies and Woodpecker accepts them (api-notes,
# "Newer evidence": live extras); their values are not documented. [assume] statuses: prospect statuses.
LIVE_SETTINGS = ("auto_pause_prospect_from_domain_statuses", "count_followup_delay_in_working_days")
PAUSE_STATUSES = (
    "REPLIED",
    "BOUNCED",
    "INTERESTED",
    "NOT_INTERESTED",
    "MAYBE_LATER",
    "AUTOREPLIED",
    "OPTOUT",
)
PATCH_CAMPAIGN_KEYS = ("name", "email_account_ids", "settings")
PATCH_STEP_KEYS = ("delivery_time",)
# [assume] Not documented whether followup_after can be patched: no. Named in the 400, not "unknown".
NOT_PATCHABLE_STEP_KEYS = ("followup_after",)
PATCH_EMAIL_VERSION_KEYS = ("subject", "message", "signature", "track_opens")
PATCH_LINKEDIN_VERSION_KEYS = ("message",)
PROVIDERS = ("google.com", "outlook.com", "OTHER_PROVIDER")
CATCH_ALL_MODES = ("NONE", "BALANCED", "MAXIMUM", "ONLY_VERIFY")


def validate_create(body: object) -> list[Problem]:
    checker = _Bodies(add_step=False)
    checker.create(body)
    return checker.problems


def validate_add_step(body: object) -> list[Problem]:
    checker = _Bodies(add_step=True)
    checker.add_step_body(body)
    return checker.problems


def validate_patch_campaign(body: object) -> list[Problem]:
    """PATCH /v2/campaigns/{id}: any of name, email_account_ids, settings.* -- each checked as on create."""
    checker = _Bodies(add_step=False)
    checker.patch_campaign(body)
    return checker.problems


def validate_patch_step(body: object) -> list[Problem]:
    """PATCH .../steps/{step_id}: ``{"delivery_time": {...}}``, checked as on create (3 windows a day)."""
    checker = _Bodies(add_step=False)
    root = checker.fields(body, "", (*PATCH_STEP_KEYS, *NOT_PATCHABLE_STEP_KEYS), PATCH_STEP_KEYS)
    if root is None:
        return checker.problems
    for key in NOT_PATCHABLE_STEP_KEYS:
        if key in root:
            checker.fail(key, "cannot be changed: only delivery_time can be patched")
    if "delivery_time" in root:
        checker.delivery_time(root["delivery_time"], "delivery_time")
    return checker.problems


def validate_patch_version(
    body: object, step_type: str, *, action_type: str | None = None, first_email: bool = False
) -> list[Problem]:
    """PATCH .../versions/{version_id}: the fields of one version, checked as on create.

    ``first_email``: the step is the campaign's first EMAIL step, whose versions must keep a subject.
    ``action_type``: a LINKEDIN step's action, which decides what its message may be.
    """
    checker = _Bodies(add_step=False)
    if step_type == "EMAIL":
        checker.patch_email_version(body, first=first_email)
    else:
        checker.patch_linkedin_version(body, action_type)
    return checker.problems


class _Bodies(StepRules):
    def create(self, body: object) -> None:
        root = self.fields(
            body, "", ("name", "email_account_ids", "settings", "steps"), ("settings", "steps")
        )
        if root is None:
            return
        if "name" in root and not isinstance(root["name"], str):
            self.fail("name", "must be a string")
        ids = root.get("email_account_ids")
        if "email_account_ids" in root:
            self.email_account_ids(ids)
        if "settings" in root:
            self.settings(root["settings"])
        if "steps" in root:
            self.chain(root["steps"])
        if self.email_steps and "email_account_ids" not in root:
            self.fail("email_account_ids", "is required when the campaign has an EMAIL step")
        elif self.email_steps and ids == []:
            self.fail(
                "email_account_ids", "must name at least one mailbox when the campaign has an EMAIL step"
            )

    def email_account_ids(self, ids: object) -> None:
        if not isinstance(ids, list):
            self.fail("email_account_ids", "must be an array of integers (SMTP mailbox ids)")
            return
        for i, item in enumerate(ids):
            if not is_int(item):
                self.fail(f"email_account_ids[{i}]", "must be an integer (an SMTP mailbox id)")

    def patch_campaign(self, body: object) -> None:
        root = self.fields(body, "", PATCH_CAMPAIGN_KEYS)
        if root is None:
            return
        if not root:
            self.fail("", f"the body must name at least one of {choices(PATCH_CAMPAIGN_KEYS)}")
        if "name" in root and not isinstance(root["name"], str):
            self.fail("name", "must be a string")
        if "email_account_ids" in root:
            self.email_account_ids(root["email_account_ids"])
        if "settings" in root:
            self.settings(root["settings"], required=())
            if root["settings"] == {}:
                self.fail("settings", "must name at least one setting")

    def patch_email_version(self, body: object, *, first: bool) -> None:
        version = self.fields(body, "", PATCH_EMAIL_VERSION_KEYS)
        if version is None:
            return
        if not version:
            self.fail("", f"the body must name at least one of {choices(PATCH_EMAIL_VERSION_KEYS)}")
        if version.get("subject") is not None:  # null: unchanged (see edit_routes.NULL_IS_UNCHANGED)
            subject = version["subject"]
            if first and not (isinstance(subject, str) and subject.strip()):
                self.fail("subject", "is required in every version of the campaign's first EMAIL step")
            elif subject is not None and not isinstance(subject, str):
                self.fail("subject", "must be a string or null")
            if isinstance(subject, str):
                self.snippets(subject, "subject")
        if "message" in version:
            message = version["message"]
            if not isinstance(message, str) or not message.strip():
                self.fail("message", "must be a non-empty string")
            else:
                self.snippets(message, "message")
        if "signature" in version:
            self.one_of(version["signature"], "signature", SIGNATURES)
        if "track_opens" in version:
            self.boolean(version["track_opens"], "track_opens")

    def patch_linkedin_version(self, body: object, action_type: str | None) -> None:
        version = self.fields(body, "", PATCH_LINKEDIN_VERSION_KEYS, PATCH_LINKEDIN_VERSION_KEYS)
        if version is None or "message" not in version:
            return
        if action_type == "VISIT_PROFILE":
            if version["message"] not in (None, ""):
                self.fail("message", 'must be null or "": VISIT_PROFILE sends no message')
        else:
            self.linkedin_message(version, "", direct=action_type == "DIRECT_MESSAGE")

    def add_step_body(self, body: object) -> None:
        root = self.fields(body, "", ("parent_id", "step"), ("parent_id", "step"))
        if root is None:
            return
        if "parent_id" in root and not (isinstance(root["parent_id"], str) and root["parent_id"]):
            self.fail("parent_id", "must be a non-empty string: the id of the campaign's last step")
        if "step" not in root:
            return
        step = root["step"]
        # [doc, newer] The current add-step page has an "Email step" and a "LinkedIn step" tab.
        kind = step.get("type", "EMAIL") if isinstance(step, dict) else "EMAIL"
        if kind == "LINKEDIN":
            self.linkedin_step(step, "step")
        elif kind == "EMAIL":
            self.email_step(step, "step")
        else:
            self.fail("step.type", "must be EMAIL or LINKEDIN")

    def settings(self, value: object, required: tuple[str, ...] = SETTINGS_REQUIRED) -> None:
        settings = self.fields(
            value, "settings", (*SETTINGS_REQUIRED, *SETTINGS_OPTIONAL, *LIVE_SETTINGS), required
        )
        if settings is None:
            return
        if "count_followup_delay_in_working_days" in settings:
            key = "count_followup_delay_in_working_days"
            self.boolean(settings[key], f"settings.{key}")
        statuses = settings.get("auto_pause_prospect_from_domain_statuses", [])
        if not isinstance(statuses, list):
            self.fail("settings.auto_pause_prospect_from_domain_statuses", "must be an array of statuses")
        else:
            for i, status in enumerate(statuses):
                self.one_of(status, f"settings.auto_pause_prospect_from_domain_statuses[{i}]", PAUSE_STATUSES)
        if "timezone" in settings:
            zone = settings["timezone"]
            if not isinstance(zone, str):
                self.fail("settings.timezone", "must be a string")
            elif not is_canonical(zone):
                self.fail(
                    "settings.timezone", f"{zone!r} is not an accepted timezone (canonical IANA names only)"
                )
        if "daily_enroll" in settings:
            self.integer(settings["daily_enroll"], "settings.daily_enroll", 1, MAX_DAILY_ENROLL)
        for flag in ("prospect_timezone", "gdpr_unsubscribe", "list_unsubscribe"):
            if flag in settings:
                self.boolean(settings[flag], f"settings.{flag}")
        if "auto_pause_prospect_from_domain" in settings:
            self.boolean(
                settings["auto_pause_prospect_from_domain"],
                "settings.auto_pause_prospect_from_domain",
                nullable=True,
            )
        if "catch_all_verification_mode" in settings:
            self.one_of(
                settings["catch_all_verification_mode"],
                "settings.catch_all_verification_mode",
                CATCH_ALL_MODES,
            )
        providers = settings.get("open_disabled_list")
        if isinstance(providers, list):
            for i, provider in enumerate(providers):
                self.one_of(provider, f"settings.open_disabled_list[{i}]", PROVIDERS)
        elif providers is not None:
            self.fail("settings.open_disabled_list", f"must be null or an array of {choices(PROVIDERS)}")
