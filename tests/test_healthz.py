from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

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
    settings.CACHE_URL = "locmem://"

    assert client.get(reverse("healthz")).json()["cache"] == "ok"


def test_healthz_is_never_cached(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
