"""Render a golden markdown plan the way GitHub shows a pull-request comment, and screenshot it.

    .venv/bin/python scripts/render_plan_picture.py [PLAN.md] [--out docs/plan-comment.png] [--open KEY]

The markdown goes through markdown-it-py (CommonMark with GFM tables and strikethrough, raw HTML kept,
as GitHub keeps <details>, <del>, <ins>, <sub>); GitHub's alert blockquotes (``> [!WARNING]``) are
drawn as GitHub draws them; the page gets GitHub-like CSS inside a comment frame; headless Chromium
(Debian's ``chromium``) measures the page and then screenshots it whole. ``--open KEY`` unfolds that
campaign's section too (GitHub folds every section but the refused ones until a reader opens it).
Nothing is fetched from the network: the CSS is here, and Chromium runs with networking features off.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PLAN = ROOT / "tests" / "review" / "golden" / "all-kinds.md"
DEFAULT_OUT = ROOT / "docs" / "plan-comment.png"
WIDTH = 1012  # GitHub's comment column on a laptop screen, frame included
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
ALERTS = {
    "NOTE": ("#0969da", "ⓘ Note"),
    "WARNING": ("#9a6700", "⚠ Warning"),
    "CAUTION": ("#d1242f", "⊘ Caution"),
    "TIP": ("#1a7f37", "💡 Tip"),
    "IMPORTANT": ("#8250df", "☑ Important"),
}
CSS = """
body { margin: 0; background: #ffffff; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica,
  Arial, sans-serif, "Noto Color Emoji"; font-size: 14px; line-height: 1.5; color: #1f2328; }
.frame { margin: 16px; border: 1px solid #d1d9e0; border-radius: 6px; }
.frame > header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e;
  border-radius: 6px 6px 0 0; }
.frame > header b { color: #1f2328; }
.markdown-body { padding: 16px; }
.markdown-body > *:first-child { margin-top: 0; }
h3 { font-size: 1.25em; font-weight: 600; margin: 8px 0 16px; }
p, blockquote, table, pre, ul, details { margin: 0 0 16px; }
sub { color: #59636e; font-size: 12px; }
code { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, monospace; font-size: 85%;
  background: rgba(129, 139, 152, 0.12); padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; font-size: 85%; }
pre code { background: none; padding: 0; font-size: 100%; }
blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
blockquote > :last-child { margin-bottom: 0; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; } tr:nth-child(2n) td { background: #f6f8fa; }
details { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 16px 0; }
details > summary { cursor: pointer; margin: 0 -16px 8px; padding: 0 16px 8px; }
details[open] > summary { border-bottom: 1px solid #d1d9e0; }
details details { border: none; padding: 0; }
details details > summary { margin: 0 0 8px; padding: 0; border: none; color: #0969da; }
del { color: #82071e; background: #ffebe9; text-decoration: line-through; }
ins { color: #116329; background: #dafbe1; text-decoration: underline; }
.alert { padding: 8px 16px; border-left: .25em solid; margin-bottom: 16px; }
.alert > p:first-child { font-weight: 600; margin-bottom: 4px; }
.alert > :last-child { margin-bottom: 0; }
ul { padding-left: 2em; }
"""


def to_html(markdown: str, open_keys: list[str]) -> str:
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    body = renderer.render(markdown)
    body = re.sub(r"<blockquote>\n<p>\[!(\w+)\]\n?", _alert, body)
    for key in open_keys:  # unfold that campaign's section, as a reader would
        body = re.sub(
            rf"<details>(\n<summary>[^\n]*?<code>{re.escape(html.escape(key))}</code>)",
            r"<details open>\1",
            body,
        )
    header = "<header><b>github-actions</b> <span>bot</span> commented</header>"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        + CSS
        + "</style></head><body><div class='frame'>"
        + header
        + "<div class='markdown-body'>"
        + body
        + "</div></div>"
        + "<script>document.title = 'H' + document.documentElement.scrollHeight;</script></body></html>"
    )


def _alert(match: re.Match[str]) -> str:
    colour, title = ALERTS.get(match.group(1), ("#59636e", match.group(1).title()))
    return f"<blockquote class='alert' style='border-color:{colour}'><p style='color:{colour}'>{title}</p>\n<p>"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        sys.exit("render_plan_picture: no chromium on PATH (Debian: apt-get install chromium)")
    return found


def screenshot(page: Path, out: Path) -> None:
    browser = chromium()
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},800",
             "--dump-dom", page.as_uri()],
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout
    found = re.search(r"<title>H(\d+)</title>", dom)
    height = int(found.group(1)) if found else 3000
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH},{height}",
             f"--screenshot={out}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("plan", nargs="?", type=Path, default=DEFAULT_PLAN)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--open", action="append", default=[], metavar="KEY", dest="open_keys")
    parser.add_argument("--html", type=Path, help="also keep the rendered page here")
    args = parser.parse_args()
    page_html = to_html(args.plan.read_text(encoding="utf-8"), args.open_keys)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "plan.html"
        page.write_text(page_html, encoding="utf-8")
        if args.html:
            args.html.write_text(page_html, encoding="utf-8")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        screenshot(page, args.out.resolve())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
