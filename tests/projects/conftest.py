"""The grant payment schedule shared by its page, download and background download
tests."""

import datetime
from decimal import Decimal

import pytest

from partnership.models import Role
from projects.models import GrantPayment
from projects.services import (
    milestone_add,
    milestone_log_achieved,
    milestone_verify,
    payment_approve,
    payment_record_paid,
)
from tests.factories import (
    GrantPaymentFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
    SubRegionFactory,
    committed_project,
    funded_budget_line,
    user_with_role,
)

D = Decimal
SEPTEMBER = datetime.date(2011, 9, 30)


@pytest.fixture
def schedule():
    """EM IEP's two projects, North Kesteven's (three milestones: one paid, one
    withheld, one scheduled) and Nottinghamshire's (one due), and a payment of another
    partnership that EM IEP's finance must never see."""
    partnership = PartnershipFactory(short_name="EM IEP")
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council", gss_code="E07000139", partnership=partnership
    )
    nottinghamshire = OrganisationFactory(
        name="Nottinghamshire County Council", gss_code="E10000024", partnership=partnership
    )
    lincolnshire = SubRegionFactory(partnership=partnership, name="Lincolnshire")
    lincolnshire.members.add(north_kesteven)
    line = funded_budget_line(
        D("750000"),
        name="Projects",
        programme__partnership=partnership,
        programme__name="Improvement and Efficiency Programme 2011/13",
    )
    other_line = funded_budget_line(
        D("100000"), programme__partnership=partnership, programme__name="Care Services"
    )
    manager = user_with_role(
        Role.Kind.PROGRAMME_MANAGER, partnership=partnership, first_name="Pat", last_name="Lee"
    )
    shared_ict = _project(line, north_kesteven, "EMIEP-2011-01", "Shared ICT", D("100000"))
    fleet = _project(other_line, nottinghamshire, "EMIEP-2011-02", "Fleet", D("50000"))
    for title, due_on, amount in (
        ("Desk live", SEPTEMBER, D("40000")),
        ("Data centre merged", datetime.date(2012, 1, 15), D("30000")),
        ("Savings evidenced", datetime.date(2012, 5, 1), D("30000")),
    ):
        milestone_add(
            project=shared_ict, title=title, due_on=due_on, payment_amount=amount, by=None
        )
    milestone_add(
        project=fleet,
        title="Vehicles tracked",
        due_on=datetime.date(2011, 10, 31),
        payment_amount=D("50000"),
        by=None,
    )
    paid = shared_ict.payments.get(milestone__position=1)
    _deliver(paid.milestone, manager)
    payment_approve(payment=paid, by=manager, approved_on=SEPTEMBER)
    payment_record_paid(
        payment=paid, paid_on=datetime.date(2011, 10, 14), reference="BACS-0001", by=None
    )
    withheld = shared_ict.payments.get(milestone__position=2)
    withheld.status, withheld.withheld_reason = GrantPayment.Status.WITHHELD, "Evidence missing"
    withheld.save()
    _deliver(fleet.milestones.get(), manager)
    elsewhere = GrantPaymentFactory(project=ProjectFactory(title="Another partnership's"))
    return {
        "partnership": partnership,
        "north_kesteven": north_kesteven,
        "lincolnshire": lincolnshire,
        "programme": line.programme,
        "elsewhere": elsewhere,
        "finance": user_with_role(Role.Kind.FINANCE, partnership=partnership),
        "nk_finance": user_with_role(Role.Kind.FINANCE, organisation=north_kesteven),
        "manager": manager,
    }


def _project(line, lead, reference, title, grant):
    return committed_project(line, lead, reference=reference, title=title, grant_awarded=grant)


def _deliver(milestone, manager):
    milestone_log_achieved(milestone=milestone, achieved_on=SEPTEMBER, delivered="Done", by=None)
    milestone_verify(milestone=milestone, by=manager, verified_on=SEPTEMBER)
