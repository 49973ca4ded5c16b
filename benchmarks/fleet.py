"""A synthetic fleet of campaign files: N campaigns of S steps, with copy an agency would really send.

    python benchmarks/fleet.py OUT_DIR -n 1000 -s 16 [--seed 7]

Deterministic: the same (n, steps, seed) always writes byte-identical files, so a benchmark run can be
repeated and two machines compare like with like. Every file validates cleanly (no errors, no
warnings) and every campaign is accepted by the emulator seeded with ``--seed-examples``: it uses only
mailboxes 112233 and 100001–100003 and LinkedIn account 200002.

Each campaign mixes EMAIL steps (1–3 A/B versions of a few hundred to a couple of thousand characters
of HTML, with fallback snippets, spintax, click-tracked links and an unsubscribe link) and LINKEDIN
steps (profile visits, connection notes, direct messages). Schedules are written both ways the format
allows: named ``[schedules.NAME]`` tables referenced by name, and inline tables.

``revise(path)`` edits one campaign the way a pull request would (a copy change in its last EMAIL
step), for the "1% of campaigns changed" case.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

MAILBOXES = (112233, 100001, 100002, 100003)
MAX_SEQUENCE_HOURS = 28 * 24
LINKEDIN_ACCOUNT = 200002
TIMEZONES = (
    "Europe/Warsaw",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Singapore",
    "Australia/Sydney",
    "UTC",
)
INDUSTRIES = ("SaaS", "logistics", "fintech", "healthcare", "e-commerce", "manufacturing", "insurance")
ROLES = ("CTOs", "VPs of Sales", "Heads of Growth", "founders", "CFOs", "RevOps leads", "HR directors")
REGIONS = ("DACH", "Nordics", "UK", "US East", "US West", "Benelux", "Poland", "APAC")
PRODUCTS = ("Woodpecker", "our deliverability audit", "the onboarding toolkit", "our reporting add-on")
OPENERS = (
    "I noticed {company} has been hiring for several {role} roles lately",
    "saw the news about {company} expanding into new markets this quarter",
    "a colleague mentioned that {company} is rethinking how its outbound team works",
    "I read your recent post about scaling a {industry} team without losing the personal touch",
    "teams like yours in {industry} usually hit the same wall around the second year of outbound",
)
BODIES = (
    "We help {industry} teams book more qualified meetings without adding headcount: sequences that "
    "adapt to each prospect's replies, deliverability checks before every send, and reporting your "
    "board will actually read.",
    "Most of our customers came to us after their reply rates dropped below two percent. Within a "
    "month they were back above eight, mostly by fixing the basics: warmed-up mailboxes, shorter "
    "copy, and follow-ups that stop the moment someone answers.",
    "The short version: one place to run email and LinkedIn together, with every prospect's history in "
    "view, so nobody on your team sends a cold pitch to someone who already replied last week.",
    "I put together a two-page teardown of three {industry} sequences that worked this year, what they "
    "had in common, and what we would change about each of them if we ran them again.",
    "If timing is the issue, no problem at all. I can send a short summary you can forward to whoever "
    "owns outbound, and we can pick this up whenever it suits you better.",
)
CLOSERS = (
    "Would a 15-minute call next week be useful?",
    "Worth a quick look?",
    "Shall I send over the details?",
    "Is this something you are looking at this quarter?",
    "Who would be the right person to talk to about this?",
)
SUBJECTS = (
    'Quick question, {{FIRST_NAME | "there"}}',
    'Idea for {{COMPANY | "your team"}}',
    '{{SPINTAX | "Outbound" | "Pipeline" | "Prospecting"}} at {{COMPANY | "your company"}}',
    "{industry} outreach that still gets replies",
    'A thought on {{COMPANY | "your"}} {role} hiring',
)
NOTES = (
    'Hi {{FIRST_NAME | "there"}}, I work with {industry} teams on outbound. Would be glad to connect.',
    'Hello {{FIRST_NAME | "there"}}, we both follow the {industry} space closely; happy to connect.',
    "",
)
DIRECT_MESSAGES = (
    'Thanks for connecting, {{FIRST_NAME | "there"}}! I shared a short teardown of {industry} '
    "sequences with a few {role} this month; happy to send it over if it is useful to you.",
    'Hi {{FIRST_NAME | "there"}}, good to be connected. Is outbound on your plate at '
    '{{COMPANY | "your company"}} this quarter, or should I talk to someone else?',
)
SCHEDULES = {
    "workdays": [("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"), (("08:00", "18:00"),)],
    "mornings": [("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"), (("08:00", "11:30"),)],
    "split": [("TUESDAY", "WEDNESDAY", "THURSDAY"), (("08:00", "12:00"), ("13:00", "17:30"))],
}


def _q(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ml(paragraphs: list[str]) -> str:
    """A TOML multi-line basic string, one paragraph a line joined by line-ending backslashes (the
    value holds no newline). The copy never holds a backslash or three quotes in a row."""
    return '"""\n' + "\\\n".join(paragraphs) + '"""'


def _fill(template: str, words: dict[str, str]) -> str:
    # str.format would trip over the snippets' own braces; only our few placeholders are replaced.
    out = template
    for name, value in words.items():
        out = out.replace("{" + name + "}", value)
    return out


def _message(
    rng: random.Random, words: dict[str, str], *, first: bool, revision: int, copy: int, version: int
) -> list[str]:
    """An email's HTML, as paragraphs."""
    paragraphs = ['<p>{{SPINTAX | "Hi" | "Hello" | "Hey"}} {{FIRST_NAME | "there"}},</p>']
    if first:
        paragraphs.append(f"<p>{_fill(rng.choice(OPENERS), words)}.</p>")
    body = [f"<p>{_fill(template, words)}</p>" for template in rng.sample(BODIES, rng.randint(1, 3))]
    paragraphs += body * copy  # ``copy`` > 1: longer copy, same structure and the same random choices
    # The link names the version, so two A/B versions are never identical (a lint warns about that).
    link = f"https://example.com/{words['slug']}/{'abcde'[version]}{rng.randint(1, 99)}"
    paragraphs.append(f'<p>More in <a href="{{{{CLICK={link}}}}}">this short write-up</a>.</p>')
    if rng.random() < 0.4:
        paragraphs.append('<p>P.S. Happy to share the {{SNIPPET_1 | "case study"}} we discussed.</p>')
    paragraphs.append(f"<p>{rng.choice(CLOSERS)}</p>")
    if revision:
        paragraphs.append(f"<p>(Revised copy, round {revision}.)</p>")
    paragraphs.append('<p>Best,<br />{{SPINTAX | "Anna" | "Ben" | "Carla"}}</p>')
    paragraphs.append('<p style="font-size:11px"><a href="{{UNSUBSCRIBE}}">Unsubscribe</a></p>')
    return paragraphs


