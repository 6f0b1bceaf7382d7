"""A council's officer submits its quarterly savings return through the API, as rows
of JSON or as the filled-in template, checked by the return pages' own forms and
file reader; nobody else may make the council's return."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from savings.models import SavingsCategory, SavingsEntry, SavingsReturn
from savings.return_files import COLUMNS
from tests.api import write

pytestmark = pytest.mark.django_db

SUBMIT = "/api/v1/savings-returns/submit/"
UPLOAD = "/api/v1/savings-returns/upload/"


def _row(**fields) -> dict:
    return {
        "category": SavingsCategory.objects.get(slug="procurement").pk,
        "project": None,
        "financial_year": 2011,
        "quarter": 2,
        "cashable": "yes",
        "status": "delivered",
        "amount": "12500.00",
        "description": "Stationery contract",
        **fields,
    }


def _csv(*lines: str) -> SimpleUploadedFile:
    text = "\n".join([",".join(COLUMNS), *lines])
    return SimpleUploadedFile("return.csv", text.encode(), content_type="text/csv")


def test_an_officer_submits_the_councils_return_as_rows(client, em_iep):
    response = write(
        client,
        em_iep["officer"],
        SUBMIT,
        {
            "organisation": em_iep["council"].pk,
            "financial_year": 2011,
            "quarter": 2,
            "rows": [_row(), _row(cashable="no", amount="400", description="Printing")],
        },
    )

    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["status"], made["version"]) == ("awaiting_sign_off", 1)
    entries = SavingsEntry.objects.filter(savings_return_id=made["id"]).order_by("amount")
    assert [(e.amount, e.cashable) for e in entries] == [(400, False), (12500, True)]


def test_rows_are_refused_with_the_return_pages_messages_row_by_row(client, em_iep):
    response = write(
        client,
        em_iep["officer"],
        SUBMIT,
        {
            "organisation": em_iep["council"].pk,
            "financial_year": 2011,
            "quarter": 2,
            "rows": [_row(), _row(amount="-5"), _row()],
        },
    )

    assert response.status_code == 400
    assert response.json()["rows"] == [
        {},
        {"amount": ["An amount cannot be negative."]},
        {"detail": "It repeats saving 1."},
    ]
    assert not SavingsReturn.objects.exists()


def test_a_return_without_rows_is_refused(client, em_iep):
    response = write(
        client,
        em_iep["officer"],
        SUBMIT,
        {"organisation": em_iep["council"].pk, "financial_year": 2011, "quarter": 2, "rows": []},
    )

    assert response.status_code == 400
    assert "detail" in response.json()


def test_an_officer_uploads_the_filled_in_template(client, em_iep):
    response = write(
        client,
        em_iep["officer"],
        UPLOAD,
        {
            "organisation": em_iep["council"].pk,
            "financial_year": 2011,
            "quarter": 2,
            "file": _csv("E07000139,2011/12,2,,Procurement,yes,delivered,2500,Fleet"),
        },
        multipart=True,
    )

    assert response.status_code == 201, response.content
    entry = SavingsEntry.objects.get(savings_return_id=response.json()["id"])
    assert (entry.amount, entry.description) == (2500, "Fleet")


def test_an_uploaded_files_problems_are_reported_by_row_and_column(client, em_iep):
    response = write(
        client,
        em_iep["officer"],
        UPLOAD,
        {
            "organisation": em_iep["council"].pk,
            "financial_year": 2011,
            "quarter": 2,
            "file": _csv("E07000139,2011/12,2,,Procurement,yes,delivered,lots,Fleet"),
        },
        multipart=True,
    )

    assert response.status_code == 400
    [problem] = response.json()["file"]
    assert problem.startswith("Row 2")
    assert not SavingsReturn.objects.exists()


def test_a_council_unknown_is_not_found(client, em_iep):
    body = {"organisation": 999999, "financial_year": 2011, "quarter": 2, "rows": [_row()]}

    assert write(client, em_iep["officer"], SUBMIT, body).status_code == 404


@pytest.mark.parametrize("who", ["boston_officer", "finance", "manager", "board"])
def test_a_return_refused_on_the_pages_is_refused_in_the_api(client, em_iep, who):
    council = em_iep["council"]
    client.force_login(em_iep[who])
    on_page = client.post(
        reverse("savings:return-upload", args=[council.pk]),
        {"financial_year": 2011, "quarter": 2, "file": _csv()},
    )
    rows = {"organisation": council.pk, "financial_year": 2011, "quarter": 2, "rows": [_row()]}
    upload = {**rows, "file": _csv("E07000139,2011/12,2,,Procurement,yes,delivered,1,A")}
    del upload["rows"]

    assert on_page.status_code == 403
    assert write(client, em_iep[who], SUBMIT, rows).status_code == 403
    assert write(client, em_iep[who], UPLOAD, upload, multipart=True).status_code == 403
    assert not SavingsReturn.objects.exists()
