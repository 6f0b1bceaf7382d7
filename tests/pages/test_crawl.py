"""Signed in as each demo role, every link the portal draws opens: walking breadth-first
from the home page and following each same-site link finds no page that refuses its
reader (403) or hides from them (404)."""

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

ROLES = [
    "officer-north-kesteven",
    "officer-nottinghamshire",
    "officer-leicester",
    "officer-lancaster",
    "manager",
    "board",
    "finance",
    "finance-north-kesteven",
    "admin",
]
# Enough pages of each kind to meet every way a page draws its links, few enough to
# keep each role's walk short.
PER_PATTERN = 3
SKIPPED = ("/static/", "/media/", "/accounts/logout/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_on(response, page: str) -> list[str]:
    """The same-site links on a page, without fragments, resolved against it."""
    if "text/html" not in response.get("Content-Type", ""):
        return []
    parser = Links()
    parser.feed(response.content.decode())
    found = []
    for href in parser.hrefs:
        href = urldefrag(href).url
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")) or not href:
            continue
        if not href.startswith("/"):
            href = (
                page.rsplit("/", 1)[0] + "/" + href
                if not href.startswith("?")
                else (urlsplit(page).path + href)
            )
        found.append(href)
    return found


def pattern_of(url: str) -> tuple[str, bool] | None:
    """The kind of page a URL opens: its URL name and path shape (numbers taken out),
    and whether it carries a query; None for a path nothing answers."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    shape = re.sub(r"\d+", "#", parts.path)
    return f"{match.view_name} {shape}", bool(parts.query)


def answered(client, url: str):
    """The response a reader finally gets: redirects followed (GET only)."""
    return client.get(url, follow=True)


def crawl(client, role: str) -> tuple[list[str], int]:
    """Every link that did not open, named with the page it was on; and how many
    pages were opened."""
    failures: list[str] = []
    queue = deque([("/", "(start)")])
    seen: set[str] = {"/"}
    taken: Counter = Counter()
    opened = 0
    while queue:
        url, on = queue.popleft()
        path = urlsplit(url).path
        if path.startswith("/admin/"):
            # The admin is its own site: the menu's link to it must open, no more.
            response = answered(client, url)
            if response.status_code != 200:
                failures.append(f"{role}: {url} on {on} answered {response.status_code}")
            continue
        response = answered(client, url)
        opened += 1
        if response.status_code != 200:
            failures.append(f"{role}: {url} on {on} answered {response.status_code}")
            continue
        for link in links_on(response, url):
            link_path = urlsplit(link).path
            if link in seen or link_path.startswith(SKIPPED):
                continue
            seen.add(link)
            kind = pattern_of(link)
            if kind is None:
                failures.append(f"{role}: {link} on {url} resolves to no page")
                continue
            if link_path.startswith("/admin/"):
                if link_path != "/admin/":
                    continue
            elif taken[kind] >= (1 if kind[1] else PER_PATTERN):
                continue
            taken[kind] += 1
            queue.append((link, url))
    return failures, opened


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo partnerships and their people, loaded once for every role's walk and
    removed afterwards."""
    from django.conf import settings

    with django_db_blocker.unblock():
        debug, settings.DEBUG = settings.DEBUG, True  # demo users are made only with DEBUG
        try:
            call_command("load_demo", stdout=io.StringIO())
        finally:
            settings.DEBUG = debug
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_demo_role_is_shown_opens(client, demo, role):
    client.force_login(get_user_model().objects.get(username=role))
    failures, opened = crawl(client, role)
    assert opened > 5, f"{role} reached only {opened} pages"
    assert not failures, "\n".join(failures)
