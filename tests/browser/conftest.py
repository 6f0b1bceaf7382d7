"""Browser tests drive Debian's Chromium (never a browser Playwright downloads) against
pytest-django's live server."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls
# (building users and roles) would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    f"Chromium not installed at {CHROMIUM}: browser tests skipped; "
    "install Debian's chromium or run .ci/run"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM_MISSING} (PORTAL_REQUIRE_BROWSER=1 makes this a failure)")
        pytest.skip(CHROMIUM_MISSING)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def demo(settings):
    """The demo partnerships and users, as ``make demo`` loads them."""
    settings.DEBUG = True  # demo users are made only with DEBUG on
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture
def csp_refusals(context) -> list[str]:
    """What the browser refused under the Content-Security-Policy on any page of the
    test: Chromium reports each refusal as a console error."""
    refused = []
    context.on(
        "console",
        lambda message: (
            refused.append(f"{message.location.get('url')}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


@pytest.fixture(autouse=True)
def no_csp_refusals(csp_refusals):
    """Every journey runs with the portal's Content-Security-Policy on (docs/adr/0017):
    a page whose script or style the policy refuses fails the test that opened it."""
    yield
    assert not csp_refusals, "\n".join(csp_refusals)
