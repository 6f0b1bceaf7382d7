"""The synthetic data set: every row the services would have written (bids and their
commitments, milestones and their payments, payments and their ledger entries,
returns and their entries), made in memory from one seed and written in bulk."""

import datetime
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from bids.models import Bid, BiddingRound, Criterion
from bids.services import DEFAULT_CRITERIA
from partnership import financial_years
from partnership.errors import PortalError
from partnership.models import Organisation, Partnership, SubRegion, Theme
from partnership.page_cache import records_changed
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme
from projects.models import GrantPayment, Milestone, MilestoneReprofile, ProgressReport, Project
from projects.selectors import last_completed_quarter, quarters_between
from savings.models import (
    Agreement,
    ForecastReturn,
    SavingsCategory,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
)
from savings.services import savings_totals_rebuild

from .shapes import DAY, SCALES, even_with_jitter, money, shares, skewed, split_money
from .writer import reserve_ids, write

SLUG_PREFIX = "scale-"
GENERATOR_USERNAME = "scale-data"
KINDS = [
    (Organisation.Kind.DISTRICT, 6),
    (Organisation.Kind.UNITARY, 2),
    (Organisation.Kind.COUNTY, 1),
    (Organisation.Kind.FIRE, 1),
    (Organisation.Kind.POLICE, 1),
    (Organisation.Kind.NHS, 1),
]
GSS_PREFIX = {"district": "E07", "unitary": "E06", "county": "E10", "fire": "E31"}
THEMES = ["Efficiency", "Economy and infrastructure", "Health inequalities", "Community cohesion"]
LINES = [
    "Care services",
    "Procurement",
    "Products and offers",
    "Projects",
    "Business transformation",
    "Sector-led support",
    "Governance and communication",
]
SUBJECTS = [
    "Shared revenues and benefits",
    "Joint procurement",
    "Customer access",
    "Asset review",
    "Shared ICT",
    "Waste collection",
    "Adult social care",
    "Energy audit",
]
CATEGORIES = [
    ("Procurement", "procurement"),
    ("Property", "property"),
    ("Highways", "highways"),
    ("Culture & sport", "culture-sport"),
    ("Care", "care"),
    ("Shared services", "shared-services"),
]
RAGS = ["green"] * 6 + ["amber"] * 3 + ["red"]


class ScaleDataError(PortalError):
    pass


def generate_scale_data(*, scale: str, seed: int, today: datetime.date | None = None) -> Counter:
    """Write a whole synthetic data set of the given scale, the same for the same
    ``seed`` and ``today``, and return how many rows of each model it wrote. Refuses a
    database that already holds projects, so the figures are the generated ones."""
    if scale not in SCALES:
        raise ScaleDataError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    if Project.objects.exists() or Partnership.objects.filter(slug__startswith=SLUG_PREFIX):
        raise ScaleDataError(
            "This database already has projects. Generate scale data into an empty "
            "database (migrate a new one, or flush this one)."
        )
    with transaction.atomic():
        counts = _Builder(SCALES[scale], random.Random(seed), today or timezone.localdate()).build()
    # COPY goes round the connection's watch on writes: no kept page may outlive it.
    records_changed()
    # The planner's statistics would otherwise describe the empty tables until
    # autovacuum comes round, and the first pages read would be planned for them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


