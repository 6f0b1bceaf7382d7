"""Savings returns saved as drafts: typed in the browser, kept in the database, carried
on with after signing out, submitted, discarded; counted nowhere and seen by no one
but the council's officers."""

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.models import Role
from savings.models import SavingsCategory, SavingsEntry, SavingsReturn, SavingsTotal
from savings.return_files import SavingsRow
from savings.services import SavingsError, savings_return_save_draft, savings_return_submit
from tests.factories import user_with_role
from tests.savings.test_views import (
    council_url,
    entry_form,
    error_summary,
    press_submit,
    row,
    text,
)

pytestmark = pytest.mark.django_db

CHECK = {"year": 2010, "quarter": 4}


def typed(em_iep, *amounts: str, **extra) -> dict:
    category = str(SavingsCategory.objects.get(name="Procurement").pk)
    rows = [
        row(index, category=category, amount=amount, description=f"Saving {index}")
        for index, amount in enumerate(amounts)
    ]
    return entry_form(*rows, **extra)


def draft_rows(em_iep, *amounts: str) -> list[SavingsRow]:
    category = SavingsCategory.objects.get(name="Procurement")
    return [
        SavingsRow(
            organisation_id=em_iep["council"].pk,
            financial_year=2010,
            quarter=4,
            project_id=None,
            category_id=category.pk,
            cashable=True,
            status="delivered",
            amount=Decimal(amount),
            description=f"Saving {index}",
        )
        for index, amount in enumerate(amounts)
    ]


def a_draft(em_iep, *amounts: str) -> SavingsReturn:
    return savings_return_save_draft(
        organisation=em_iep["council"],
        financial_year=2010,
        quarter=4,
        rows=draft_rows(em_iep, *amounts),
        source="form",
        revision=None,
        by=em_iep["officer"],
    )


def test_an_officer_saves_a_draft_signs_out_and_carries_on_with_it_then_submits(em_iep):
    enter = council_url("return-enter", em_iep["council"])
    first = Client()
    first.force_login(em_iep["officer"])

    response = first.post(enter, typed(em_iep, "1000", "250", save="1"))

    assert response["Location"] == council_url("council", em_iep["council"])
    assert "Draft saved" in text(first.get(response["Location"]))
    first.logout()
    # Signed in again in a new browser: the draft is in the database, not the session.
    again = Client()
    again.force_login(em_iep["officer"])
    page = again.get(council_url("council", em_iep["council"]))
    assert "Carry on with the draft return for 2010/11 quarter 4" in text(page)
    draft = SavingsReturn.objects.get()
    assert f'href="{html.escape(draft.get_absolute_url())}"' in page.content.decode()
    form = again.get(draft.get_absolute_url()).content.decode()
    assert 'value="Saving 0"' in form and 'value="250.00"' in form
    assert f'name="revision" value="{draft.revision}"' in form

    response = again.post(
        enter, typed(em_iep, "1000", "300", revision=draft.revision, **{"continue": "1"})
    )
    check_url = council_url("return-check", em_iep["council"], **CHECK)
    assert response["Location"] == check_url
    assert "Delivered £1,300.00" in text(again.get(check_url))
    response = press_submit(again, check_url)

    submitted = SavingsReturn.objects.get()
    assert submitted.pk == draft.pk  # the draft became the return
    assert submitted.status == SavingsReturn.Status.AWAITING_SIGN_OFF
    assert (submitted.version, submitted.draft) == (1, None)
    assert response["Location"] == submitted.get_absolute_url()
    assert sorted(submitted.entries.values_list("amount", flat=True)) == [
        Decimal("300.00"),
        Decimal("1000.00"),
    ]
    assert "Carry on with the draft" not in text(
        again.get(council_url("council", em_iep["council"]))
    )


def test_a_draft_counts_in_no_figure_and_no_one_else_sees_it(client, em_iep):
    draft = a_draft(em_iep, "5000")
    assert not SavingsEntry.objects.exists()
    assert not SavingsTotal.objects.exists()

    client.force_login(em_iep["manager"])
    summary = text(client.get(reverse("savings:summary"), {"year": 2010}))
    assert "£5,000" not in summary
    assert client.get(reverse("savings:return-detail", args=[draft.pk])).status_code == 404
    assert client.get("/api/v1/savings-returns/").json()["count"] == 0
    client.force_login(em_iep["finance"])
    assert "2010/11 quarter 4" not in text(client.get(reverse("savings:awaiting-sign-off")))
    council = text(client.get(council_url("council", em_iep["council"])))
    assert "draft" not in council.lower()
    client.force_login(em_iep["boston_officer"])
    assert client.get(reverse("savings:draft-discard", args=[draft.pk])).status_code == 404
    assert client.get(reverse("savings:return-detail", args=[draft.pk])).status_code == 404


