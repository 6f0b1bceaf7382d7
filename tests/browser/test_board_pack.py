"""A programme manager asks for the April 2011 board pack and downloads it."""

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.two_factor import give_code_if_asked

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_run_here")]


def test_a_programme_manager_requests_the_board_pack_and_downloads_it(
    live_server, page: Page, demo
):
    page.goto(live_server.url)
    page.get_by_label("Username").fill("manager")
    page.get_by_role("textbox", name="Password").fill("partnership-demo")
    page.get_by_role("button", name="Sign in").click()
    give_code_if_asked(page, "manager")

    page.goto(f"{live_server.url}/partnerships/em-iep/meetings/")
    page.get_by_role("row").filter(has_text="12 April 2011").get_by_role("link").click()
    page.get_by_role("link", name="Board packs for this meeting").click()
    page.get_by_role("button", name="Produce the pack").click()

    # Without a broker the pack is drawn during the request: allow for a slow machine.
    expect(page.get_by_role("heading", name="The pack is ready")).to_be_visible(timeout=90_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pack").click()
    pdf = PdfReader(download.value.path())
    first_page = pdf.pages[0].extract_text()
    assert f"Page 1 of {len(pdf.pages)}" in first_page
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Shared ICT" in text