def _kinds(rng: random.Random, steps: int) -> list[str]:
    """Step kinds in order: EMAIL first (it carries the subjects), about a third LinkedIn afterwards."""
    kinds = ["EMAIL"]
    for _ in range(steps - 1):
        kinds.append("LINKEDIN" if rng.random() < 0.3 else "EMAIL")
    return kinds


def campaign_text(index: int, steps: int = 16, seed: int = 0, revision: int = 0, copy: int = 1) -> str:
    """The TOML of campaign number ``index``; ``revision`` > 0 edits its last EMAIL step's copy, and
    ``copy`` repeats each email's body paragraphs (longer copy, everything else the same)."""
    rng = random.Random(f"{seed}:{index}")
    words = {
        "industry": rng.choice(INDUSTRIES),
        "role": rng.choice(ROLES),
        "company": '{{COMPANY | "your team"}}',
        "slug": f"c{index}",
    }
    title = f"{rng.choice(REGIONS)} {words['industry']} {words['role']} #{index}"
    lines = [
        "#:schema ../schema/campaign.schema.json",
        f"# Synthetic campaign {index} (benchmarks/fleet.py, seed {seed}).",
        "",
        f"name = {_q(title)}",
        f"email_account_ids = [{', '.join(str(m) for m in rng.sample(MAILBOXES, rng.randint(1, 3)))}]",
        "",
        "[settings]",
        f"timezone = {_q(rng.choice(TIMEZONES))}",
        f"prospect_timezone = {str(rng.random() < 0.5).lower()}",
        f"daily_enroll = {rng.randint(10, 200)}",
        "gdpr_unsubscribe = true",
        f"list_unsubscribe = {str(rng.random() < 0.5).lower()}",
        'open_disabled_list = ["google.com"]',
        f"catch_all_verification_mode = {_q(rng.choice(('BALANCED', 'MAXIMUM', 'NONE')))}",
        "",
    ]
    used = sorted(rng.sample(sorted(SCHEDULES), 2))
    for name in used:
        days, windows = SCHEDULES[name]
        lines.append(f"[schedules.{name}]")
        spans = ", ".join(f"{{ from = {_q(a)}, to = {_q(b)} }}" for a, b in windows)
        lines.extend(f"{day} = [{spans}]" for day in days)
        lines.append("")
    kinds = _kinds(rng, steps)
    last_email = max(i for i, kind in enumerate(kinds) if kind == "EMAIL")
    first = True
    elapsed = 0
    for position, kind in enumerate(kinds):
        lines.append("[[steps]]")
        lines.append(f"type = {_q(kind)}")
        # Delays keep the whole sequence within MAX_SEQUENCE_HOURS (the default lint allows 30 days).
        hours = max(
            1, min(rng.choice((24 * rng.randint(1, 3), rng.randint(2, 36))), MAX_SEQUENCE_HOURS - elapsed)
        )
        elapsed += hours
        delay = ("DAY", hours // 24) if hours % 24 == 0 else ("HOUR", hours)
        followup = f"followup_after = {{ range = {_q(delay[0])}, value = {delay[1]} }}"
        if kind == "LINKEDIN":
            action = rng.choice(("VISIT_PROFILE", "CONNECTION_REQUEST", "DIRECT_MESSAGE"))
            lines.append(f"action_type = {_q(action)}")
            lines.append(f"linkedin_account_id = {LINKEDIN_ACCOUNT}")
            lines.append(followup)
            if action == "CONNECTION_REQUEST":
                notes = rng.sample(NOTES, rng.randint(1, 2))
                lines.append(
                    f"versions = [{', '.join(f'{{ message = {_q(_fill(n, words))} }}' for n in notes)}]"
                )
            elif action == "DIRECT_MESSAGE":
                for text in rng.sample(DIRECT_MESSAGES, rng.randint(1, 2)):
                    lines += ["", "[[steps.versions]]", f"message = {_q(_fill(text, words))}"]
            lines.append("")
            continue
        if rng.random() < 0.6:
            lines.append(f"delivery_time = {_q(rng.choice(used))}")
        else:
            a, b = rng.choice((("09:00", "17:00"), ("10:00", "16:00"), ("08:30", "12:30")))
            days = rng.sample(("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"), 3)
            table = ", ".join(f"{day} = [{{ from = {_q(a)}, to = {_q(b)} }}]" for day in sorted(days))
            lines.append(f"delivery_time = {{ {table} }}")
        lines.append(followup)
        for version in range(rng.randint(1, 3)):
            lines += ["", "[[steps.versions]]"]
            if first:
                lines.append(f"subject = {_q(_fill(SUBJECTS[(index + version) % len(SUBJECTS)], words))}")
            revised = revision if position == last_email else 0
            text = _message(rng, words, first=first, revision=revised, copy=copy, version=version)
            lines.append(f"message = {_ml(text)}")
            lines.append(f"signature = {_q(rng.choice(('SENDER', 'NO_SIGNATURE')))}")
            lines.append(f"track_opens = {str(rng.random() < 0.5).lower()}")
        first = False
        lines.append("")
    return "\n".join(lines)


def key(index: int) -> str:
    return f"c{index:05d}"


# N campaigns on the emulator's four mailboxes are far over any real sending limit: the fleet's
# wpsync.toml turns the mailbox-volume lint off, so every file still validates with no warnings.
SETTINGS = "[lint]\nmax_daily_sends_per_mailbox = 0\n"


def write_settings(root: Path) -> Path:
    """The ``wpsync.toml`` beside a fleet's ``campaigns/`` folder (``root``)."""
    path = root / "wpsync.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    return path


def generate(
    directory: Path, n: int, steps: int = 16, seed: int = 0, start: int = 0, copy: int = 1
) -> list[Path]:
    """Write campaigns ``start`` … ``start + n - 1`` into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        path = directory / f"{key(index)}.toml"
        path.write_text(campaign_text(index, steps, seed, copy=copy), encoding="utf-8")
        paths.append(path)
    return paths


def revise(path: Path, steps: int = 16, seed: int = 0, revision: int = 1) -> None:
    """Rewrite a generated campaign file with its last EMAIL step's copy edited (a typical PR)."""
    index = int(path.stem.lstrip("c"))
    path.write_text(campaign_text(index, steps, seed, revision=revision), encoding="utf-8")


def changed_indices(n: int, fraction: float = 0.01) -> list[int]:
    """Which campaigns the "changed" case edits: evenly spread, at least one."""
    count = max(1, round(n * fraction))
    return [round(i * n / count) for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=100, help="number of campaigns")
    parser.add_argument("-s", "--steps", type=int, default=16, help="steps per campaign (1–16)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.n, args.steps, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} campaign files ({size / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
