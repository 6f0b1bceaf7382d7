import pytest

from partnership import financial_years
from partnership.models import Organisation, Partnership, Role
from tests.constraints import refused
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_officer_role_must_name_an_organisation_and_no_partnership():
    user, partnership = UserFactory(), PartnershipFactory()
    assert refused(lambda: Role.objects.create(user=user, kind="officer"))
    assert refused(lambda: Role.objects.create(user=user, kind="officer", partnership=partnership))


def test_a_board_member_role_must_name_a_partnership():
    user, organisation = UserFactory(), OrganisationFactory()
    assert refused(lambda: Role.objects.create(user=user, kind="board_member"))
    assert refused(
        lambda: Role.objects.create(user=user, kind="board_member", organisation=organisation)
    )


def test_finance_is_scoped_to_an_accountable_body_or_a_partnership_but_not_both():
    user, organisation, partnership = UserFactory(), OrganisationFactory(), PartnershipFactory()
    Role.objects.create(user=user, kind="finance", organisation=organisation)
    Role.objects.create(user=user, kind="finance", partnership=partnership)
    assert refused(
        lambda: Role.objects.create(
            user=UserFactory(), kind="finance", organisation=organisation, partnership=partnership
        )
    )


def test_the_same_role_cannot_be_given_twice():
    user, partnership = UserFactory(), PartnershipFactory()
    Role.objects.create(user=user, kind="programme_manager", partnership=partnership)
    assert refused(
        lambda: Role.objects.create(user=user, kind="programme_manager", partnership=partnership)
    )
    Role.objects.create(user=user, kind="administrator")
    assert refused(lambda: Role.objects.create(user=user, kind="administrator"))


def test_gss_codes_are_unique_and_well_formed_but_may_be_blank():
    OrganisationFactory(gss_code="E07000121")
    assert refused(lambda: OrganisationFactory(gss_code="E07000121"))
    assert refused(lambda: OrganisationFactory(gss_code="E0700012"))
    assert refused(lambda: OrganisationFactory(gss_code="X07000121"))
    OrganisationFactory(gss_code="")
    OrganisationFactory(gss_code="")
    assert Organisation.objects.filter(gss_code="").count() == 2


def test_the_quorum_cannot_exceed_the_board():
    assert refused(lambda: PartnershipFactory(board_size=15, quorum=16))
    assert refused(lambda: PartnershipFactory(quorum=0))
    assert PartnershipFactory(board_size=15, quorum=5).quorum == 5
    assert Partnership.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "year", "quarter"),
    [
        ("2011-04-01", 2011, 1),
        ("2011-06-30", 2011, 1),
        ("2011-07-01", 2011, 2),
        ("2011-12-31", 2011, 3),
        ("2012-01-01", 2011, 4),
        ("2012-03-31", 2011, 4),
    ],
)
def test_dates_fall_in_the_uk_financial_year_and_quarter(day, year, quarter):
    import datetime

    date = datetime.date.fromisoformat(day)
    assert financial_years.financial_year_of(date) == year
    assert financial_years.quarter_of(date) == quarter
    start, end = financial_years.quarter_bounds(year, quarter)
    assert start <= date <= end


def test_a_financial_year_runs_from_1_april_to_31_march():
    import datetime

    assert financial_years.year_bounds(2010) == (
        datetime.date(2010, 4, 1),
        datetime.date(2011, 3, 31),
    )
    assert financial_years.year_bounds(2010) == (
        financial_years.quarter_bounds(2010, 1)[0],
        financial_years.quarter_bounds(2010, 4)[1],
    )


def test_financial_years_are_written_and_read_as_the_papers_do():
    assert financial_years.label(2010) == "2010/11"
    assert financial_years.label(1999) == "1999/00"
    assert financial_years.parse("2010/11") == 2010
    with pytest.raises(Exception, match="not a financial year"):
        financial_years.parse("2010/12")
