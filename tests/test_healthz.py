from unittest import mock

import pytest
from django.db import close_old_connections, connection, connections
from django.db.utils import OperationalError
from django.urls import reverse

from tests.factories import ProjectFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in_when_the_database_answers(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "not configured",
        "cache": "not configured",
    }


def test_healthz_answers_503_naming_the_database_when_it_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = ""

    with mock.patch(
        "config.healthchecks.connection.cursor", side_effect=OperationalError("gone away")
    ):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {
        "database": "unavailable",
        "broker": "not configured",
        "cache": "not configured",
    }


def test_healthz_stays_200_naming_the_broker_and_the_cache_when_redis_does_not_answer(
    client, settings
):
    # Pages are still served without them, so the instance stays in service.
    # Nothing listens on port 1, so the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CACHE_URL = "redis://127.0.0.1:1/1"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CACHE_URL,
        }
    }

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "unavailable", "cache": "unavailable"}


def test_healthz_names_a_cache_that_answers(client, settings):
    settings.CELERY_BROKER_URL = ""
    settings.CACHE_URL = "redis://cache.example:6379/1"  # set, as in production
    # ... and the cache in use (this process's memory here) answers.

    assert client.get(reverse("healthz")).json()["cache"] == "ok"


def test_healthz_is_never_cached(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ends the portal's PostgreSQL sessions"
)


def _restart_ends_every_session() -> None:
    """What a restart of PostgreSQL does to the portal's open connections."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
    finally:
        other.close()


def _next_request(client, url: str):
    # Django checks its kept connections as each request starts; the test client
    # leaves that out, so it is done here as the web server would.
    close_old_connections()
    return client.get(url)


@needs_postgres
@pytest.mark.django_db(transaction=True)  # the test's own sessions are ended under it
def test_healthz_answers_503_while_the_database_restarts_and_200_once_it_is_back(client, settings):
    settings.CELERY_BROKER_URL = ""
    healthz = reverse("healthz")
    assert client.get(healthz).status_code == 200

    # Down: every session ended, and new connections refused until it is back.
    database = connection.settings_dict
    port = database["PORT"]
    _restart_ends_every_session()
    database["PORT"] = "1"
    try:
        down = _next_request(client, healthz)
        still_down = _next_request(client, healthz)
    finally:
        database["PORT"] = port
    back = _next_request(client, healthz)

    assert (down.status_code, still_down.status_code) == (503, 503)
    assert down.json()["database"] == "unavailable"
    assert back.status_code == 200
    assert back.json()["database"] == "ok"


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_first_page_after_the_database_restarted_is_served(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""
    # Connections are kept between requests, as in production (CONN_MAX_AGE).
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)
    connection.close()
    project = ProjectFactory(title="Shared revenues and benefits")
    client.force_login(
        user_with_role("programme_manager", partnership=project.programme.partnership)
    )
    projects = reverse("projects:project-list")
    assert client.get(projects).status_code == 200

    _restart_ends_every_session()

    page = _next_request(client, projects)
    assert page.status_code == 200
    assert "Shared revenues and benefits" in page.content.decode()
    assert _next_request(client, reverse("healthz")).status_code == 200
