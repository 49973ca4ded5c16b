"""Items 10 and 14: every environment variable is checked in one place, and http:// is refused except
to this machine (or with WPSYNC_ALLOW_HTTP=1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.conftest import assert_clear_error, cli
from tests.helpers import MINIMAL


@pytest.fixture
def campaigns(tmp_path: Path) -> list[str]:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    return ["--campaigns", str(tmp_path / "campaigns"), "--state", str(tmp_path / "state")]


@pytest.mark.parametrize("value", ["nan", "-1", "inf", "0", "601", "soon", "1e400"])
def test_a_bad_http_timeout_is_a_clear_error(campaigns: list[str], value: str) -> None:
    result = cli(
        ["plan", *campaigns],
        WOODPECKER_API_KEY="some-key",
        WOODPECKER_API_URL="http://127.0.0.1:9/rest",
        WPSYNC_HTTP_TIMEOUT=value,
    )
    assert_clear_error(
        result, "WPSYNC_HTTP_TIMEOUT must be a number of seconds greater than 0 and at most 600"
    )


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("WPSYNC_LOG", "verbose", "WPSYNC_LOG must be one of debug, info, warning, error"),
        ("WPSYNC_DEBUG", "maybe", "WPSYNC_DEBUG must be 1"),
        ("WPSYNC_ALLOW_HTTP", "please", "WPSYNC_ALLOW_HTTP must be 1"),
        ("WOODPECKER_API_URL", "ftp://example.com/rest", "WOODPECKER_API_URL must start with https://"),
    ],
)
def test_other_bad_variables_are_clear_errors(
    campaigns: list[str], name: str, value: str, needle: str
) -> None:
    assert_clear_error(cli(["plan", "--offline", *campaigns], **{name: value}), needle)


def test_the_environment_value() -> None:
    from wpsync.commands.workspace import Environment

    env = Environment.read(
        {
            "WOODPECKER_API_KEY": "  k-123456 ",
            "WOODPECKER_API_URL": "http://localhost:8765/rest/",
            "WPSYNC_HTTP_TIMEOUT": "2.5",
            "WPSYNC_LOG": "DEBUG",
            "NO_COLOR": "1",
            "GITHUB_STEP_SUMMARY": "/tmp/summary.md",
            "WPSYNC_DEBUG": "1",
        }
    )
    assert env == Environment(
        api_key="k-123456",
        api_url="http://localhost:8765/rest",
        http_timeout=2.5,
        log_level="debug",
        no_color=True,
        step_summary=Path("/tmp/summary.md"),
        debug=True,
        allow_http=False,
    )
    assert Environment.read({}) == Environment()


@pytest.mark.parametrize("url", ["http://api.woodpecker.co/rest", "http://10.0.0.5:8765/rest"])
def test_plain_http_to_another_host_is_refused(campaigns: list[str], url: str) -> None:
    result = cli(["plan", "--offline", *campaigns], WOODPECKER_API_URL=url)
    assert_clear_error(result, "WOODPECKER_API_URL", "plain http://", "WPSYNC_ALLOW_HTTP=1")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/rest",
        "http://127.1.2.3/rest",
        "http://localhost:8765/rest",
        "http://[::1]:8765/rest",
    ],
)
def test_plain_http_to_this_machine_is_accepted(campaigns: list[str], url: str) -> None:
    result = cli(["plan", "--offline", *campaigns], WOODPECKER_API_URL=url)
    assert result.exit_code == 0, result.output


def test_plain_http_elsewhere_with_explicit_permission(campaigns: list[str]) -> None:
    result = cli(
        ["plan", "--offline", *campaigns], WOODPECKER_API_URL="http://10.0.0.5/rest", WPSYNC_ALLOW_HTTP="1"
    )
    assert result.exit_code == 0, result.output


def test_the_client_refuses_plain_http_too() -> None:
    from wpsync.errors import InputError
    from wpsync.woodpecker.client import WoodpeckerClient

    with pytest.raises(InputError, match="plain http://"):
        WoodpeckerClient("k-123456", "http://api.woodpecker.co/rest")
