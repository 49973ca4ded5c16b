"""Reading Woodpecker's stats: three values — proven none, proven some, unknown — never a guess."""

from __future__ import annotations

from wpsync.woodpecker.stats import account_identity, processed_by_step, prospects

TYPES = ("EMAIL", "LINKEDIN", "EMAIL")
SUBJECTS = ("Hi", None, None)


def test_nothing_sent_and_nothing_queued_proves_nobody_was_processed() -> None:
    item = {"stats": {"sent": 0, "queue": 0, "prospects": 12}}
    assert processed_by_step(item, TYPES, SUBJECTS) == (0, 0, 0)
    assert prospects(item) == 12


def test_email_counters_line_up_with_the_email_steps_in_order() -> None:
    emails = [{"subject": "Hi", "emailSend": 5, "toSend": 1}, {"emailSend": 0, "toSend": 0}]
    item = {"stats": {"sent": 5, "queue": 1, "emails": emails}}
    # Zeros on one step prove nothing (the notes say so); LinkedIn steps are never in the stats.
    assert processed_by_step(item, TYPES, SUBJECTS) == (6, None, None)


def test_emails_beside_stats_are_read_too() -> None:
    item = {"stats": {"sent": 3, "queue": 0}, "emails": [{"emailSend": 3}, {"emailSend": 1}]}
    assert processed_by_step(item, TYPES, SUBJECTS) == (3, None, 1)


def test_entries_that_do_not_line_up_are_trusted_for_nothing() -> None:
    wrong_count = {"stats": {"sent": 3, "emails": [{"emailSend": 3}]}}
    wrong_subject = {"stats": {"sent": 3, "emails": [{"subject": "Other", "emailSend": 3}, {"emailSend": 1}]}}
    odd = {"stats": {"sent": 3, "emails": ["x", {"emailSend": 1}]}}
    for item in (wrong_count, wrong_subject, odd, {"stats": "nope"}, {}):
        assert processed_by_step(item, TYPES, SUBJECTS) == (None, None, None), item


def test_counters_of_the_wrong_type_are_unknown_not_zero() -> None:
    item = {"stats": {"sent": "0", "queue": None, "emails": [{"emailSend": True}, {"toSend": -1}]}}
    assert processed_by_step(item, TYPES, SUBJECTS) == (None, None, None)
    assert prospects({"stats": {"prospects": "7"}}) is None


def test_the_account_identity_prefers_the_company() -> None:
    assert account_identity({"id": 5, "company_id": 77}) == "company 77"
    assert account_identity({"company": {"id": 9}, "id": 5}) == "company 9"
    assert account_identity({"id": 5}) == "user 5"
    assert account_identity({"user": {"id": 8}}) == "user 8"
    assert account_identity({"message": "hello"}) is None
    assert account_identity({"company_id": True}) is None
