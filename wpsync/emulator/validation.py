"""The referee: schema checks of create-campaign and add-step bodies, exactly as the spec pages state them.

Deliberately independent of wpsync's own models: if both were built from one source, a mistake in it
would pass both and only the real API would notice. Checks that need account data (mailboxes, LinkedIn
accounts) are 409s and live in ``checks.py``; the step rules live in ``step_rules.py``.

Both functions take the parsed JSON and return every problem found, in document order, each with the
JSON path of the field (``steps.followup.body.versions[0].subject``) and what is wrong.
"""

from __future__ import annotations

from wpsync.emulator.shapes import Problem, choices, is_int
from wpsync.emulator.step_rules import StepRules
from wpsync.files.timezones import is_canonical

__all__ = ["Problem", "validate_add_step", "validate_create"]

MAX_DAILY_ENROLL = 500
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
            if not isinstance(ids, list):
                self.fail("email_account_ids", "must be an array of integers (SMTP mailbox ids)")
            else:
                for i, item in enumerate(ids):
                    if not is_int(item):
                        self.fail(f"email_account_ids[{i}]", "must be an integer (an SMTP mailbox id)")
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

    def add_step_body(self, body: object) -> None:
        root = self.fields(body, "", ("parent_id", "step"), ("parent_id", "step"))
        if root is None:
            return
        if "parent_id" in root and not (isinstance(root["parent_id"], str) and root["parent_id"]):
            self.fail("parent_id", "must be a non-empty string: the id of the campaign's last step")
        if "step" not in root:
            return
        step = root["step"]
        if isinstance(step, dict) and step.get("type", "EMAIL") != "EMAIL":
            self.fail("step.type", "must be EMAIL: only EMAIL steps can be added")
            return
        self.email_step(step, "step")

    def settings(self, value: object) -> None:
        optional = (
            "prospect_timezone",
            "gdpr_unsubscribe",
            "list_unsubscribe",
            "open_disabled_list",
            "auto_pause_prospect_from_domain",
            "catch_all_verification_mode",
        )
        settings = self.fields(
            value, "settings", ("timezone", "daily_enroll", *optional), ("timezone", "daily_enroll")
        )
        if settings is None:
            return
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
