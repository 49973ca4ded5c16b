"""Entry point: `python -m wpsync` and the `wpsync` console script."""

from __future__ import annotations

import sys


def main() -> None:
    # `wpsync --version` is answered before click is imported: start-up time is a measured target.
    if sys.argv[1:] == ["--version"]:
        from wpsync import __version__

        sys.stdout.write(f"wpsync {__version__}\n")
        return
    import gc

    # A CLI run allocates hundreds of thousands of small, acyclic objects (TOML tables, models, JSON) and
    # lives for seconds: the default thresholds spend a third of a fleet's validate in the collector.
    gc.set_threshold(100_000, 50, 100)
    # `wpsync plan` as CI and scripts type it is read before click is imported, too (it costs more than
    # Python's start-up); any other command line goes to click, untouched (wpsync.cli.quick).
    import os

    from wpsync.cli import quick

    values = quick.read_plan(sys.argv[1:], os.environ) if quick.streams_plain(os.environ) else None
    if values is not None:
        quick.run(values)
        return
    from wpsync.cli import run

    run()


if __name__ == "__main__":
    main()
