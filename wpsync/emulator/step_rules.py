"""The step rules of both spec pages: the START→followup chain, EMAIL steps, LINKEDIN steps.

Add-step differs from create in three documented ways, switched on ``add_step``: at most 2 windows a
day instead of 3, ``track_opens`` required, and no ``followup`` key (the new step is always last). It
takes LINKEDIN steps too (the newer add-step page's "LinkedIn step" tab), checked as on create. The
first EMAIL step of a created campaign opens the thread, so each of its versions needs a subject.
"""

from __future__ import annotations

import re
from itertools import pairwise

from wpsync.emulator.shapes import Checker, is_int, join

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
MAX_STEPS = 16
MAX_FOLLOWUP_VALUE = 9999
WINDOWS_PER_DAY_CREATE = 3
WINDOWS_PER_DAY_ADD_STEP = 2  # the add-step page says 2, the create page 3
CONNECTION_NOTE_MAX = 300  # the CLASSIC limit (200) depends on the account: a 409 in checks.py
DIRECT_MESSAGE_MAX = 6000
RANGES = ("DAY", "HOUR", "MINUTE")
SIGNATURES = ("SENDER", "NO_SIGNATURE")
ACTIONS = ("VISIT_PROFILE", "CONNECTION_REQUEST", "DIRECT_MESSAGE")

_CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d\Z")
_WHOLE_DAY = (0, 24 * 60)


