"""Signed in as each demo role, every link the portal draws opens: walking breadth-first
from the home page and following each same-site link finds no page that refuses its
reader (403) or hides from them (404)."""

import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

from reports.demo.fixture_files import rows

pytestmark = pytest.mark.django_db

# Every demo user, each holding one role.
ROLES = list(dict.fromkeys(row["username"] for row in rows("demo_users.csv")))
# Enough pages of each kind to meet every way a page draws its links, few enough to
# keep each role's walk short.
PER_PATTERN = 3
# The API's docs (linked from the API tokens page) are Swagger UI's page, not the
# portal's: tests/test_api_schema.py checks the API.
SKIPPED = ("/static/", "/accounts/logout/", "/api/")
SIGN_IN = ("/accounts/login/", "/admin/login/")
SITE = "http://testserver"  # the test client's host


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
        parts = urlsplit(urldefrag(urljoin(SITE + page, href)).url)
        if f"{parts.scheme}://{parts.netloc}" == SITE:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
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


def refusal(response) -> str | None:
    """Why the reader could not open the page, or None when it opened (a page or a
    file), redirects followed."""
    if response.status_code != 200:
        return f"answered {response.status_code}"
    if response.redirect_chain and urlsplit(response.request["PATH_INFO"]).path in SIGN_IN:
        return "sent the reader to sign in"
    return None


def crawl(client, role: str, per_pattern: int = PER_PATTERN) -> tuple[list[str], list[str]]:
    """Every link that did not open, named with the page it was on; and the portal's
    HTML pages that opened (taking at most ``per_pattern`` pages of each kind)."""
    failures: list[str] = []
    queue = deque([("/", "(start)")])
    seen: set[str] = {"/"}
    taken: Counter = Counter()
    opened: list[str] = []
    while queue:
        url, on = queue.popleft()
        response = client.get(url, follow=True)
        problem = refusal(response)
        if problem:
            failures.append(f"{role}: {url} on {on} {problem}")
            continue
        if urlsplit(url).path.startswith("/admin/"):
            continue  # the admin is its own site: the menu's link to it must open, no more
        if "text/html" in response.get("Content-Type", ""):
            opened.append(url)
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
            elif taken[kind] >= (1 if kind[1] else per_pattern):
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
    assert len(opened) > 5, f"{role} reached only {len(opened)} pages"
    assert not failures, "\n".join(failures)
