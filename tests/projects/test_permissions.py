"""Who may see and change a project and its payments, asked the one way pages, the
admin and the API ask: ``user.has_perm(...)`` and ``visible_to(user)``."""

import pytest

from projects.models import GrantPayment, Milestone, Project
from tests.factories import (
    GrantPaymentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(name="North Kesteven District Council")
    nottinghamshire = OrganisationFactory(name="Nottinghamshire County Council")
    rutland = OrganisationFactory(name="Rutland County Council")
    programme = ProgrammeFactory(partnership=partnership)
    shared_ict = ProjectFactory(
        programme=programme, budget_line__programme=programme, lead_organisation=north_kesteven
    )
    shared_ict.partners.add(rutland)
    fleet = ProjectFactory(
        programme=programme, budget_line__programme=programme, lead_organisation=nottinghamshire
    )
    return {
        "partnership": partnership,
        "north_kesteven": north_kesteven,
        "nottinghamshire": nottinghamshire,
        "rutland": rutland,
        "shared_ict": shared_ict,
        "fleet": fleet,
        "elsewhere": ProjectFactory(),
    }


def test_an_officer_cannot_see_or_change_another_councils_project(world):
    officer = user_with_role("officer", organisation=world["north_kesteven"])
    assert officer.has_perm("projects.view_project", world["shared_ict"])
    assert officer.has_perm("projects.change_project", world["shared_ict"])
    assert not officer.has_perm("projects.view_project", world["fleet"])
    assert not officer.has_perm("projects.change_project", world["fleet"])
    assert list(Project.objects.visible_to(officer)) == [world["shared_ict"]]


def test_a_partner_councils_officer_reads_but_does_not_change_the_project(world):
    officer = user_with_role("officer", organisation=world["rutland"])
    assert officer.has_perm("projects.view_project", world["shared_ict"])
    assert not officer.has_perm("projects.change_project", world["shared_ict"])
    assert list(Project.objects.visible_to(officer)) == [world["shared_ict"]]


def test_milestones_and_payments_follow_their_project(world):
    officer = user_with_role("officer", organisation=world["north_kesteven"])
    own = MilestoneFactory(project=world["shared_ict"])
    other = MilestoneFactory(project=world["fleet"])
    assert list(Milestone.objects.visible_to(officer)) == [own]
    assert officer.has_perm("projects.change_milestone", own)
    assert not officer.has_perm("projects.view_milestone", other)
    GrantPaymentFactory(project=world["fleet"])
    assert not GrantPayment.objects.visible_to(officer).exists()


def test_a_board_member_reads_every_project_of_the_partnership_and_changes_none(world):
    board = user_with_role("board_member", partnership=world["partnership"])
    assert set(Project.objects.visible_to(board)) == {world["shared_ict"], world["fleet"]}
    assert board.has_perm("projects.view_project", world["fleet"])
    assert not board.has_perm("projects.change_project", world["fleet"])
    assert not board.has_perm("projects.view_project", world["elsewhere"])


def test_a_programme_manager_changes_projects_of_their_own_partnership_only(world):
    manager = user_with_role("programme_manager", partnership=world["partnership"])
    assert manager.has_perm("projects.change_project", world["fleet"])
    assert not manager.has_perm("projects.change_project", world["elsewhere"])
    payment = GrantPaymentFactory(project=world["fleet"])
    assert manager.has_perm("projects.change_grantpayment", payment)


def test_finance_of_an_accountable_body_reads_its_payments_but_records_none(world):
    finance = user_with_role("finance", organisation=world["nottinghamshire"])
    own = GrantPaymentFactory(project=world["fleet"])
    other = GrantPaymentFactory(project=world["shared_ict"])
    # It receives the grant, so only the partnership's finance records it paid.
    assert not finance.has_perm("projects.change_grantpayment", own)
    assert not finance.has_perm("projects.change_grantpayment", other)
    assert finance.has_perm("projects.read_payment_schedule")
    assert list(GrantPayment.objects.visible_to(finance)) == [own]
    assert not finance.has_perm("projects.change_project", world["fleet"])


def test_a_user_without_a_role_sees_nothing(world):
    nobody = UserFactory()
    assert not Project.objects.visible_to(nobody).exists()
    assert not nobody.has_perm("projects.view_project", world["fleet"])
    assert not nobody.has_perm("projects.view_project")


def test_an_administrator_sees_and_changes_everything(world):
    admin = user_with_role("administrator")
    assert Project.objects.visible_to(admin).count() == 3
    assert admin.has_perm("projects.change_project", world["elsewhere"])
