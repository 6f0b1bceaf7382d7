"""Read pages kept until the records change (partnership/page_cache.py): a reader who
reads again is served without the page being derived again, and nobody is ever shown
records that have since changed, or another reader's page."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from partnership.models import Role
from partnership.page_cache import kept_until_records_change, records_version
from projects.models import Project
from tests.factories import ProjectFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PROJECTS = reverse("projects:project-list")


def _manager_of(project: Project):
    return user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=project.programme.partnership)


def _read_until_kept(client, url: str):
    # The first read sets the CSRF cookie, whose secret the kept page's forms use.
    client.get(url)
    return client.get(url)


def test_a_page_read_again_is_served_without_being_derived_again(client, django_assert_num_queries):
    project = ProjectFactory(title="Shared revenues and benefits")
    client.force_login(_manager_of(project))
    _read_until_kept(client, PROJECTS)

    # The session and the signed-in user; no project, milestone or payment is read.
    with django_assert_num_queries(2):
        response = client.get(PROJECTS)

    assert response.status_code == 200
    assert "Shared revenues and benefits" in response.content.decode()


def test_any_write_shows_on_the_next_read_even_a_bulk_update(client):
    project = ProjectFactory(title="Shared revenues and benefits")
    client.force_login(_manager_of(project))
    _read_until_kept(client, PROJECTS)

    # A queryset update sends no signal and calls no save(): the connection sees it.
    Project.objects.filter(pk=project.pk).update(title="Joint procurement hub")
    page = client.get(PROJECTS).content.decode()

    assert "Joint procurement hub" in page
    assert "Shared revenues and benefits" not in page


def test_each_reader_is_served_their_own_page(client):
    ours = ProjectFactory(title="Our shared service")
    theirs = ProjectFactory(title="Their shared service")
    our_manager, their_manager = _manager_of(ours), _manager_of(theirs)
    client.force_login(our_manager)
    _read_until_kept(client, PROJECTS)

    client.force_login(their_manager)
    page = client.get(PROJECTS).content.decode()

    assert "Their shared service" in page
    assert "Our shared service" not in page


def test_a_refused_reader_is_never_served_a_kept_page(client):
    project = ProjectFactory()
    manager = _manager_of(project)
    client.force_login(manager)
    _read_until_kept(client, PROJECTS)

    # The same browser session, once its roles are gone.
    Role.objects.filter(user=manager).delete()

    assert client.get(PROJECTS).status_code == 403


def test_session_writes_leave_kept_pages_in_place(client):
    project = ProjectFactory()
    client.force_login(_manager_of(project))
    _read_until_kept(client, PROJECTS)
    version = records_version()

    session = client.session
    session["seen"] = True
    session.save()

    assert records_version() == version


@pytest.mark.django_db(transaction=True)
def test_a_write_changes_the_version_at_once_and_again_when_it_commits():
    project = ProjectFactory()
    before = records_version()

    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(title="Renamed")
        written = records_version()
        # Another process reading now derives from the records as they were, and
        # keeps its page under this version: the commit must move past it.
        assert written != before
    assert records_version() != written


@pytest.mark.django_db(transaction=True)
def test_a_transaction_after_one_rolled_back_still_changes_the_version_when_it_commits():
    project = ProjectFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(title="Never committed")
        raise RuntimeError

    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(title="Joint procurement hub")
        written = records_version()

    assert records_version() != written


def test_every_connection_watches_its_writes():
    from partnership.page_cache import watch_writes

    connection.ensure_connection()

    assert watch_writes in connection.execute_wrappers


def _request_with_session(user):
    request = RequestFactory().get("/kept/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.session.save()
    MessageMiddleware(lambda request: None).process_request(request)
    request.user = user
    request.COOKIES["csrftoken"] = request.META["CSRF_COOKIE"] = "a" * 32
    return request


def test_a_page_with_a_message_waiting_is_rendered_afresh():
    rendered = []

    @kept_until_records_change
    def page(request):
        rendered.append(True)
        return HttpResponse("page")

    request = _request_with_session(UserFactory())
    page(request)
    page(request)
    messages.success(request, "Milestone verified")
    page(request)

    assert len(rendered) == 2


def test_anonymous_readers_and_posts_are_never_kept():
    rendered = []

    @kept_until_records_change
    def page(request):
        rendered.append(True)
        return HttpResponse("page")

    anonymous = _request_with_session(AnonymousUser())
    page(anonymous)
    page(anonymous)
    posted = _request_with_session(UserFactory())
    posted.method = "POST"
    page(posted)
    page(posted)

    assert len(rendered) == 4


# Nothing listens on port 1: the cache refuses every connection, as when Redis is down.
SILENT_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
# A cache of this process's memory that outlives a change of settings, as Redis outlives
# its outage.
CACHE_HERE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "answers-again",
    }
}


def test_with_the_cache_down_pages_are_served_and_writes_shown(client, settings):
    project = ProjectFactory(title="Shared revenues and benefits")
    client.force_login(_manager_of(project))
    settings.CACHES = SILENT_CACHE

    first = _read_until_kept(client, PROJECTS)
    Project.objects.filter(pk=project.pk).update(title="Joint procurement hub")
    again = client.get(PROJECTS)

    assert first.status_code == again.status_code == 200
    assert "Shared revenues and benefits" in first.content.decode()
    assert "Joint procurement hub" in again.content.decode()


def test_a_page_kept_before_the_cache_fell_silent_is_not_served_after_a_write_meanwhile(
    client, settings
):
    project = ProjectFactory(title="Shared revenues and benefits")
    client.force_login(_manager_of(project))
    settings.CACHES = CACHE_HERE
    caches["default"].clear()
    _read_until_kept(client, PROJECTS)

    settings.CACHES = SILENT_CACHE
    # The write cannot reach the cache to change the records' version.
    Project.objects.filter(pk=project.pk).update(title="Joint procurement hub")
    settings.CACHES = CACHE_HERE
    page = client.get(PROJECTS).content.decode()

    assert "Joint procurement hub" in page
    assert "Shared revenues and benefits" not in page
