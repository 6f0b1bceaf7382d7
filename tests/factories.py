"""Factories for tests: each builds a valid object with the fewest choices made."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import User

from bids.models import Bid, BiddingRound, Criterion
from partnership.models import Meeting, Organisation, Partnership, Role, SubRegion
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme
from programmes.services import ledger_record
from projects.models import GrantPayment, Milestone, Project
from savings.models import Agreement, SavingsCategory, SavingsEntry
from savings.services import savings_totals_add


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Improvement and Efficiency Partnership {n}")
    short_name = factory.Sequence(lambda n: f"IEP {n}")
    slug = factory.Sequence(lambda n: f"iep-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"District Council {n}")
    kind = Organisation.Kind.DISTRICT

    @factory.post_generation
    def partnership(obj, create, extracted, **kwargs):
        if create and extracted:
            extracted.members.add(obj)


class SubRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubRegion

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Sub-region {n}")
    slug = factory.Sequence(lambda n: f"sub-region-{n}")


def user_with_role(kind: str, *, organisation=None, partnership=None, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=kind, organisation=organisation, partnership=partnership)
    return user


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    starts_on = datetime.date(2011, 4, 1)
    ends_on = datetime.date(2013, 3, 31)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Budget line {n}")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    kind = FundingSource.Kind.GOVERNMENT_GRANT


def funded_budget_line(amount: Decimal = Decimal("750000.00"), **line_fields) -> BudgetLine:
    """A budget line whose programme has received ``amount`` and allocated all of it
    to the line, recorded as ledger entries."""
    line = BudgetLineFactory(**line_fields)
    source = FundingSourceFactory(programme=line.programme)
    on = datetime.date(2011, 4, 1)
    LedgerEntry.objects.create(
        programme=line.programme,
        kind="funding",
        amount=amount,
        occurred_on=on,
        funding_source=source,
    )
    LedgerEntry.objects.create(
        programme=line.programme,
        kind="allocation",
        amount=amount,
        occurred_on=on,
        budget_line=line,
    )
    return line


class BiddingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BiddingRound

    budget_line = factory.SubFactory(BudgetLineFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    amount_available = Decimal("750000.00")
    opens_on = datetime.date(2011, 1, 10)
    closes_on = datetime.date(2011, 3, 4)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    bidding_round = factory.SubFactory(BiddingRoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    max_points = 3


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bid

    bidding_round = factory.SubFactory(BiddingRoundFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Shared service {n}")
    sponsor = factory.SubFactory(OrganisationFactory)
    grant_requested = Decimal("100000.00")
    savings_claimed = Decimal("50000.00")
    savings_basis = Bid.SavingsBasis.PER_ANNUM


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    reference = factory.Sequence(lambda n: f"P{n:04d}")
    title = factory.Sequence(lambda n: f"Project {n}")
    budget_line = factory.SubFactory(BudgetLineFactory)
    programme = factory.SelfAttribute("budget_line.programme")
    lead_organisation = factory.SubFactory(OrganisationFactory)
    grant_awarded = Decimal("100000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Outcome {n} delivered")
    due_on = datetime.date(2011, 9, 30)
    forecast_on = factory.SelfAttribute("due_on")


def committed_project(line: BudgetLine, lead: Organisation, **fields) -> Project:
    """A project on ``line`` led by ``lead``, its grant committed in the ledger as the
    board's approval would."""
    project = ProjectFactory(budget_line=line, lead_organisation=lead, **fields)
    ledger_record(
        programme=line.programme,
        kind=LedgerEntry.Kind.COMMITMENT,
        amount=project.grant_awarded,
        occurred_on=datetime.date(2011, 4, 12),
        budget_line=line,
        subject=project,
        by=None,
    )
    return project


class GrantPaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantPayment

    project = factory.SubFactory(ProjectFactory)
    amount = Decimal("25000.00")
    due_on = datetime.date(2011, 10, 31)


class SavingsCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsCategory
        django_get_or_create = ("slug",)

    name = "Procurement"
    slug = "procurement"


class SavingsEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsEntry

    organisation = factory.SubFactory(OrganisationFactory)
    category = factory.SubFactory(SavingsCategoryFactory)
    financial_year = 2010
    amount = Decimal("10000.00")
    status = SavingsEntry.Status.DELIVERED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Made as a service would: a saving that counts is added to the savings totals.
        entry = super()._create(model_class, *args, **kwargs)
        savings_totals_add(SavingsEntry.objects.counted().filter(pk=entry.pk))
        return entry


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    held_on = datetime.date(2011, 4, 12)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Agreement.Kind.PARTNERSHIP_PROGRAMME
    name = factory.Sequence(lambda n: f"Agreement {n}")
    first_year = 2000
    last_year = 2030


def programme_agreement(organisation: Organisation) -> Agreement:
    """The "partnership programme" agreement of the council's (first) partnership, made
    if need be, with the council among its members: where targets set before
    agreements existed were migrated to."""
    partnership = organisation.partnerships.order_by("pk").first()
    if partnership is None:
        partnership = PartnershipFactory()
        partnership.members.add(organisation)
    agreement, _made = Agreement.objects.get_or_create(
        partnership=partnership,
        name="Partnership programme targets",
        defaults={
            "kind": Agreement.Kind.PARTNERSHIP_PROGRAMME,
            "first_year": 2000,
            "last_year": 2030,
        },
    )
    agreement.members.add(organisation)
    return agreement
