"""Agreements that set savings targets, as the papers hold them: a local area agreement
for 2008/09 to 2010/11 and a multi-area agreement for 2009/10 to 2011/12, each 3% + 3%
+ 3.4%, held together and summed on their own; and a target for the whole area (3%
cashable) recorded before its baseline is known."""

from decimal import Decimal

import pytest
from django.urls import reverse

from savings.models import Agreement, SavingsTarget
from savings.services import SavingsError, agreement_save, savings_target_set
from tests.factories import OrganisationFactory, SavingsEntryFactory, user_with_role
from tests.reading import page_words

from .test_views import council_url

pytestmark = pytest.mark.django_db
D = Decimal
NI_179 = ((0, "3"), (1, "3"), (2, "3.4"))


def _agreement(em_iep, kind, name, first_year, members=None):
    return agreement_save(
        partnership=em_iep["partnership"],
        kind=kind,
        name=name,
        first_year=first_year,
        last_year=first_year + 2,
        members=members or [em_iep["council"], em_iep["boston"]],
        by=em_iep["manager"],
    )


@pytest.fixture
def laa_and_maa(client, em_iep):
    """North Kesteven's targets under both agreements, set on the page, 3% + 3% + 3.4%
    of £10m each."""
    laa = _agreement(em_iep, Agreement.Kind.LOCAL_AREA, "Lincolnshire LAA 2008-11", 2008)
    maa = _agreement(em_iep, Agreement.Kind.MULTI_AREA, "East Midlands MAA 2009-12", 2009)
    client.force_login(em_iep["manager"])
    for agreement in (laa, maa):
        for offset, percentage in NI_179:
            response = client.post(
                reverse("savings:target-set"),
                {
                    "agreement": agreement.pk,
                    "organisation": em_iep["council"].pk,
                    "financial_year": agreement.first_year + offset,
                    "basis": "percentage",
                    "percentage": percentage,
                    "baseline": "10000000",
                },
            )
            assert response["Location"] == council_url("council", em_iep["council"])
    return laa, maa


def test_overlapping_agreements_are_both_held_and_each_summed_on_its_own(
    client, em_iep, laa_and_maa
):
    laa, maa = laa_and_maa
    for year in (2008, 2009, 2010, 2011):
        SavingsEntryFactory(organisation=em_iep["council"], financial_year=year, amount=D("250000"))

    page = page_words(client.get(council_url("council", em_iep["council"])))

    # 2009/10 and 2010/11 are in both: neither replaced the other.
    assert SavingsTarget.objects.filter(organisation=em_iep["council"]).count() == 6
    assert (
        "Lincolnshire LAA 2008-11 Local area agreement, 2008/09 to 2010/11 £750,000 delivered "
        "against a target of £940,000 (9.4% over 3 years)."
    ) in page
    assert (
        "East Midlands MAA 2009-12 Multi-area agreement, 2009/10 to 2011/12 £750,000 delivered "
        "against a target of £940,000 (9.4% over 3 years)."
    ) in page
    assert "12.4%" not in page
    assert "over 4 years" not in page


def test_a_target_outside_its_agreements_years_or_members_is_refused(client, em_iep, laa_and_maa):
    laa, _maa = laa_and_maa
    stranger = OrganisationFactory(partnership=em_iep["partnership"])

    def set_target(**fields):
        return savings_target_set(
            agreement=laa, basis="amount", amount=D("1000"), by=em_iep["manager"], **fields
        )

    with pytest.raises(SavingsError, match="covers 2008/09 to 2010/11") as late:
        set_target(organisation=em_iep["council"], financial_year=2011)
    with pytest.raises(SavingsError, match="is not a member of Lincolnshire LAA") as outsider:
        set_target(organisation=stranger, financial_year=2009)
    assert (late.value.field, outsider.value.field) == ("financial_year", "organisation")
    assert SavingsTarget.objects.count() == 6


