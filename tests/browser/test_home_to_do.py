"""From the home page to the work waiting, in one click, as the demo programme manager
and a demo officer: each count on the home page is the number of rows the link opens."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_projects import sign_in

pytestmark = pytest.mark.browser


def waiting_work(page: Page) -> list[tuple[str, int]]:
    """Each task on the home page: its link's name and its count."""
    tasks = page.locator(".govuk-task-list__item")
    return [
        (
            tasks.nth(index).get_by_role("link").inner_text(),
            int(tasks.nth(index).locator(".govuk-tag").inner_text()),
        )
        for index in range(tasks.count())
    ]


@pytest.mark.parametrize(
    "username, first_task",
    [("manager", "Late progress reports to chase"), ("officer-north-kesteven", "Milestones due")],
)
def test_each_piece_of_waiting_work_is_one_click_from_the_home_page(
    live_server, page: Page, demo, username, first_task
):
    sign_in(page, live_server, username)
    tasks = waiting_work(page)
    assert first_task in dict(tasks)

    for label, count in tasks:
        page.goto(live_server.url)
        page.get_by_role("link", name=label, exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_be_visible()
        rows = page.locator("table tbody tr")
        if page.get_by_role("navigation", name=re.compile("pages$")).count():
            assert rows.count() > 0, label  # the first page of a longer list
        else:
            expect(rows).to_have_count(count)