def test_another_councils_officer_cannot_save_a_draft_for_it(em_iep):
    with pytest.raises(SavingsError, match="Only North Kesteven District Council's officers"):
        savings_return_save_draft(
            organisation=em_iep["council"],
            financial_year=2010,
            quarter=4,
            rows=[],
            source="form",
            revision=None,
            by=em_iep["boston_officer"],
        )
    assert not SavingsReturn.objects.exists()


def test_a_draft_saved_in_another_tab_is_not_overwritten(client, em_iep):
    client.force_login(em_iep["officer"])
    enter = council_url("return-enter", em_iep["council"])
    # Two tabs opened on the empty form; the first saves.
    client.post(enter, typed(em_iep, "1000", save="1"))

    response = client.post(enter, typed(em_iep, "2000", save="1"))

    assert response.status_code == 400
    assert error_summary(response) == [
        "This draft was saved since you opened it, perhaps in another tab. Open the draft "
        "again to see what was saved, then make your changes again."
    ]
    draft = SavingsReturn.objects.get()
    assert draft.draft["rows"][0]["amount"] == "1000.00"


def test_a_draft_saved_again_after_it_was_checked_is_not_submitted(client, em_iep):
    client.force_login(em_iep["officer"])
    draft = a_draft(em_iep, "1000")
    check_url = council_url("return-check", em_iep["council"], **CHECK)
    checked = draft.revision
    a_draft_again = dict(typed(em_iep, "9000", revision=checked, save="1"))
    client.post(council_url("return-enter", em_iep["council"]), a_draft_again)

    response = client.post(check_url, {"revision": checked})

    assert response.status_code == 400
    assert "This draft was saved since you opened it" in error_summary(response)[0]
    assert SavingsReturn.objects.get().status == SavingsReturn.Status.DRAFT


def test_submitting_a_quarter_with_a_draft_the_officer_did_not_check_is_refused(em_iep):
    draft = a_draft(em_iep, "1000")
    with pytest.raises(SavingsError, match="saved since you opened it"):
        savings_return_submit(
            organisation=em_iep["council"],
            financial_year=2010,
            quarter=4,
            rows=draft_rows(em_iep, "1000"),
            draft_revision=draft.revision + 1,
            by=em_iep["officer"],
        )


def test_discarding_a_draft_asks_first_then_deletes_it(client, em_iep):
    client.force_login(em_iep["officer"])
    draft = a_draft(em_iep, "1000", "250")
    url = reverse("savings:draft-discard", args=[draft.pk])
    assert f'href="{url}"' in client.get(council_url("council", em_iep["council"])).content.decode()

    page = text(client.get(url))

    assert "Discard the draft return for 2010/11 quarter 4?" in page
    assert "The 2 savings in the draft will be deleted." in page
    assert SavingsReturn.objects.exists()
    response = client.post(url)
    assert response["Location"] == council_url("council", em_iep["council"])
    assert "Draft return for 2010/11 quarter 4 discarded." in text(client.get(response["Location"]))
    assert not SavingsReturn.objects.exists()


def test_a_councils_finance_officer_cannot_discard_its_draft(client, em_iep):
    draft = a_draft(em_iep, "1000")
    client.force_login(em_iep["finance"])
    assert client.post(reverse("savings:draft-discard", args=[draft.pk])).status_code == 404
    assert SavingsReturn.objects.filter(pk=draft.pk).exists()


def test_the_returns_due_page_shows_a_saved_draft(client, em_iep):
    client.force_login(em_iep["officer"])
    page = client.get(reverse("savings:returns-due")).content.decode()
    due = re.search(r"\?year=(\d+)&amp;quarter=(\d)", page)
    year, quarter = int(due.group(1)), int(due.group(2))
    enter = council_url("return-enter", em_iep["council"])
    client.post(
        enter, {**typed(em_iep, "10"), "financial_year": year, "quarter": quarter, "save": "1"}
    )

    assert "Due, draft saved" in text(client.get(reverse("savings:returns-due")))
    Role.objects.filter(user=em_iep["officer"]).delete()
    other = user_with_role(Role.Kind.OFFICER, organisation=em_iep["boston"])
    client.force_login(other)
    assert "draft saved" not in text(client.get(reverse("savings:returns-due")))


def test_the_officers_council_page_costs_the_same_queries_for_1_draft_as_for_8(client, em_iep):
    client.force_login(em_iep["officer"])
    url = council_url("council", em_iep["council"])
    a_draft(em_iep, "1000")

    def opening() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = opening()
    for year in range(2001, 2008):
        SavingsReturn.objects.create(
            organisation=em_iep["council"],
            financial_year=year,
            quarter=1,
            version=0,
            status=SavingsReturn.Status.DRAFT,
            draft={"source": "form", "rows": []},
        )
    # Session, user, the council, the user's roles, the returns sent back, the drafts,
    # the return due, the count of returns (none to page through: drafts are not
    # returns), targets (with none, no delivered savings to set against them), other
    # benefits, the menu's unread notifications and forecasts.
    assert one == opening() == 12
