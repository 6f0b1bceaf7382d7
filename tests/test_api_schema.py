"""The OpenAPI schema tells the truth about the API: every list and detail response,
as each demo user reads it, matches the schema; and a short fuzz run (schemathesis)
finds no server error and no response outside the schema."""

import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bids.models import Bid
from config.wsgi import application
from partnership.models import Role
from savings.models import SavingsReturn
from tests.factories import (
    BidFactory,
    GrantPaymentFactory,
    MilestoneFactory,
    SavingsEntryFactory,
    SubRegionFactory,
    user_with_role,
)
from tests.permissions.test_visibility_agrees import DEMO_USERS

SCHEMA = "/api/v1/schema/?format=json"


def _conforms(case, response) -> None:
    checks = [not_a_server_error, response_schema_conformance]
    case.validate_response(response, checks=checks)


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests made straight to the WSGI application, as Django's test client makes
    them: without closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _session_cookie(user) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.mark.django_db
def test_every_response_of_every_endpoint_matches_the_schema_for_every_demo_user(
    settings, wsgi_in_test_transaction, django_user_model
):
    settings.DEBUG = True  # demo users are made only with DEBUG on
    call_command("load_demo", stdout=io.StringIO())
    schema = schemathesis.openapi.from_wsgi(SCHEMA, application)
    paths = schema.raw_schema["paths"]
    lists = [path for path in paths if "{" not in path and "get" in paths[path]]
    assert len(lists) >= 15
    read = 0
    for username in DEMO_USERS:
        cookies = _session_cookie(django_user_model.objects.get(username=username))
        for path in lists:
            case = schema[path]["GET"].Case(query={"page_size": 200})
            response = case.call(cookies=cookies)
            assert response.status_code == 200, (username, path)
            _conforms(case, response)
            rows = response.json()["results"]
            read += len(rows)
            if rows:
                # Every row listed opens, as its page does, and conforms too.
                detail = schema[f"{path}{{id}}/"]["GET"].Case(path_parameters={"id": rows[0]["id"]})
                response = detail.call(cookies=cookies)
                assert response.status_code == 200, (username, path, rows[0]["id"])
                _conforms(detail, response)
    assert read > 500


@pytest.mark.django_db
def test_the_api_survives_fuzzing_within_its_schema(wsgi_in_test_transaction):
    """A few generated requests to each endpoint, as an administrator over a little of
    everything, so that lists have rows and some ids are found."""
    payment = GrantPaymentFactory(project=MilestoneFactory().project)
    SubRegionFactory(partnership=payment.project.programme.partnership)
    BidFactory(status=Bid.Status.SUBMITTED, agreed_points=5)
    entry = SavingsEntryFactory()
    SavingsReturn.objects.create(organisation=entry.organisation, financial_year=2010, quarter=1)
    cookies = _session_cookie(user_with_role(Role.Kind.ADMINISTRATOR))
    schema = schemathesis.openapi.from_wsgi(SCHEMA, application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def survives(case):
            _conforms(case, case.call(cookies=cookies))

        survives()
