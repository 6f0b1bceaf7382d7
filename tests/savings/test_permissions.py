import pytest

from savings.models import SavingsEntry, SavingsReturn, SavingsTarget
from savings.permissions import can_certify_savings_return
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    SavingsEntryFactory,
    programme_agreement,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_officers_enter_their_own_councils_savings_and_managers_read_their_members():
    partnership = PartnershipFactory()
    lincoln, boston = OrganisationFactory(), OrganisationFactory()
    partnership.members.add(lincoln)
    own, other = SavingsEntryFactory(organisation=lincoln), SavingsEntryFactory(organisation=boston)

    officer = user_with_role("officer", organisation=lincoln)
    assert list(SavingsEntry.objects.visible_to(officer)) == [own]
    assert officer.has_perm("savings.change_savingsentry", own)
    assert not officer.has_perm("savings.view_savingsentry", other)

    manager = user_with_role("programme_manager", partnership=partnership)
    assert list(SavingsEntry.objects.visible_to(manager)) == [own]
    assert manager.has_perm("savings.view_savingsentry", own)
    assert not manager.has_perm("savings.change_savingsentry", own)
    assert not manager.has_perm("savings.view_savingsentry", other)


def test_only_the_councils_finance_officer_certifies_its_return():
    lincoln = OrganisationFactory()
    savings_return = SavingsReturn.objects.create(
        organisation=lincoln, financial_year=2010, quarter=4
    )
    assert can_certify_savings_return(
        user_with_role("finance", organisation=lincoln), savings_return
    )
    assert not can_certify_savings_return(
        user_with_role("officer", organisation=lincoln), savings_return
    )
    assert not can_certify_savings_return(
        user_with_role("finance", organisation=OrganisationFactory()), savings_return
    )


def test_programme_managers_set_targets_for_their_member_councils_only():
    partnership = PartnershipFactory()
    member, stranger = OrganisationFactory(), OrganisationFactory()
    partnership.members.add(member)
    manager = user_with_role("programme_manager", partnership=partnership)
    officer = user_with_role("officer", organisation=member)

    def target(organisation):
        return SavingsTarget(
            agreement=programme_agreement(organisation),
            organisation=organisation,
            financial_year=2010,
            basis="amount",
        )

    assert manager.has_perm("savings.change_savingstarget", target(member))
    assert not manager.has_perm("savings.change_savingstarget", target(stranger))
    assert not officer.has_perm("savings.change_savingstarget", target(member))
