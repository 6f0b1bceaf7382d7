"""The savings pages, through HTTP: councils' returns entered or uploaded, checked,
submitted and signed off; targets, RAG forecasts and other benefits; the
partnership's summaries and their downloads; and who is refused what."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from partnership import financial_years
from partnership.models import Partnership, Role
from savings.models import (
    ForecastReturn,
    OtherBenefit,
    SavingsCategory,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
)
from savings.return_files import COLUMNS
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SavingsEntryFactory,
    UserFactory,
    programme_agreement,
    user_with_role,
)
from tests.reading import page_words

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = ",".join(COLUMNS)


text = page_words


def error_summary(response) -> list[str]:
    page = response.content.decode()
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, flags=re.S)
    if match is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", match.group(1), flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def council_url(name: str, council, **kwargs) -> str:
    return reverse(f"savings:{name}", kwargs={"pk": council.pk, **kwargs})


def upload(client, council, content: str, *, name="return.csv", year=2010, quarter=4):
    return client.post(
        council_url("return-upload", council),
        {
            "financial_year": year,
            "quarter": quarter,
            "file": SimpleUploadedFile(name, content.encode()),
        },
    )


def good_file(*amounts: str) -> str:
    return "\n".join(
        [HEADER]
        + [
            f"E07000139,2010/11,4,,Procurement,yes,delivered,{amount},Saving {number}"
            for number, amount in enumerate(amounts, start=1)
        ]
    )


def press_submit(client, check_url: str):
    """Press Submit on the check page, as drawn: with the revision of the draft shown."""
    page = client.get(check_url).content.decode()
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    return client.post(check_url, {"revision": revision})


def submit_by_upload(client, council, *amounts: str) -> SavingsReturn:
    response = upload(client, council, good_file(*amounts))
    assert response.status_code == 302, error_summary(response)
    response = press_submit(client, response["Location"])
    assert response.status_code == 302
    return SavingsReturn.objects.filter(organisation=council).order_by("-version").first()


# The Done-when figures: EM IEP's sub-regions in 2008/11, as in the April 2011 paper


@pytest.fixture
def demo(client):
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    partnership = Partnership.objects.get(slug="em-iep")
    client.force_login(user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership))
    with open(settings.BASE_DIR / "fixtures/em_iep/em_srp_savings_2011.csv") as paper:
        return list(csv.DictReader(paper))


def gbp(figure: str) -> str:
    return f"£{int(figure):,}"


def test_the_sub_regional_summary_for_em_iep_2008_11_is_the_april_2011_board_papers(client, demo):
    response = client.get(
        reverse("savings:summary"), {"partnership": "em-iep", "period": "2008/11"}
    )

    page = text(response)
    table = page[page.index("Savings by sub-region") : page.index("Download savings by sub-region")]
    assert [row["srp"] for row in demo] == [
        "Derbyshire",
        "Leicestershire, Leicester & Rutland",
        "Lincolnshire",
        "Northamptonshire",
        "Nottinghamshire",
    ]
    for row in demo:
        figures = (
            row["grant_allocation_gbp"],
            row["delivered_savings_gbp"],
            row["total_potential_savings_gbp"],
        )
        assert f"{row['srp']} {' '.join(gbp(figure) for figure in figures)}" in table
    assert "Total £19,385,000 £42,002,000 £138,889,000" in table


def test_the_sub_regional_summary_downloads_as_csv_row_by_row_with_its_total(client, demo):
    response = client.get(
        reverse("savings:summary-download", kwargs={"table": "sub-regions"}),
        {"partnership": "em-iep", "period": "2008/11"},
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "savings-sub-regions-em-iep-2008-11.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Sub-region",
        "Grant allocation",
        "Delivered savings",
        "Total potential savings",
    ]
    expected = [
        [
            row["srp"],
            D(row["grant_allocation_gbp"]),
            D(row["delivered_savings_gbp"]),
            D(row["total_potential_savings_gbp"]),
        ]
        for row in demo
    ] + [["Total", D("19385000"), D("42002000"), D("138889000")]]
    assert [[name, *map(D, figures)] for name, *figures in rows[1:]] == expected


def test_the_summary_filters_by_financial_year_and_reports_a_period_it_does_not_know(client, demo):
    response = client.get(
        reverse("savings:summary"), {"partnership": "em-iep", "period": "1999/00", "year": 2011}
    )

    assert response.status_code == 200
    assert error_summary(response) == [
        "Select a valid choice. 1999/00 is not one of the available choices."
    ]
    page = text(response)
    table = page[page.index("Savings by sub-region") :]
    # No savings fall in 2011/12, but the allocations stand.
    assert "Total £19,385,000 £0 £0" in table


# Uploading a return


def test_a_malformed_upload_is_refused_with_every_error_listed_and_nothing_saved(client, em_iep):
    client.force_login(em_iep["officer"])
    response = upload(
        client,
        em_iep["council"],
        "\n".join(
            [
                HEADER,
                "E07000139,2010/11,4,,Procurement,yes,delivered,twelve pounds,Text in an amount",
                "Rutland CC,2010/11,4,,Procurement,yes,delivered,10,Unknown organisation",
                "E07000139,2010/11,4,,Catering,yes,delivered,10,Unknown category",
                "E07000139,2010/11,4,,Procurement,yes,delivered,-5,Negative",
                "E07000139,2010/11,5,,Procurement,yes,delivered,10,Quarter five",
                "E07000139,2010/11,4,,Procurement,yes,delivered,10,Twice",
                "E07000139,2010/11,4,,Procurement,yes,delivered,10,Twice",
            ]
        ),
    )

    assert response.status_code == 400
    assert error_summary(response) == [
        "Row 2, column “amount”: “twelve pounds” is not an amount of money.",
        "Row 3, column “organisation”: “Rutland CC” is not North Kesteven District Council.",
        "Row 4, column “category”: “Catering” is not a savings category.",
        "Row 5, column “amount”: An amount cannot be negative.",
        "Row 6, column “quarter”: A financial quarter is 1, 2, 3 or 4.",
        "Row 8: This row repeats row 7.",
    ]
    assert 'href="#id_file"' in response.content.decode()
    assert "<title>Error: Upload your savings return" in response.content.decode()
    assert not SavingsReturn.objects.exists()
    assert not SavingsEntry.objects.exists()
    held = list(client.session.keys())
    assert not [key for key in held if key.startswith("savings-return")]


def test_an_upload_missing_a_column_is_refused_before_any_row_is_read(client, em_iep):
    client.force_login(em_iep["officer"])
    header = HEADER.replace("amount,", "")

    response = upload(
        client, em_iep["council"], f"{header}\nE07000139,2010/11,4,,Procurement,yes,delivered,x\n"
    )

    assert error_summary(response) == ["Row 1, column “amount”: This column is missing."]
    assert not SavingsReturn.objects.exists()


def test_an_upload_with_only_the_header_or_of_the_wrong_kind_is_refused(client, em_iep):
    client.force_login(em_iep["officer"])

    assert error_summary(upload(client, em_iep["council"], HEADER)) == [
        "The file has no rows of savings under the header."
    ]
    assert error_summary(upload(client, em_iep["council"], "x", name="return.pdf")) == [
        "The file: Upload the return as a CSV or XLSX file."
    ]
    assert error_summary(
        client.post(council_url("return-upload", em_iep["council"]), {"quarter": 4})
    ) == ["Choose a financial year.", "Choose the file to upload."]


def test_a_valid_upload_is_shown_with_its_totals_for_confirmation_before_anything_is_saved(
    client, em_iep
):
    client.force_login(em_iep["officer"])
    content = "\n".join(
        [
            HEADER,
            "E07000139,2010/11,4,,Procurement,yes,delivered,12500.00,Stationery",
            "E07000139,2011/12,,,Shared services,no,forecast,40000,Shared ICT",
        ]
    )

    response = upload(client, em_iep["council"], content)

    check_url = council_url("return-check", em_iep["council"], year=2010, quarter=4)
    assert response["Location"] == check_url
    assert not SavingsReturn.objects.made().exists()
    page = text(client.get(check_url))
    assert "Check your savings return before submitting it" in page
    assert "2010/11 quarter 4" in page
    assert "Cashable Non-cashable Delivered £12,500.00 £0.00 Forecast £0.00 £40,000.00" in page
    assert "£52,500" not in page  # delivered and forecast are never added together
    assert "Shared services Shared ICT – 2011/12 Non-cashable Forecast £40,000.00" in page

    response = press_submit(client, check_url)

    savings_return = SavingsReturn.objects.get()
    assert response["Location"] == savings_return.get_absolute_url()
    assert savings_return.status == SavingsReturn.Status.AWAITING_SIGN_OFF
    assert (savings_return.financial_year, savings_return.quarter) == (2010, 4)
    assert sorted(savings_return.entries.values_list("amount", flat=True)) == [
        D("12500.00"),
        D("40000.00"),
    ]
    page = text(client.get(response["Location"]))
    assert "submitted: it is awaiting sign-off by your finance officer" in page
    assert "Awaiting sign-off" in page
    # The checked rows were for this one submission: going back finds nothing to submit.
    assert client.post(check_url)["Location"] == council_url("return-enter", em_iep["council"])
    assert SavingsReturn.objects.count() == 1


def test_an_xlsx_upload_of_the_published_template_is_read_like_a_csv(client, em_iep):
    client.force_login(em_iep["officer"])
    template = client.get(reverse("savings:return-template-xlsx"))
    workbook = load_workbook(io.BytesIO(template.content))
    assert [cell.value for cell in workbook.active[1]] == COLUMNS
    workbook.active.append(
        ["E07000139", "2010/11", 3, "", "Procurement", "yes", "delivered", 2500.5, "Energy"]
    )
    out = io.BytesIO()
    workbook.save(out)

    response = client.post(
        council_url("return-upload", em_iep["council"]),
        {
            "financial_year": 2010,
            "quarter": 3,
            "file": SimpleUploadedFile("return.xlsx", out.getvalue()),
        },
    )

    assert response.status_code == 302
    assert "£2,500.50" in text(client.get(response["Location"]))


def test_the_published_template_downloads_as_csv_and_reads_back(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.get(reverse("savings:return-template-csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="savings-return-template.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "# Savings return: one row for each saving" in content.splitlines()[0]
    assert HEADER in content.splitlines()
    # Left as it is, the template imports nothing: it has no example row.
    assert upload(client, em_iep["council"], content).status_code == 400
    filled = content + "E07000139,2010/11,4,,Procurement,yes,delivered,12500.00,Stationery\n"
    assert upload(client, em_iep["council"], filled).status_code == 302


def test_the_xlsx_template_offers_drop_downs_and_keeps_its_notes_apart(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.get(reverse("savings:return-template-xlsx"))

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == HEADER.split(",")
    assert sheet.max_row == 1  # no example row
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists == {
        "E2:E5001": "Lists!$A$1:$A${}".format(workbook["Lists"].max_row),
        "F2:F5001": '"yes,no"',
        "G2:G5001": '"delivered,forecast"',
    }
    assert "Procurement" in [row[0].value for row in workbook["Lists"].iter_rows()]
    assert workbook["Notes"]["A1"].value.startswith("Savings return: one row")


def test_the_checked_rows_belong_to_their_council_and_quarter(client, em_iep):
    client.force_login(em_iep["officer"])
    upload(client, em_iep["council"], good_file("100"), year=2010, quarter=4)

    response = client.get(council_url("return-check", em_iep["council"], year=2010, quarter=3))

    assert response["Location"] == council_url("return-enter", em_iep["council"])
    assert not SavingsReturn.objects.made().exists()


# Entering a return in the browser, without JavaScript


def row(index: int, **values) -> dict:
    fields = {
        "category": "",
        "project": "",
        "financial_year": "2010",
        "quarter": "",
        "cashable": "yes",
        "status": "delivered",
        "amount": "",
        "description": "",
        **values,
    }
    return {f"rows-{index}-{name}": value for name, value in fields.items()}


def entry_form(*rows: dict, **extra) -> dict:
    data = {
        "financial_year": "2010",
        "quarter": "4",
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "100",
        **extra,
    }
    for item in rows:
        data.update(item)
    return data


def test_an_officer_adds_and_removes_rows_then_checks_the_totals_and_submits(client, em_iep):
    client.force_login(em_iep["officer"])
    url = council_url("return-enter", em_iep["council"])
    categories = {name: str(pk) for pk, name in SavingsCategory.objects.values_list("pk", "name")}
    first = row(0, category=categories["Procurement"], amount="1000", description="Paper")

    response = client.post(url, entry_form(first, add="1"))

    assert response.status_code == 200
    assert error_summary(response) == []
    page = text(response)
    assert "Saving 1" in page and "Saving 2" in page
    assert 'value="Paper"' in response.content.decode()

    second = row(1, category=categories["Shared services"], amount="£250.50", status="forecast")
    third = row(2, amount="99")
    response = client.post(url, entry_form(first, second, third, remove="2"))

    assert "Saving 3" not in text(response)
    assert 'value="£250.50"' in response.content.decode()

    response = client.post(url, entry_form(first, row(1, amount="-3"), **{"continue": "1"}))

    assert error_summary(response) == [
        "Saving 2: Choose a category.",
        "Saving 2: An amount cannot be negative.",
    ]
    assert 'href="#id_rows-1-category"' in response.content.decode()
    assert not SavingsReturn.objects.exists()

    response = client.post(url, entry_form(first, second, **{"continue": "1"}))

    check_url = council_url("return-check", em_iep["council"], year=2010, quarter=4)
    assert response["Location"] == check_url
    page = text(client.get(check_url))
    assert "Delivered £1,000.00 £0.00 Forecast £250.50 £0.00" in page
    assert "£1,250.50" not in page
    # Changing the savings goes back to the form with the rows as entered.
    assert 'value="250.50"' in client.get(url, {"year": 2010, "quarter": 4}).content.decode()

    press_submit(client, check_url)

    savings_return = SavingsReturn.objects.get()
    assert savings_return.status == SavingsReturn.Status.AWAITING_SIGN_OFF
    assert sorted(savings_return.entries.values_list("status", "amount")) == [
        ("delivered", D("1000.00")),
        ("forecast", D("250.50")),
    ]


def test_a_typed_saving_entered_twice_is_refused_naming_both_rows_and_nothing_is_kept(
    client, em_iep
):
    client.force_login(em_iep["officer"])
    url = council_url("return-enter", em_iep["council"])
    category = str(SavingsCategory.objects.get(name="Procurement").pk)
    saving = {"category": category, "quarter": "4", "description": "Paper"}

    response = client.post(
        url,
        entry_form(
            row(0, amount="1000", **saving),
            row(1, amount="250", **saving),
            # The same amount typed another way is the same saving.
            row(2, amount="£1,000.00", **saving),
            **{"continue": "1"},
        ),
    )

    assert response.status_code == 400
    assert error_summary(response) == ["Saving 3: It repeats saving 1."]
    assert "<title>Error: Enter your savings return" in response.content.decode()
    # The summary leads to the repeating row, which shows the error too.
    page = response.content.decode()
    assert re.search(r'<a href="#id_rows-2-[\w-]+">Saving 3: It repeats', page)
    assert text(response).count("It repeats saving 1.") == 2
    held = list(client.session.keys())
    assert not [key for key in held if key.startswith("savings-return")]
    check_url = council_url("return-check", em_iep["council"], year=2010, quarter=4)
    assert client.post(check_url)["Location"] == url
    assert not SavingsReturn.objects.exists()
    assert not SavingsEntry.objects.exists()


def test_typed_savings_differing_only_in_description_are_two_savings(client, em_iep):
    client.force_login(em_iep["officer"])
    url = council_url("return-enter", em_iep["council"])
    category = str(SavingsCategory.objects.get(name="Procurement").pk)

    response = client.post(
        url,
        entry_form(
            row(0, category=category, amount="1000", description="Paper"),
            row(1, category=category, amount="1000", description="Toner"),
            **{"continue": "1"},
        ),
    )

    check_url = council_url("return-check", em_iep["council"], year=2010, quarter=4)
    assert response["Location"] == check_url, error_summary(response)
    press_submit(client, check_url)
    entries = SavingsReturn.objects.get().entries
    assert sorted(entries.values_list("description", "amount")) == [
        ("Paper", D("1000.00")),
        ("Toner", D("1000.00")),
    ]


def test_the_entry_form_offers_only_the_councils_own_projects(client, em_iep):
    own = ProjectFactory(lead_organisation=em_iep["council"], title="Shared ICT")
    ProjectFactory(lead_organisation=em_iep["boston"], title="Boston leisure review")
    client.force_login(em_iep["officer"])

    page = client.get(council_url("return-enter", em_iep["council"])).content.decode()

    assert f'<option value="{own.pk}">{own.reference}: Shared ICT</option>' in page
    assert "Boston leisure review" not in page


# Versions and sign-off


def test_resubmitting_a_quarter_replaces_the_return_and_keeps_earlier_versions_visible(
    client, em_iep
):
    client.force_login(em_iep["officer"])
    first = submit_by_upload(client, em_iep["council"], "1000")

    response = upload(client, em_iep["council"], good_file("1500"))
    assert "This replaces version 1 of the return (awaiting sign-off)" in text(
        client.get(response["Location"])
    )
    press_submit(client, response["Location"])

    second = SavingsReturn.objects.get(version=2)
    first.refresh_from_db()
    assert first.status == SavingsReturn.Status.SUPERSEDED
    page = client.get(second.get_absolute_url())
    assert f'href="{first.get_absolute_url()}">Version 1</a>' in page.content.decode()
    assert "Version 2 (this page) Awaiting sign-off" in text(page)
    assert "Version 1 Superseded" in text(page)
    old = text(client.get(first.get_absolute_url()))
    assert "This version has been replaced by a later one" in old
    assert "£1,000" in old
    council = text(client.get(council_url("council", em_iep["council"])))
    assert "2010/11 quarter 4 2 Awaiting sign-off" in council


def test_the_finance_officer_certifies_a_return_and_its_savings_then_count(client, em_iep):
    client.force_login(em_iep["officer"])
    savings_return = submit_by_upload(client, em_iep["council"], "2500")
    client.force_login(em_iep["finance"])

    assert f"version {savings_return.version}" in text(
        client.get(council_url("council", em_iep["council"]))
    )
    assert "2010/11 quarter 4, version 1" in text(client.get(reverse("savings:awaiting-sign-off")))
    sign_off = reverse("savings:return-sign-off", kwargs={"pk": savings_return.pk})
    response = client.post(sign_off, {"decision": "certify", "comment": "Checked against ledger"})

    assert response["Location"] == savings_return.get_absolute_url()
    savings_return.refresh_from_db()
    assert savings_return.status == SavingsReturn.Status.CERTIFIED
    assert savings_return.certified_by == em_iep["finance"]
    assert "Return certified: its savings now count." in text(client.get(response["Location"]))
    assert SavingsEntry.objects.counted().get().amount == D("2500.00")
    # Once certified, there is nothing left to sign off.
    assert client.get(sign_off)["Location"] == savings_return.get_absolute_url()


def test_the_finance_officer_sends_a_return_back_only_with_a_comment(client, em_iep):
    client.force_login(em_iep["officer"])
    savings_return = submit_by_upload(client, em_iep["council"], "2500")
    client.force_login(em_iep["finance"])
    sign_off = reverse("savings:return-sign-off", kwargs={"pk": savings_return.pk})

    assert error_summary(client.post(sign_off, {"decision": "send_back"})) == [
        "Say what needs to change."
    ]
    assert error_summary(client.post(sign_off, {})) == [
        "Choose whether to certify the return or send it back."
    ]
    client.post(sign_off, {"decision": "send_back", "comment": "Split the shared ICT saving"})

    savings_return.refresh_from_db()
    assert savings_return.status == SavingsReturn.Status.RETURNED
    client.force_login(em_iep["officer"])
    page = text(client.get(council_url("council", em_iep["council"])))
    assert "Sent back with changes requested 2010/11 quarter 4 (version 1)" in page
    assert "“Split the shared ICT saving”" in page
    detail = text(client.get(savings_return.get_absolute_url()))
    assert "Changes requested" in detail
    today = timezone.localdate()
    assert f"Sent back {today:%-d %B %Y} by {em_iep['finance'].username}" in detail
    assert f"Submitted {today:%-d %B %Y} by {em_iep['officer'].username}" in detail


def test_a_finance_officer_who_submitted_the_return_cannot_certify_it(client, em_iep):
    both = user_with_role(Role.Kind.OFFICER, organisation=em_iep["council"])
    Role.objects.create(user=both, kind=Role.Kind.FINANCE, organisation=em_iep["council"])
    client.force_login(both)
    savings_return = submit_by_upload(client, em_iep["council"], "10")

    response = client.post(
        reverse("savings:return-sign-off", kwargs={"pk": savings_return.pk}),
        {"decision": "certify"},
    )

    assert error_summary(response) == [
        "A return is certified by someone other than the officer who submitted it."
    ]
    savings_return.refresh_from_db()
    assert savings_return.status == SavingsReturn.Status.AWAITING_SIGN_OFF


# Who is refused what


def test_an_officer_cannot_see_or_make_another_councils_returns(client, em_iep):
    client.force_login(em_iep["officer"])
    savings_return = submit_by_upload(client, em_iep["council"], "10")
    client.force_login(em_iep["boston_officer"])
    council = em_iep["council"]

    assert client.get(council_url("council", council)).status_code == 403
    assert client.get(council_url("return-enter", council)).status_code == 403
    assert upload(client, council, good_file("10")).status_code == 403
    assert client.post(council_url("forecast-record", council), {}).status_code == 403
    assert client.get(council_url("benefit-record", council)).status_code == 403
    assert client.get(savings_return.get_absolute_url()).status_code == 404
    assert SavingsReturn.objects.count() == 1


def test_only_the_councils_finance_officer_signs_off_its_return(client, em_iep):
    client.force_login(em_iep["officer"])
    savings_return = submit_by_upload(client, em_iep["council"], "10")
    sign_off = reverse("savings:return-sign-off", kwargs={"pk": savings_return.pk})

    for user, status in (
        (em_iep["officer"], 403),
        (em_iep["manager"], 403),
        (em_iep["board"], 403),
        (em_iep["boston_finance"], 404),
    ):
        client.force_login(user)
        assert client.post(sign_off, {"decision": "certify"}).status_code == status, user
    savings_return.refresh_from_db()
    assert savings_return.status == SavingsReturn.Status.AWAITING_SIGN_OFF
    client.force_login(em_iep["officer"])
    assert client.get(reverse("savings:awaiting-sign-off")).status_code == 403


def test_managers_and_the_board_read_a_councils_savings_but_do_not_submit(client, em_iep):
    for user in (em_iep["manager"], em_iep["board"]):
        client.force_login(user)
        page = client.get(council_url("council", em_iep["council"]))
        assert page.status_code == 200
        assert "Enter the return" not in text(page)
        assert client.get(council_url("return-upload", em_iep["council"])).status_code == 403


def test_officers_cannot_open_the_partnerships_savings_pages(client, em_iep):
    client.force_login(em_iep["officer"])

    for name in ("summary", "forecasts", "targets", "target-set"):
        assert client.get(reverse(f"savings:{name}")).status_code == 403, name
    download = reverse("savings:summary-download", kwargs={"table": "sub-regions"})
    assert client.get(download).status_code == 403


def test_a_manager_reads_only_their_own_partnerships_savings(client, em_iep):
    other = PartnershipFactory(slug="team-lancashire")
    client.force_login(user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=other))

    assert client.get(reverse("savings:summary"), {"partnership": "em-iep"}).status_code == 404
    response = client.get(
        reverse("savings:summary-download", kwargs={"table": "categories"}),
        {"partnership": "em-iep"},
    )
    assert response.status_code == 404
    assert client.get(reverse("savings:summary")).status_code == 200


def test_board_members_read_targets_but_only_managers_set_them(client, em_iep):
    client.force_login(em_iep["board"])

    assert client.get(reverse("savings:targets")).status_code == 200
    assert "Set a target" not in text(client.get(reverse("savings:targets")))
    assert client.get(reverse("savings:target-set")).status_code == 403
    client.force_login(em_iep["manager"])
    assert "Set a target" in text(client.get(reverse("savings:targets")))
    assert client.get(reverse("savings:target-set")).status_code == 200


# Targets, forecasts and benefits


def set_target(client, council, year, agreement=None, **fields):
    agreement = agreement or programme_agreement(council)
    return client.post(
        reverse("savings:target-set"),
        {"agreement": agreement.pk, "organisation": council.pk, "financial_year": year, **fields},
    )


def test_cumulative_target_progress_shows_three_three_and_three_point_four_as_nine_point_four(
    client, em_iep
):
    client.force_login(em_iep["manager"])
    for year, percentage in ((2008, "3"), (2009, "3"), (2010, "3.4")):
        response = set_target(
            client,
            em_iep["council"],
            year,
            basis="percentage",
            percentage=percentage,
            baseline="10000000",
            baseline_description="Net revenue expenditure 2007/08",
        )
        assert response["Location"] == council_url("council", em_iep["council"])
    for year in (2008, 2009, 2010):
        SavingsEntryFactory(organisation=em_iep["council"], financial_year=year, amount=D("250000"))

    page = text(client.get(council_url("council", em_iep["council"])))

    assert "£750,000 delivered against a target of £940,000 (9.4% over 3 years)" in page
    assert (
        "2010/11 3.4% of £10,000,000 (Net revenue expenditure 2007/08): £340,000 "
        "9.4%: £940,000 £250,000 £750,000"
    ) in page
    targets = text(client.get(reverse("savings:targets")))
    assert (
        "North Kesteven District Council Partnership programme targets 2009/10 3% of £10,000,000"
        in targets
    )


def test_a_target_needs_what_its_basis_asks_for(client, em_iep):
    client.force_login(em_iep["manager"])

    assert error_summary(set_target(client, em_iep["council"], 2010, basis="percentage")) == [
        "Enter a percentage above 0 and up to 100."
    ]
    assert error_summary(set_target(client, em_iep["council"], 2010, basis="amount")) == [
        "Enter a target amount above £0."
    ]
    assert error_summary(
        set_target(
            client,
            OrganisationFactory(),
            2010,
            agreement=programme_agreement(em_iep["council"]),
            basis="amount",
            amount="5",
        )
    ) == ["Select a valid choice. That choice is not one of the available choices."]
    set_target(client, em_iep["council"], 2010, basis="amount", amount="5000")
    assert "An amount £5,000" in text(client.get(reverse("savings:targets")))


def test_the_forecast_page_counts_green_amber_red_and_names_who_made_no_return(client, em_iep):
    next_year = financial_years.financial_year_of(timezone.localdate()) + 1
    third = OrganisationFactory(name="Lincoln City Council", partnership=em_iep["partnership"])
    OrganisationFactory(name="West Lindsey District Council", partnership=em_iep["partnership"])
    for council, officer, rag, comment in (
        (em_iep["council"], em_iep["officer"], "green", ""),
        (em_iep["boston"], em_iep["boston_officer"], "amber", "Leisure review late"),
        (third, user_with_role(Role.Kind.OFFICER, organisation=third), "red", "No plans yet"),
    ):
        client.force_login(officer)
        response = client.post(
            council_url("forecast-record", council),
            {"financial_year": next_year, "rag": rag, "comment": comment},
        )
        assert response["Location"] == council_url("council", council)
    client.force_login(em_iep["board"])

    response = client.get(reverse("savings:forecasts"))

    page = text(response)
    # Received, green, amber, red, received not rated, no return.
    assert f"{financial_years.label(next_year)} 3 1 1 1 0 1" in page
    assert (
        f"No forecast returned for {financial_years.label(next_year)} West Lindsey District Council"
        in page
    )
    assert 'govuk-tag--yellow">Amber' in response.content.decode()
    client.force_login(em_iep["officer"])
    assert "Green" in text(client.get(council_url("council", em_iep["council"])))


def test_an_amber_or_red_forecast_needs_a_comment(client, em_iep):
    client.force_login(em_iep["officer"])
    next_year = financial_years.financial_year_of(timezone.localdate()) + 1

    response = client.post(
        council_url("forecast-record", em_iep["council"]),
        {"financial_year": next_year, "rag": "red"},
    )

    assert error_summary(response) == ["Say what puts the savings at risk."]
    assert 'href="#id_comment"' in response.content.decode()
    assert error_summary(client.post(council_url("forecast-record", em_iep["council"]), {})) == [
        "Choose a year.",
        "Choose green, amber, red or received but not rated.",
    ]
    assert (
        'href="#id_rag_1"'
        in client.post(council_url("forecast-record", em_iep["council"]), {}).content.decode()
    )
    assert not ForecastReturn.objects.exists()


def test_other_benefits_recorded_by_officers_are_summed_per_unit(client, em_iep):
    project = ProjectFactory(
        lead_organisation=em_iep["council"],
        budget_line__programme__partnership=em_iep["partnership"],
    )
    client.force_login(em_iep["officer"])
    for quantity in ("120", "30"):
        response = client.post(
            council_url("benefit-record", em_iep["council"]),
            {"project": project.pk, "unit": "tonnes of  CO2 a year", "quantity": quantity},
        )
        assert response["Location"] == council_url("council", em_iep["council"])
    client.post(
        council_url("benefit-record", em_iep["council"]),
        {"project": project.pk, "unit": "people trained", "quantity": "45"},
    )

    assert "people trained 45 tonnes of CO2 a year 150" in text(
        client.get(council_url("council", em_iep["council"]))
    )
    client.force_login(em_iep["manager"])
    page = text(client.get(reverse("savings:summary")))
    assert "Unit Total people trained 45 tonnes of CO2 a year 150" in page


def test_an_officer_records_benefits_only_for_their_councils_projects(client, em_iep):
    other = ProjectFactory(lead_organisation=em_iep["boston"])
    client.force_login(em_iep["officer"])

    response = client.post(
        council_url("benefit-record", em_iep["council"]),
        {"project": other.pk, "unit": "homes", "quantity": "3"},
    )

    assert error_summary(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not OtherBenefit.objects.exists()


# What a council's page shows


def test_the_council_page_shows_the_latest_completed_quarter_as_due_until_it_is_returned(
    client, em_iep
):
    today = timezone.localdate()
    year, quarter = financial_years.financial_year_of(today), financial_years.quarter_of(today)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    client.force_login(em_iep["officer"])
    url = council_url("council", em_iep["council"])

    page = text(client.get(url))

    assert f"The savings return for {financial_years.label(year)} quarter {quarter} is due." in page
    upload(client, em_iep["council"], good_file("10"), year=year, quarter=quarter)
    press_submit(client, council_url("return-check", em_iep["council"], year=year, quarter=quarter))
    assert "Your return for the latest quarter is in." in text(client.get(url))


def test_our_savings_takes_an_officer_to_their_councils_page(client, em_iep):
    client.force_login(em_iep["officer"])

    response = client.get(reverse("savings:our-savings"))

    assert response["Location"] == council_url("council", em_iep["council"])


def test_the_summary_totals_a_councils_certified_savings_against_its_target(client, em_iep):
    client.force_login(em_iep["manager"])
    set_target(client, em_iep["council"], 2010, basis="amount", amount="20000")
    client.force_login(em_iep["officer"])
    certified = submit_by_upload(client, em_iep["council"], "5000")
    client.force_login(em_iep["finance"])
    client.post(
        reverse("savings:return-sign-off", kwargs={"pk": certified.pk}), {"decision": "certify"}
    )
    SavingsReturn.objects.filter(pk=certified.pk).update(quarter=3)
    client.force_login(em_iep["officer"])
    submit_by_upload(client, em_iep["council"], "7000")  # awaiting sign-off: not counted
    client.force_login(em_iep["manager"])

    page = text(client.get(reverse("savings:summary"), {"year": 2010}))

    assert "North Kesteven District Council £20,000 £5,000 £0 25.0%" in page
    assert "Procurement £5,000 £0 £5,000" in page
    assert "Returned by councils (no programme) £5,000 £0 £5,000" in page
    response = client.get(
        reverse("savings:summary-download", kwargs={"table": "organisations"}), {"year": 2010}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == "North Kesteven District Council"
    assert [D(figure) for figure in rows[1][1:]] == [D("20000"), D("5000"), D("0"), D("25.0")]


# Pages cost the same number of queries however many rows they list


def queries_to_open(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_council_page_costs_the_same_queries_for_2_returns_as_for_20(client, em_iep):
    client.force_login(em_iep["finance"])
    small, large = em_iep["council"], OrganisationFactory(partnership=em_iep["partnership"])
    Role.objects.create(user=em_iep["finance"], kind=Role.Kind.FINANCE, organisation=large)
    for council, count in ((small, 2), (large, 20)):
        for number in range(count):
            SavingsReturn.objects.create(
                organisation=council,
                financial_year=2000 + number,
                quarter=1,
                status=SavingsReturn.Status.AWAITING_SIGN_OFF,
                submitted_by=UserFactory(),
                submitted_at=timezone.now(),
            )
            ForecastReturn.objects.create(
                organisation=council,
                financial_year=2000 + number,
                rag="green",
                returned_on=datetime.date(2011, 3, 31),
            )

    # Session, user, the council, the user's roles, the return due, the returns
    # awaiting sign-off, the count and page of returns, targets, delivered savings,
    # other benefits, forecasts, and the menu's unread notifications.
    assert queries_to_open(client, council_url("council", small)) == 13
    assert queries_to_open(client, council_url("council", large)) == 13


def test_the_summary_costs_the_same_queries_for_few_councils_as_for_many(client, em_iep):
    client.force_login(em_iep["manager"])
    # Session, user, roles, programme periods, the partnership; per sub-region the
    # allocations, savings and sub-regions; members, their savings and targets; savings
    # by category, by programme, other benefits; and the partnership filter's choices
    # (counted, then listed); and the menu's unread notifications.
    assert queries_to_open(client, reverse("savings:summary")) == 17
    for _ in range(15):
        council = OrganisationFactory(partnership=em_iep["partnership"])
        SavingsEntryFactory(organisation=council)
        SavingsEntryFactory(organisation=council, status="forecast")
        SavingsTarget.objects.create(
            agreement=programme_agreement(council),
            organisation=council,
            financial_year=2010,
            basis="amount",
            amount=D("1000"),
        )

    assert queries_to_open(client, reverse("savings:summary")) == 17


def test_a_summary_download_builds_only_its_own_table(client, em_iep):
    client.force_login(em_iep["manager"])
    OtherBenefit.objects.create(
        project=ProjectFactory(budget_line__programme__partnership=em_iep["partnership"]),
        unit="people trained",
        quantity=D("45"),
    )
    url = reverse("savings:summary-download", kwargs={"table": "benefits"})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        rows = list(
            csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )

    assert rows[0] == ["Unit", "Total"]
    assert (rows[1][0], D(rows[1][1])) == ("people trained", D("45"))
    # Session, user, roles, programme periods, the partnership, and the benefits.
    assert len(queries) == 6


def test_the_forecast_page_costs_the_same_queries_for_1_year_as_for_6(client, em_iep):
    client.force_login(em_iep["board"])
    one_year = queries_to_open(client, reverse("savings:forecasts"))
    for year in range(2005, 2010):
        ForecastReturn.objects.create(
            organisation=em_iep["council"],
            financial_year=year,
            rag="green",
            returned_on=datetime.date(2011, 3, 31),
        )

    response = client.get(reverse("savings:forecasts"))

    assert "2009/10 1 1 0 0 0 1" in text(response)
    assert queries_to_open(client, reverse("savings:forecasts")) == one_year


def test_the_sign_off_and_target_lists_cost_the_same_queries_for_2_rows_as_for_12(client, em_iep):
    def add_rows(count: int, first_year: int) -> None:
        for number in range(count):
            SavingsReturn.objects.create(
                organisation=em_iep["council"],
                financial_year=first_year + number,
                quarter=1,
                status=SavingsReturn.Status.AWAITING_SIGN_OFF,
                submitted_by=UserFactory(),
                submitted_at=timezone.now(),
            )
            council = OrganisationFactory(partnership=em_iep["partnership"])
            for organisation in (council, None):  # the council's, and one area-wide
                SavingsTarget.objects.create(
                    agreement=programme_agreement(council),
                    organisation=organisation,
                    financial_year=first_year + number,
                    basis="amount",
                    amount=D("1000"),
                )

    def costs() -> tuple[int, int]:
        client.force_login(em_iep["finance"])
        awaiting = queries_to_open(client, reverse("savings:awaiting-sign-off"))
        client.force_login(em_iep["manager"])
        return awaiting, queries_to_open(client, reverse("savings:targets"))

    add_rows(2, 2000)
    # Sign-off: session, user, roles, the count and the page of returns with their
    # councils and submitters. Targets: session, user, roles, programme periods, the
    # partnership, the agreements, the area-wide targets (with their agreements'
    # members and the savings delivered by them), the count and page of targets with
    # their councils and agreements, and the partnership filter's choices (counted,
    # then listed). Each also counts the menu's unread notifications.
    assert costs() == (6, 14)
    add_rows(10, 2002)
    assert costs() == (6, 14)
