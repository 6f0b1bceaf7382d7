from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in_when_the_database_answers(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured"}


def test_healthz_answers_503_naming_the_database_when_it_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = ""

    with mock.patch(
        "config.healthchecks.connection.cursor", side_effect=OperationalError("gone away")
    ):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "broker": "not configured"}


def test_healthz_answers_503_naming_the_broker_when_it_does_not_answer(client, settings):
    # Nothing listens on port 1, so the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}


def test_healthz_is_never_cached(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
