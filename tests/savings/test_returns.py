"""Councils' quarterly savings returns: the uploaded file is checked row by row, and
a return counts only once its finance officer has certified it."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from savings.models import SavingsEntry, SavingsReturn, SavingsTarget
from savings.return_files import COLUMNS, read_return_file, template_csv_lines
from savings.selectors import organisation_target_progress, sub_region_savings
from savings.services import (
    SavingsError,
    savings_return_certify,
    savings_return_send_back,
    savings_return_submit,
)
from tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    ProjectFactory,
    SavingsCategoryFactory,
    SubRegionFactory,
    UserFactory,
    programme_agreement,
)

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = ",".join(COLUMNS)


@pytest.fixture
def council():
    SavingsCategoryFactory(name="Procurement", slug="procurement")
    SavingsCategoryFactory(name="Shared services", slug="shared-services")
    return OrganisationFactory(
        name="North Kesteven District Council",
        short_name="North Kesteven DC",
        gss_code="E07000139",
    )


def read(council, text: str, name="return.csv"):
    return read_return_file(name=name, content=text.encode(), organisation=council)


def test_a_clean_file_is_read_into_rows(council):
    ProjectFactory(reference="EMIEP-2011-01", lead_organisation=council)
    result = read(
        council,
        "\n".join(
            [
                HEADER,
                'E07000139,2010/11,4,EMIEP-2011-01,Procurement,yes,delivered,"12,500.00",Stationery',
                "North Kesteven DC,2011/12,,,shared-services,no,forecast,40000,Shared ICT",
            ]
        ),
    )
    assert result.problems == []
    assert [(r.financial_year, r.quarter, r.amount, r.cashable, r.status) for r in result.rows] == [
        (2010, 4, D("12500.00"), True, "delivered"),
        (2011, None, D("40000.00"), False, "forecast"),
    ]
    assert result.rows[0].project_id is not None


def test_the_csv_templates_guidance_is_skipped_and_rows_keep_their_numbers(council):
    lines = [",".join(f'"{cell}"' for cell in line) for line in template_csv_lines()]

    alone = read(council, "\n".join(lines))
    filled = read(council, "\n".join([*lines, "E07000139,2010/11,4,,Procurement,yes,sold,1.00,x"]))

    assert not alone.is_valid  # nothing in the template itself imports
    assert alone.problems == []
    assert [(p.row, p.column) for p in filled.problems] == [(len(lines) + 1, "status")]


def test_every_problem_is_reported_with_its_row_and_column_and_no_row_is_kept(council):
    result = read(
        council,
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
    assert [str(problem) for problem in result.problems] == [
        "Row 2, column “amount”: “twelve pounds” is not an amount of money.",
        "Row 3, column “organisation”: “Rutland CC” is not North Kesteven District Council.",
        "Row 4, column “category”: “Catering” is not a savings category.",
        "Row 5, column “amount”: An amount cannot be negative.",
        "Row 6, column “quarter”: A financial quarter is 1, 2, 3 or 4.",
        "Row 8: This row repeats row 7.",
    ]
    assert result.rows == []
    assert not result.is_valid


def test_a_missing_column_is_reported_before_any_row(council):
    header = HEADER.replace("amount,", "")
    result = read(council, header + "\nE07000139,2010/11,4,,Procurement,yes,delivered,x\n")
    assert [str(p) for p in result.problems] == ["Row 1, column “amount”: This column is missing."]


def test_an_xlsx_upload_is_read_like_a_csv(council):
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append(
        ["E07000139", "2010/11", 3, "", "Procurement", "yes", "delivered", 2500.5, "Energy"]
    )
    out = io.BytesIO()
    workbook.save(out)
    result = read_return_file(name="return.xlsx", content=out.getvalue(), organisation=council)
    assert result.problems == []
    assert result.rows[0].amount == D("2500.50")


def test_other_file_types_are_refused(council):
    result = read(council, "anything", name="return.pdf")
    assert [str(p) for p in result.problems] == [
        "The file: Upload the return as a CSV or XLSX file."
    ]


def submit(council, amount, by):
    rows = read(
        council, f"{HEADER}\nE07000139,2010/11,4,,Procurement,yes,delivered,{amount},x"
    ).rows
    return savings_return_submit(
        organisation=council, financial_year=2010, quarter=4, rows=rows, by=by
    )


def test_resubmitting_a_quarter_replaces_the_return_and_keeps_the_earlier_version(council):
    officer = UserFactory()
    first = submit(council, "1000", officer)
    second = submit(council, "1500", officer)
    first.refresh_from_db()
    assert (first.version, first.status) == (1, SavingsReturn.Status.SUPERSEDED)
    assert (second.version, second.status) == (2, SavingsReturn.Status.AWAITING_SIGN_OFF)
    assert first.entries.get().amount == D("1000.00")  # the earlier version's rows stay
    assert second.entries.get().amount == D("1500.00")


def test_a_return_counts_only_once_certified_by_someone_else(council):
    officer, finance = UserFactory(), UserFactory()
    SavingsTarget.objects.create(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2010,
        basis="amount",
        amount=D("5000"),
    )
    savings_return = submit(council, "1500", officer)
    assert organisation_target_progress(organisation=council)[0].delivered == D("0.00")
    with pytest.raises(SavingsError, match="someone other than the officer"):
        savings_return_certify(savings_return=savings_return, by=officer)
    savings_return_certify(savings_return=savings_return, by=finance)
    assert organisation_target_progress(organisation=council)[0].delivered == D("1500.00")
    assert SavingsEntry.objects.counted().count() == 1


def test_the_certifier_can_send_a_return_back_with_changes_requested(council):
    savings_return = submit(council, "1500", UserFactory())
    with pytest.raises(SavingsError, match="Say what needs to change"):
        savings_return_send_back(savings_return=savings_return, comment="", by=UserFactory())
    returned = savings_return_send_back(
        savings_return=savings_return, comment="Split the shared ICT saving", by=UserFactory()
    )
    assert returned.status == SavingsReturn.Status.RETURNED
    with pytest.raises(SavingsError, match="not awaiting sign-off"):
        savings_return_certify(savings_return=returned, by=UserFactory())


def test_a_projects_saving_counts_for_its_programme_and_sub_region_once_certified(council):
    sub_region = SubRegionFactory(name="Lincolnshire")
    programme = ProgrammeFactory(partnership=sub_region.partnership, sub_region=sub_region)
    ProjectFactory(
        reference="EMIEP-2011-01", lead_organisation=council, budget_line__programme=programme
    )
    rows = read(
        council,
        f"{HEADER}\nE07000139,2010/11,4,EMIEP-2011-01,Procurement,yes,delivered,2500,Desk\n"
        "E07000139,2010/11,4,,Procurement,yes,delivered,700,Stationery",
    ).rows
    savings_return = savings_return_submit(
        organisation=council, financial_year=2010, quarter=4, rows=rows, by=UserFactory()
    )
    lincolnshire = sub_region_savings(partnership=sub_region.partnership)[0]
    assert lincolnshire.delivered == D("0.00")  # not yet certified
    savings_return_certify(savings_return=savings_return, by=UserFactory())

    lincolnshire = sub_region_savings(partnership=sub_region.partnership)[0]
    assert (lincolnshire.sub_region, lincolnshire.delivered) == (sub_region, D("2500.00"))
    assert {(e.amount, e.programme) for e in savings_return.entries.all()} == {
        (D("2500.00"), programme),
        (D("700.00"), None),  # the council's own saving, credited to no programme
    }