def test_an_agreements_members_are_its_partnerships_and_its_years_in_order(em_iep, laa_and_maa):
    laa, _maa = laa_and_maa
    outsider = OrganisationFactory(name="Rutland County Council")

    def change(**fields):
        return agreement_save(
            agreement=laa,
            **{
                "kind": laa.kind,
                "name": laa.name,
                "first_year": 2008,
                "last_year": 2010,
                "members": [em_iep["council"]],
                "by": em_iep["manager"],
                **fields,
            },
        )

    with pytest.raises(SavingsError, match="Rutland County Council is not a member of"):
        change(members=[em_iep["council"], outsider])
    with pytest.raises(SavingsError, match="last year cannot be before the first"):
        change(last_year=2007)
    with pytest.raises(SavingsError, match="targets outside those years"):
        change(last_year=2009)
    with pytest.raises(SavingsError, match="A body left out has targets"):
        change(members=[em_iep["boston"]])
    with pytest.raises(SavingsError, match="already has an agreement of that name"):
        change(name="East Midlands MAA 2009-12")
    assert change(name="Lincolnshire LAA").name == "Lincolnshire LAA"
    assert list(laa.members.all()) == [em_iep["council"]]


def test_an_area_wide_cashable_percentage_is_shown_before_its_baseline_then_progress(
    client, em_iep
):
    area = _agreement(em_iep, Agreement.Kind.PARTNERSHIP_PROGRAMME, "Team Lincolnshire", 2008)
    SavingsEntryFactory(organisation=em_iep["council"], financial_year=2008, amount=D("1200000"))
    SavingsEntryFactory(organisation=em_iep["boston"], financial_year=2008, amount=D("900000"))
    SavingsEntryFactory(  # not cashable: does not count towards a cashable target
        organisation=em_iep["boston"], financial_year=2008, amount=D("500000"), cashable=False
    )
    client.force_login(em_iep["manager"])
    fields = {
        "agreement": area.pk,
        "organisation": "",
        "financial_year": 2008,
        "basis": "percentage",
        "percentage": "3",
        "cashable_only": "on",
    }

    recorded = client.post(reverse("savings:target-set"), fields)
    before = page_words(client.get(reverse("savings:targets")))
    client.post(reverse("savings:target-set"), {**fields, "baseline": "70000000"})
    after = page_words(client.get(reverse("savings:targets")))

    assert recorded["Location"] == f"{reverse('savings:targets')}?partnership=em-iep"
    target = SavingsTarget.objects.get()
    assert (target.organisation, target.cashable_only) == (None, True)
    assert (
        "A target of 3% over 1 year; £2,100,000 delivered. Progress against it is shown once "
        "the baseline is recorded."
    ) in before
    assert "2008/09 3% of a baseline not yet known, cashable savings only" in before
    assert "£2,100,000 delivered against a target of £2,100,000 (3% over 1 year)." in after
    assert "2008/09 3% of £70,000,000, cashable savings only: £2,100,000 3%: £2,100,000" in after
    assert "100.0%" in after


def test_only_the_partnerships_managers_set_its_agreements_targets(client, em_iep):
    area = _agreement(em_iep, Agreement.Kind.LOCAL_AREA, "Lincolnshire LAA 2008-11", 2008)
    fields = {"agreement": area.pk, "financial_year": 2008, "basis": "amount", "amount": "5"}

    client.force_login(em_iep["board"])
    refused = client.post(reverse("savings:target-set"), fields)

    assert refused.status_code == 403
    assert not SavingsTarget.objects.exists()
    assert em_iep["board"].has_perm("savings.view_agreement", area)
    assert not em_iep["board"].has_perm("savings.change_agreement", area)
    assert em_iep["manager"].has_perm("savings.change_agreement", area)


def test_a_manager_records_an_agreement_in_the_admin_through_the_service(client, em_iep):
    manager = user_with_role("programme_manager", partnership=em_iep["partnership"], is_staff=True)
    client.force_login(manager)
    agreement = {
        "partnership": em_iep["partnership"].pk,
        "kind": Agreement.Kind.LOCAL_AREA,
        "name": "Lincolnshire LAA 2008-11",
        "first_year": 2008,
        "last_year": 2010,
    }
    outsider = OrganisationFactory(name="Rutland County Council")

    refused = client.post(
        reverse("admin:savings_agreement_add"), {**agreement, "members": [outsider.pk]}
    )
    recorded = client.post(
        reverse("admin:savings_agreement_add"),
        {**agreement, "members": [em_iep["council"].pk, em_iep["boston"].pk]},
    )

    assert refused.status_code == 200
    assert "Rutland County Council is not a member of" in refused.text
    assert recorded.status_code == 302
    saved = Agreement.objects.get()
    assert set(saved.members.all()) == {em_iep["council"], em_iep["boston"]}
    assert saved.history.first().history_user == manager
