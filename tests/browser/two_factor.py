"""The second step of signing in, as a person with an authenticator app does it."""

import base64
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page


def give_code_if_asked(page: Page, username: str) -> None:
    """After the password: set up an app from the key the page shows (and go past the
    recovery codes), or give the code of the app set up before; else nothing."""
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/two-factor/set-up/" in page.url:
        typed_key = page.locator("#setup-key").text_content().replace(" ", "")
        page.get_by_label("Code", exact=True).fill(_code(base64.b32decode(typed_key), last_t=-1))
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="Continue").click()
    elif "/accounts/two-factor/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Code", exact=True).fill(_code(device.bin_key, last_t=device.last_t))
        page.get_by_role("button", name="Continue").click()


def _code(key: bytes, *, last_t: int) -> str:
    # An app's code is accepted once: a second sign-in within the same 30 seconds uses
    # the next one, which the portal accepts as a step of clock drift.
    totp = TOTP(key)
    totp.time = max(time.time(), (last_t + 1) * totp.step)
    return f"{totp.token():06d}"