class StepRules(Checker):
    def __init__(self, *, add_step: bool) -> None:
        super().__init__(add_step=add_step)
        self.windows_per_day = WINDOWS_PER_DAY_ADD_STEP if add_step else WINDOWS_PER_DAY_CREATE
        self.email_steps = 0

    def chain(self, value: object) -> None:
        start = self.fields(value, "steps", ("type", "followup"), ("type", "followup"))
        if start is None:
            return
        if "type" in start and start["type"] != "START":
            self.fail("steps.type", "the root step must be START")
        if "followup" in start and start["followup"] is None:
            self.fail(
                "steps.followup", f"the START step needs a followup: 1 to {MAX_STEPS} EMAIL or LINKEDIN steps"
            )
        node, path, count = start.get("followup"), "steps.followup", 0
        # A loop, not recursion: a hostile body may nest thousands of followups.
        while node is not None:
            count += 1
            if count > MAX_STEPS:
                self.fail("steps", f"a campaign has at most {MAX_STEPS} EMAIL or LINKEDIN steps")
                return
            if not isinstance(node, dict):
                self.fail(path, "must be an object (a step) or null")
                return
            kind = node.get("type")
            if kind == "EMAIL":
                self.email_step(node, path)
            elif kind == "LINKEDIN":
                self.linkedin_step(node, path)
            elif kind == "START":
                self.fail(f"{path}.type", "START is allowed only as the root step")
            elif "type" not in node:
                self.fail(f"{path}.type", "is required")
            else:
                self.fail(f"{path}.type", "must be one of EMAIL, LINKEDIN")
            node, path = node.get("followup"), f"{path}.followup"

    def email_step(self, value: object, path: str) -> None:
        # The add-step schema has no followup: the new step is always last.
        allowed = (
            "type",
            "delivery_time",
            "body",
            "followup_after",
            *(() if self.add_step else ("followup",)),
        )
        step = self.fields(value, path, allowed, ("type", "delivery_time", "body"))
        if step is None:
            return
        # The first EMAIL step of a campaign opens the thread, so every version needs a subject.
        first = not self.add_step and self.email_steps == 0
        self.email_steps += 1
        if "delivery_time" in step:
            self.delivery_time(step["delivery_time"], f"{path}.delivery_time")
        if "body" in step:
            self.email_body(step["body"], f"{path}.body", first=first)
        if "followup_after" in step:
            self.followup_after(step["followup_after"], f"{path}.followup_after")

    def email_body(self, value: object, path: str, *, first: bool) -> None:
        body = self.fields(value, path, ("versions",), ("versions",))
        if body is None or "versions" not in body:
            return
        required = ("message", *(("track_opens",) if self.add_step else ()), *(("subject",) if first else ()))
        for i, item in enumerate(self.versions(body["versions"], f"{path}.versions")):
            vpath = f"{path}.versions[{i}]"
            version = self.fields(item, vpath, ("subject", "message", "signature", "track_opens"), required)
            if version is None:
                continue
            subject = version.get("subject")
            if first and "subject" in version and not (isinstance(subject, str) and subject.strip()):
                self.fail(
                    f"{vpath}.subject", "is required in every version of the campaign's first EMAIL step"
                )
            elif subject is not None and not isinstance(subject, str):
                self.fail(f"{vpath}.subject", "must be a string or null")
            if isinstance(subject, str):
                self.snippets(subject, f"{vpath}.subject")
            if "message" in version:
                message = version["message"]
                if not isinstance(message, str) or not message.strip():
                    self.fail(f"{vpath}.message", "must be a non-empty string")
                else:
                    self.snippets(message, f"{vpath}.message")
            if "signature" in version:
                self.one_of(version["signature"], f"{vpath}.signature", SIGNATURES)
            if "track_opens" in version:
                self.boolean(version["track_opens"], f"{vpath}.track_opens")

    def delivery_time(self, value: object, path: str) -> None:
        days = self.fields(value, path, DAYS)
        if days is None:
            return
        total = 0
        for day, windows in days.items():
            if day not in DAYS:
                continue  # already reported as an unknown field
            dpath = f"{path}.{day}"
            if not isinstance(windows, list):
                self.fail(dpath, 'must be an array of {"from", "to"} windows')
                continue
            total += len(windows)
            if len(windows) > self.windows_per_day:
                self.fail(dpath, f"at most {self.windows_per_day} windows per day, not {len(windows)}")
            spans = sorted(
                (span, i)
                for i, w in enumerate(windows)
                if (span := self.window(w, f"{dpath}[{i}]")) is not None
            )
            for (first, i), (second, j) in pairwise(spans):
                if second[0] < first[1]:
                    self.fail(dpath, f"windows [{i}] and [{j}] overlap")
        if total == 0:
            self.fail(path, "at least one delivery window is required")

    def window(self, value: object, path: str) -> tuple[int, int] | None:
        """The window as minutes since midnight, or None (reported) when it is not valid."""
        window = self.fields(value, path, ("from", "to"), ("from", "to"))
        if window is None or "from" not in window or "to" not in window:
            return None
        start, end = window["from"], window["to"]
        ok = True
        if not (isinstance(start, str) and _CLOCK.match(start)):
            self.fail(f"{path}.from", 'must be a time "HH:mm" (24-hour)')
            ok = False
        if end == "24:00":
            if start != "00:00":
                self.fail(f"{path}.to", '"24:00" is allowed only in the whole-day window "00:00"-"24:00"')
                ok = False
        elif not (isinstance(end, str) and _CLOCK.match(end)):
            self.fail(f"{path}.to", 'must be a time "HH:mm" (24-hour)')
            ok = False
        if not ok:
            return None
        assert isinstance(start, str) and isinstance(end, str)
        if start == "00:00" and end in ("00:00", "24:00"):
            return _WHOLE_DAY
        low, high = (int(t[:2]) * 60 + int(t[3:]) for t in (start, end))
        if low >= high:
            self.fail(path, f'"from" ({start}) must be earlier than "to" ({end})')
            return None
        return low, high

    def followup_after(self, value: object, path: str) -> None:
        delay = self.fields(value, path, ("range", "value"))
        if delay is None:
            return
        if "range" in delay:
            self.one_of(delay["range"], f"{path}.range", RANGES)
        if "value" in delay:
            self.integer(delay["value"], f"{path}.value", 1, MAX_FOLLOWUP_VALUE)

    def linkedin_step(self, value: object, path: str) -> None:
        allowed = ("type", "body", "followup_after", *(() if self.add_step else ("followup",)))
        step = self.fields(value, path, allowed, ("type", "body"))
        if step is None:
            return
        if "followup_after" in step:
            self.followup_after(step["followup_after"], f"{path}.followup_after")
        if "body" not in step:
            return
        bpath = f"{path}.body"
        body = self.fields(
            step["body"],
            bpath,
            ("action_type", "linkedin_account_id", "versions"),
            ("action_type", "linkedin_account_id"),
        )
        if body is None:
            return
        if "linkedin_account_id" in body and not is_int(body["linkedin_account_id"]):
            self.fail(f"{bpath}.linkedin_account_id", "must be an integer")
        action = body.get("action_type")
        if "action_type" in body:
            self.one_of(action, f"{bpath}.action_type", ACTIONS)
        vpath = f"{bpath}.versions"
        if action == "VISIT_PROFILE":
            self.visit_profile_versions(body.get("versions"), vpath)
        elif action in ("CONNECTION_REQUEST", "DIRECT_MESSAGE"):
            if "versions" not in body:
                self.fail(vpath, "is required")
                return
            for i, item in enumerate(self.versions(body["versions"], vpath)):
                self.linkedin_message(item, f"{vpath}[{i}]", direct=action == "DIRECT_MESSAGE")

    def visit_profile_versions(self, value: object, path: str) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.fail(path, "must be null (recommended) or an array of at most one version")
            return
        if len(value) > 1:
            self.fail(path, "VISIT_PROFILE takes at most one version (null is recommended)")
        for i, item in enumerate(value):
            version = self.fields(item, f"{path}[{i}]", ("message",))
            if version is not None and version.get("message") not in (None, ""):
                self.fail(f"{path}[{i}].message", 'must be null or "": VISIT_PROFILE sends no message')

    def linkedin_message(self, value: object, path: str, *, direct: bool) -> None:
        version = self.fields(value, path, ("message",), ("message",) if direct else ())
        if version is None or "message" not in version:
            return
        message, mpath = version["message"], join(path, "message")
        if direct:
            if not (isinstance(message, str) and message.strip()):
                self.fail(mpath, "must be a non-empty string: a DIRECT_MESSAGE needs content")
                return
            limit = DIRECT_MESSAGE_MAX
        else:
            if message is None or message == "":
                return  # a connection request without a note
            if not isinstance(message, str):
                self.fail(mpath, "must be a string or null")
                return
            limit = CONNECTION_NOTE_MAX
        if len(message) > limit:
            self.fail(mpath, f"must be at most {limit} characters, not {len(message)}")
        self.snippets(message, mpath)