class _Builder:
    def __init__(self, scale, rng: random.Random, today: datetime.date):
        self.scale, self.rng, self.today = scale, rng, today
        self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
        self.counts = Counter()
        self.rows = defaultdict(list)

    def build(self) -> Counter:
        self.user = User.objects.create(username=GENERATOR_USERNAME, is_active=False)
        self.categories = [
            SavingsCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0].pk
            for name, slug in CATEGORIES
        ]
        self.partnerships()
        self.programmes()
        self.projects()
        self.savings()
        for model in (
            Organisation,
            Partnership,
            SubRegion,
            Theme,
            Programme,
            FundingSource,
            BudgetLine,
            BiddingRound,
            Criterion,
            Bid,
            Project,
            Milestone,
            MilestoneReprofile,
            LedgerEntry,
            GrantPayment,
            ProgressReport,
            SavingsReturn,
            SavingsEntry,
            Agreement,
            SavingsTarget,
            ForecastReturn,
        ):
            self.counts[str(model._meta.verbose_name_plural)] = write(
                model, self.rows.pop(model, [])
            )
        for through, rows in self.rows.items():
            through.objects.bulk_create(rows, batch_size=5000)
        # The entries were written past the services that keep the savings totals.
        self.counts["savings totals"] = savings_totals_rebuild()
        return self.counts

    def new(self, model, **fields):
        row = model(**fields)
        self.rows[model].append(row)
        return row

    def with_ids(self, model, rows):
        for row, pk in zip(rows, reserve_ids(model, len(rows)), strict=True):
            row.pk = pk
        return rows

    # Partnerships, councils and sub-regions -----------------------------------------

    def partnerships(self):
        rng, scale = self.rng, self.scale
        self.partners = self.with_ids(
            Partnership,
            [
                self.new(
                    Partnership,
                    name=f"Improvement and Efficiency Partnership {n}",
                    short_name=f"IEP {n}",
                    slug=f"{SLUG_PREFIX}iep-{n}",
                    board_size=15,
                    quorum=5,
                )
                for n in range(1, scale.partnerships + 1)
            ],
        )
        kinds = [kind for kind, weight in KINDS for _ in range(weight)]
        self.organisations = self.with_ids(
            Organisation,
            [
                self.new(
                    Organisation,
                    name=f"Council {n}",
                    short_name=f"C{n}",
                    kind=kind,
                    gss_code=f"{GSS_PREFIX[kind]}{n:06d}" if kind in GSS_PREFIX else "",
                )
                for n in range(1, scale.organisations + 1)
                for kind in [rng.choice(kinds)]
            ],
        )
        self.members = defaultdict(list)  # partnership id -> organisations
        membership = Partnership.members.through
        for index, organisation in enumerate(self.organisations):
            partnership = self.partners[index % len(self.partners)]
            self.members[partnership.pk].append(organisation)
            self.new(membership, partnership_id=partnership.pk, organisation_id=organisation.pk)
        self.sub_regions = defaultdict(list)  # partnership id -> (sub-region, members)
        rows = []
        for index in range(scale.sub_regions):
            partnership = self.partners[index % len(self.partners)]
            number = len(self.sub_regions[partnership.pk]) + 1
            rows.append(
                self.new(
                    SubRegion,
                    partnership_id=partnership.pk,
                    name=f"Sub-region {partnership.pk}.{number}",
                    slug=f"sub-region-{number}",
                )
            )
            self.sub_regions[partnership.pk].append(rows[-1])
        self.with_ids(SubRegion, rows)
        self.members_of = {}
        membership = SubRegion.members.through
        for partnership in self.partners:
            regions = self.sub_regions[partnership.pk]
            for index, organisation in enumerate(self.members[partnership.pk]):
                region = regions[index % len(regions)]
                self.members_of.setdefault(region.pk, []).append(organisation)
                self.new(membership, subregion_id=region.pk, organisation_id=organisation.pk)
            for region in regions:
                region.accountable_body_id = self.members_of[region.pk][0].pk
        self.themes = defaultdict(list)
        for partnership in self.partners:
            for position, name in enumerate(THEMES):
                self.themes[partnership.pk].append(
                    self.new(Theme, partnership_id=partnership.pk, name=name, position=position)
                )
        self.with_ids(Theme, self.rows[Theme])

    # Programmes, budget lines, rounds and the money in -------------------------------

    def programmes(self):
        rng = self.rng
        first_year = financial_years.financial_year_of(self.today) - 4
        rows = []
        for index in range(self.scale.programmes):
            partnership = self.partners[index % len(self.partners)]
            regions = self.sub_regions[partnership.pk]
            region = rng.choice(regions) if rng.random() < 0.7 else None
            year, length = first_year + rng.randint(0, 4), rng.choice([2, 3])
            owner = region.name if region else "Regional"
            rows.append(
                self.new(
                    Programme,
                    partnership_id=partnership.pk,
                    sub_region_id=region.pk if region else None,
                    name=f"{owner} programme {year}/{(year + length) % 100:02d}",
                    slug=f"programme-{index + 1}",
                    starts_on=datetime.date(year, 4, 1),
                    ends_on=datetime.date(year + length, 3, 31),
                )
            )
        self.with_ids(Programme, rows)
        self.lines = []
        for programme in rows:
            for position, name in enumerate(sorted(rng.sample(LINES, rng.randint(3, 7)))):
                self.lines.append(
                    self.new(BudgetLine, programme_id=programme.pk, name=name, position=position)
                )
        self.with_ids(BudgetLine, self.lines)
        self.programme_of = {programme.pk: programme for programme in rows}
        self.rounds = defaultdict(list)  # budget line id -> rounds, oldest first
        for line in self.lines:
            programme = self.programme_of[line.programme_id]
            for number in range(1, rng.randint(2, 4)):
                opens_on = programme.starts_on + (number - 1) * 200 * DAY - 60 * DAY
                self.rounds[line.pk].append(
                    self.new(
                        BiddingRound,
                        budget_line_id=line.pk,
                        name=f"{line.name} round {number}",
                        amount_available=Decimal("0.00"),
                        opens_on=opens_on,
                        closes_on=opens_on + 42 * DAY,
                    )
                )
        self.with_ids(BiddingRound, self.rows[BiddingRound])
        for round_ in self.rows[BiddingRound]:
            for position, (name, points) in enumerate(DEFAULT_CRITERIA):
                self.new(
                    Criterion,
                    bidding_round_id=round_.pk,
                    name=name,
                    max_points=points,
                    position=position,
                )
        self.with_ids(Criterion, self.rows[Criterion])

    # Projects: bids, milestones, payments, the ledger, progress reports -------------

    def projects(self):
        rng, today = self.rng, self.today
        bid_type = ContentType.objects.get_for_model(Bid)
        project_type = ContentType.objects.get_for_model(Project)
        per_line = shares(rng, self.scale.projects, len(self.lines))
        milestone_counts = even_with_jitter(
            rng, self.scale.milestones, self.scale.projects, jitter=4
        )
        projects, approved, committed = [], [], defaultdict(Decimal)  # line id -> grants
        bid_numbers = Counter()
        for line, count in zip(self.lines, per_line, strict=True):
            programme = self.programme_of[line.programme_id]
            members = self._members_for(programme)
            for _ in range(count):
                round_ = rng.choice(self.rounds[line.pk])
                grant = money(skewed(rng, 45_000, 0.9, low=5_000, high=1_500_000), to=500)
                lead = rng.choice(members)
                starts_on = round_.closes_on + rng.randint(30, 120) * DAY
                bid_numbers[round_.pk] += 1
                bid = self.new(
                    Bid,
                    bidding_round_id=round_.pk,
                    number=bid_numbers[round_.pk],
                    title=f"{rng.choice(SUBJECTS)} {len(projects) + 1}",
                    sponsor_id=lead.pk,
                    grant_requested=money(float(grant) * rng.uniform(1, 1.3), to=500),
                    grant_allocated=grant,
                    savings_basis=Bid.SavingsBasis.PER_ANNUM,
                    savings_claimed=money(float(grant) * rng.uniform(0.2, 1.5)),
                    status=Bid.Status.APPROVED,
                    agreed_points=rng.randint(3, 7),
                    recommendation=Bid.Recommendation.APPROVE,
                    submitted_at=self._at(round_.closes_on),
                )
                projects.append(
                    self.new(
                        Project,
                        reference=f"SD{len(projects) + 1:06d}",
                        title=bid.title,
                        programme_id=programme.pk,
                        budget_line_id=line.pk,
                        lead_organisation_id=lead.pk,
                        theme_id=rng.choice(self.themes[programme.partnership_id]).pk,
                        grant_awarded=grant,
                        savings_claimed=bid.savings_claimed,
                        invest_to_save=rng.random() < 0.05,
                        starts_on=starts_on,
                        ends_on=starts_on + rng.randint(180, 900) * DAY,
                    )
                )
                approved.append(bid)
                committed[line.pk] += grant
            # Bids the board did not fund: about one for every three it did.
            for _ in range(count // 3):
                round_ = rng.choice(self.rounds[line.pk])
                bid_numbers[round_.pk] += 1
                self.new(
                    Bid,
                    bidding_round_id=round_.pk,
                    number=bid_numbers[round_.pk],
                    title=f"{rng.choice(SUBJECTS)} (not funded)",
                    sponsor_id=rng.choice(members).pk,
                    grant_requested=money(skewed(rng, 60_000, 0.9, low=5_000, high=2_000_000)),
                    status=rng.choice([Bid.Status.REJECTED, Bid.Status.REFERRED_BACK]),
                    submitted_at=self._at(round_.closes_on),
                )
        self.with_ids(Bid, self.rows[Bid])
        self.with_ids(Project, projects)
        for project, bid in zip(projects, approved, strict=True):
            project.bid_id = bid.pk
        self._partners(projects)
        self._money_in(committed)
        for project, bid in zip(projects, approved, strict=True):
            self.new(
                LedgerEntry,
                programme_id=project.programme_id,
                budget_line_id=project.budget_line_id,
                kind=LedgerEntry.Kind.COMMITMENT,
                amount=project.grant_awarded,
                occurred_on=project.starts_on - 14 * DAY,
                subject_type_id=bid_type.pk,
                subject_id=project.bid_id,
                memo=f"Bid {bid.number} approved: {project.title}",
                recorded_at=self.now,
            )
        milestones, payments = [], []
        for project, count in zip(projects, milestone_counts, strict=True):
            amounts = split_money(rng, project.grant_awarded, count)
            span = (project.ends_on - project.starts_on).days
            verified_all, paid = True, Decimal("0.00")
            for position, amount in enumerate(amounts, start=1):
                milestone = self._milestone(project, position, span * position // count)
                payment = self._payment(project, milestone, amount)
                milestones.append(milestone)
                payments.append(payment)
                verified_all &= milestone.status == Milestone.Status.VERIFIED
                if payment.status == GrantPayment.Status.PAID:
                    paid += amount
                    payment.ledger_entry = self.new(
                        LedgerEntry,
                        programme_id=project.programme_id,
                        budget_line_id=project.budget_line_id,
                        kind=LedgerEntry.Kind.PAYMENT,
                        amount=amount,
                        occurred_on=payment.paid_on,
                        subject_type_id=project_type.pk,
                        subject_id=project.pk,
                        memo=f"Grant payment ({payment.reference})",
                        recorded_at=self.now,
                    )
            project.status = (
                Project.Status.APPROVED
                if project.starts_on > today
                else Project.Status.COMPLETED
                if verified_all and paid == project.grant_awarded
                else Project.Status.IN_DELIVERY
            )
            self._reports(project, paid)
        self.with_ids(Milestone, milestones)
        self.with_ids(LedgerEntry, self.rows[LedgerEntry])
        for milestone, payment in zip(milestones, payments, strict=True):
            payment.milestone_id = milestone.pk
            if payment.ledger_entry is not None:
                payment.ledger_entry_id = payment.ledger_entry.pk
        for reprofile in self.rows[MilestoneReprofile]:
            reprofile.milestone_id = reprofile.milestone.pk
        self.with_ids(GrantPayment, payments)
        self.with_ids(MilestoneReprofile, self.rows[MilestoneReprofile])
        self.with_ids(ProgressReport, self.rows[ProgressReport])
        self.projects_of = defaultdict(list)  # lead organisation id -> projects
        for project in projects:
            self.projects_of[project.lead_organisation_id].append(project)

    def _members_for(self, programme) -> list:
        if programme.sub_region_id:
            return self.members_of[programme.sub_region_id]
        return self.members[programme.partnership_id]

    def _at(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    def _partners(self, projects):
        """Up to three partner councils on each bid and its project."""
        for project in projects:
            programme = self.programme_of[project.programme_id]
            members = [
                o
                for o in self.members[programme.partnership_id]
                if o.pk != project.lead_organisation_id
            ]
            for partner in self.rng.sample(members, min(len(members), self.rng.randint(0, 3))):
                self.new(
                    Project.partners.through, project_id=project.pk, organisation_id=partner.pk
                )
                self.new(Bid.partners.through, bid_id=project.bid_id, organisation_id=partner.pk)

    def _money_in(self, committed):
        """Funding received and allocated to every line: each line a little more than its
        grants, each programme a little more than its lines, so no balance goes negative."""
        rng = self.rng
        allocated = defaultdict(Decimal)
        for line in self.lines:
            programme = self.programme_of[line.programme_id]
            amount = money(float(committed[line.pk]) * rng.uniform(1.02, 1.4) + 50_000, to=1000)
            allocated[programme.pk] += amount
            self.new(
                LedgerEntry,
                programme_id=programme.pk,
                budget_line_id=line.pk,
                kind=LedgerEntry.Kind.ALLOCATION,
                amount=amount,
                occurred_on=programme.starts_on,
                memo=f"Allocation to {line.name}",
                recorded_at=self.now,
            )
            rounds = self.rounds[line.pk]
            for previous, round_ in zip([None, *rounds], rounds, strict=False):
                round_.previous_round = previous
                round_.amount_available = (amount / len(rounds)).quantize(Decimal("1"))
        sources = []
        for programme in self.programme_of.values():
            total = money(float(allocated[programme.pk]) * rng.uniform(1.0, 1.1), to=1000)
            grant = money(float(total) * rng.uniform(0.75, 1.0), to=1000)
            parts = [("Government grant", FundingSource.Kind.GOVERNMENT_GRANT, grant)]
            if total > grant:
                parts.append(("Regional underspend", FundingSource.Kind.UNDERSPEND, total - grant))
            for name, kind, amount in parts:
                source = self.new(
                    FundingSource,
                    programme_id=programme.pk,
                    name=name,
                    kind=kind,
                    expected_amount=amount,
                    ring_fenced=False,
                )
                sources.append((source, amount))
        self.with_ids(FundingSource, [source for source, _ in sources])
        for round_ in self.rows[BiddingRound]:
            round_.previous_round_id = round_.previous_round.pk if round_.previous_round else None
        for source, amount in sources:
            self.new(
                LedgerEntry,
                programme_id=source.programme_id,
                kind=LedgerEntry.Kind.FUNDING,
                amount=amount,
                funding_source_id=source.pk,
                occurred_on=self.programme_of[source.programme_id].starts_on,
                memo=f"{source.name} received",
                recorded_at=self.now,
            )

    def _milestone(self, project, position: int, offset: int) -> Milestone:
        """A milestone whose state follows its dates: most past ones verified, some
        awaiting verification or sent back, some simply late; a quarter slipped."""
        rng, today = self.rng, self.today
        due_on = project.starts_on + max(offset, 30) * DAY
        milestone = self.new(
            Milestone,
            project_id=project.pk,
            position=position,
            title=f"Outcome {position} delivered",
            due_on=due_on,
            forecast_on=due_on,
        )
        if rng.random() < 0.25:
            milestone.forecast_on = due_on + rng.randint(30, 180) * DAY
            self.new(
                MilestoneReprofile,
                milestone=milestone,
                previous_forecast_on=due_on,
                new_forecast_on=milestone.forecast_on,
                reason="Slippage in procurement",
                by_id=self.user.pk,
                at=self.now,
            )
        if milestone.forecast_on > today:
            return milestone
        draw = rng.random()
        if draw < 0.17:
            return milestone  # late: not yet delivered
        milestone.achieved_on = min(today, milestone.forecast_on + rng.randint(-10, 20) * DAY)
        milestone.delivered = "Delivered as planned."
        verified_on = milestone.achieved_on + rng.randint(0, 30) * DAY
        if draw < 0.2:
            milestone.status = Milestone.Status.RETURNED
            milestone.review_comment = "Please attach the evidence of delivery."
        elif draw < 0.3 or verified_on > today:
            milestone.status = Milestone.Status.ACHIEVED
        else:
            milestone.status = Milestone.Status.VERIFIED
            milestone.verified_on = verified_on
            milestone.verified_by_id = self.user.pk
        return milestone

    def _payment(self, project, milestone, amount: Decimal) -> GrantPayment:
        """The payment a milestone releases: due once the milestone is verified, then
        approved and paid; otherwise scheduled, now and then withheld."""
        rng, today = self.rng, self.today
        Status = GrantPayment.Status
        payment = self.new(
            GrantPayment,
            project_id=project.pk,
            amount=amount,
            due_on=milestone.forecast_on + 30 * DAY,
            ledger_entry=None,
        )
        if milestone.status != Milestone.Status.VERIFIED:
            if milestone.forecast_on < today and rng.random() < 0.05:
                payment.status, payment.withheld_reason = Status.WITHHELD, "Evidence outstanding"
            return payment
        approved_on = milestone.verified_on + rng.randint(0, 14) * DAY
        paid_on = approved_on + rng.randint(0, 21) * DAY
        if approved_on > today:
            payment.status = Status.DUE
        elif paid_on > today or rng.random() < 0.05:
            payment.status, payment.approved_on = Status.APPROVED, approved_on
            payment.approved_by_id = self.user.pk
        else:
            payment.status, payment.approved_on, payment.paid_on = Status.PAID, approved_on, paid_on
            payment.approved_by_id = self.user.pk
            payment.reference = f"REM-{project.reference}-{milestone.position}"
        return payment

    def _reports(self, project, paid: Decimal):
        """Quarterly reports from the project's start to the last quarter, up to six:
        a few missing, the latest sometimes still a draft."""
        rng = self.rng
        last = last_completed_quarter(self.today)
        first = (
            financial_years.financial_year_of(project.starts_on),
            financial_years.quarter_of(project.starts_on),
        )
        quarters = quarters_between(first, last)[-6:] if first <= last else []
        for index, (year, quarter) in enumerate(quarters):
            latest = index == len(quarters) - 1
            if rng.random() < (0.25 if latest else 0.1):
                continue
            draft = latest and rng.random() < 0.15
            self.new(
                ProgressReport,
                project_id=project.pk,
                financial_year=year,
                quarter=quarter,
                status=ProgressReport.Status.DRAFT if draft else ProgressReport.Status.SUBMITTED,
                rag=rng.choice(RAGS),
                narrative="Progress against the milestone plan.",
                spend_to_date=(paid * (index + 1) / len(quarters)).quantize(Decimal("0.01")),
                submitted_by_id=None if draft else self.user.pk,
                submitted_at=None if draft else self.now,
            )

    # Savings: returns and their entries, targets, RAG forecasts ---------------------

    def savings(self):
        """Three years of quarterly returns per council: some never return, some skip a
        quarter, recent ones wait for sign-off, a few were re-submitted (the earlier
        version superseded). A tenth of the entries are recorded directly, outside any
        return, as a programme's reported totals."""
        rng, today = self.rng, self.today
        Status = SavingsReturn.Status
        this_year = financial_years.financial_year_of(today)
        last = last_completed_quarter(today)
        quarters = quarters_between((this_year - 2, 1), last)
        returns = []
        for organisation in self.organisations:
            if rng.random() < 0.08:
                continue  # a council that never returns, which the portal must show
            for year, quarter in quarters:
                if rng.random() < 0.1:
                    continue
                recent = (year, quarter) == last
                if rng.random() < 0.05:
                    returns.append(self._return(organisation, year, quarter, 1, Status.SUPERSEDED))
                    version = 2
                else:
                    version = 1
                status = (
                    rng.choice(
                        [
                            Status.AWAITING_SIGN_OFF,
                            Status.AWAITING_SIGN_OFF,
                            Status.CERTIFIED,
                            Status.RETURNED,
                        ]
                    )
                    if recent
                    else Status.CERTIFIED
                )
                returns.append(self._return(organisation, year, quarter, version, status))
        self.with_ids(SavingsReturn, returns)
        direct = self.scale.savings_entries // 10
        per_return = shares(rng, self.scale.savings_entries - direct, len(returns))
        for savings_return, count in zip(returns, per_return, strict=True):
            for _ in range(count):
                self._entry(
                    savings_return.organisation_id,
                    savings_return.financial_year,
                    savings_return.quarter,
                    savings_return.pk,
                )
        for _ in range(direct):
            organisation = rng.choice(self.organisations)
            self._entry(organisation.pk, rng.randint(this_year - 2, this_year), None, None)
        self.with_ids(SavingsEntry, self.rows[SavingsEntry])
        # Each partnership's own programme agreement sets its members' targets.
        agreement_of = {}
        for partnership in self.partners:
            agreement_of[partnership.pk] = self.new(
                Agreement,
                partnership_id=partnership.pk,
                kind=Agreement.Kind.PARTNERSHIP_PROGRAMME,
                name="Partnership programme targets",
                first_year=this_year - 2,
                last_year=this_year,
            )
        self.with_ids(Agreement, list(agreement_of.values()))
        for partnership_id, members in self.members.items():
            for organisation in members:
                self.new(
                    Agreement.members.through,
                    agreement_id=agreement_of[partnership_id].pk,
                    organisation_id=organisation.pk,
                )
        partnership_of = {
            organisation.pk: partnership_id
            for partnership_id, members in self.members.items()
            for organisation in members
        }
        for organisation in self.organisations:
            baseline = money(skewed(rng, 120e6, 0.8, low=8e6, high=1.5e9), to=1000)
            for year, percentage in zip(
                range(this_year - 2, this_year + 1), ("3", "3", "3.4"), strict=True
            ):
                self.new(
                    SavingsTarget,
                    agreement_id=agreement_of[partnership_of[organisation.pk]].pk,
                    organisation_id=organisation.pk,
                    financial_year=year,
                    basis=SavingsTarget.Basis.PERCENTAGE,
                    percentage=Decimal(percentage),
                    baseline=baseline,
                    baseline_description="Net revenue expenditure",
                )
            for year in (this_year, this_year + 1):
                if rng.random() < 0.85:
                    self.new(
                        ForecastReturn,
                        organisation_id=organisation.pk,
                        financial_year=year,
                        rag=rng.choice(RAGS),
                        returned_on=today - rng.randint(1, 90) * DAY,
                    )
        self.with_ids(SavingsTarget, self.rows[SavingsTarget])
        self.with_ids(ForecastReturn, self.rows[ForecastReturn])

    def _return(self, organisation, year, quarter, version, status) -> SavingsReturn:
        certified = status == SavingsReturn.Status.CERTIFIED
        return self.new(
            SavingsReturn,
            organisation_id=organisation.pk,
            financial_year=year,
            quarter=quarter,
            version=version,
            status=status,
            submitted_by_id=self.user.pk,
            submitted_at=self.now,
            certified_by_id=self.user.pk if certified else None,
            certified_at=self.now if certified else None,
        )

    def _entry(self, organisation_id: int, year: int, quarter: int | None, return_id):
        """One saving; a third came from a project the council leads, and are credited
        to that project's programme."""
        rng = self.rng
        projects = self.projects_of.get(organisation_id)
        project = rng.choice(projects) if projects and rng.random() < 0.33 else None
        self.new(
            SavingsEntry,
            organisation_id=organisation_id,
            project_id=project.pk if project else None,
            programme_id=project.programme_id if project else None,
            savings_return_id=return_id,
            category_id=rng.choice(self.categories),
            financial_year=year,
            quarter=quarter,
            amount=money(skewed(rng, 8_000, 1.1, low=100, high=2_000_000)),
            cashable=rng.random() < 0.75,
            status=SavingsEntry.Status.DELIVERED
            if rng.random() < 0.7
            else SavingsEntry.Status.FORECAST,
        )
