"""Projected volume on plain values: per campaign, per mailbox over every campaign, and the limit."""

from __future__ import annotations

from wpsync.files.lint_config import DEFAULT, parse
from wpsync.plan.volume import Load, load_of, mailbox_loads, totals, volume


def test_a_campaign_sends_at_most_daily_enroll_per_email_step_from_each_mailbox() -> None:
    found = volume(40, ["EMAIL", "LINKEDIN", "EMAIL", "EMAIL"], [300001, 300002])
    assert (found.per_mailbox, found.email_steps, found.mailboxes) == (120, 3, (300001, 300002))
    assert volume(40, ["LINKEDIN"], []).per_mailbox == 0  # LinkedIn steps send no email


def test_load_of_reads_a_canonical_head_leniently() -> None:
    head = {"email_account_ids": [1, 2], "settings": {"daily_enroll": 30}}
    assert load_of("a", head, ["EMAIL", "EMAIL"]) == Load("a", (1, 2), 60)
    assert load_of("b", {"settings": "odd"}, ["EMAIL"]) == Load("b", (), 0)


def test_campaigns_sharing_a_mailbox_add_up() -> None:
    loads = [Load("a", (1, 2), 60), Load("b", (2,), 100), Load("c", (3,), 10)]
    assert totals(loads) == {1: (60, ("a",)), 2: (160, ("a", "b")), 3: (10, ("c",))}


def test_a_change_that_pushes_a_shared_mailbox_over_the_limit_is_flagged() -> None:
    others = [Load("b", (2,), 150)]
    before = [*others, Load("a", (1, 2), 40)]
    after = [*others, Load("a", (1, 2), 80)]
    found = {m.mailbox: m for m in mailbox_loads(before, after, 200)}
    assert (found[2].before, found[2].after, found[2].campaigns) == (190, 230, ("a", "b"))
    assert found[2].pushed_over and found[2].over
    assert (found[1].after, found[1].pushed_over) == (80, False)


def test_unchanged_mailboxes_are_left_out_unless_over_the_limit() -> None:
    same = [Load("a", (1,), 50), Load("b", (2,), 500)]
    found = mailbox_loads(same, same, 200)
    assert [(m.mailbox, m.over, m.pushed_over) for m in found] == [(2, True, False)]


def test_the_limit_is_a_lint_setting_with_a_documented_default() -> None:
    assert DEFAULT.max_daily_sends_per_mailbox == 200
    config, problems = parse({"max_daily_sends_per_mailbox": 120})
    assert (config.max_daily_sends_per_mailbox, problems) == (120, [])
    _, problems = parse({"max_daily_sends_per_mailbox": -1})
    assert problems and "0 to 100000" in problems[0][1]
    off, _ = parse({"max_daily_sends_per_mailbox": 0})
    (load,) = mailbox_loads([], [Load("a", (1,), 10_000)], off.max_daily_sends_per_mailbox)
    assert not load.over and not load.pushed_over  # 0: the lint is off
