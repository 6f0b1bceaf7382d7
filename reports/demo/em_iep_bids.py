"""EM IEP's April 2011 bidding round against the legacy programme's Projects line:
its criteria, the 26 bids, and the board's decision on them (board pack of 12 April
2011, item 11). Approved bids become projects with milestones and grant payments.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from bids.models import Bid, BiddingRound, Criterion
from bids.services import bid_approve, bid_refer_back
from partnership.models import Decision, Meeting, Organisation
from programmes.models import PENNY, BudgetLine
from projects.models import Project
from projects.services import milestone_add, project_create_from_bid

from .fixture_files import money, rows, yes_no

ROUND_NAME = "Efficiency project bids 2011/13"
# The pack gives no dates for the round. It opened after East Midlands Councils agreed
# the two-year programme (10 December 2010) and closed in time for the officer
# steering group to score the bids before the board papers went out.
OPENS_ON = datetime.date(2011, 1, 10)
CLOSES_ON = datetime.date(2011, 3, 4)
ROUND_GUIDANCE = (
    "Bids for replicable and proven efficiency projects delivered over the past three "
    "years, and for new initiatives, from groups of authorities across the region. "
    "The budget is essentially the claw back from SRP grant allocations 2008/11."
)
# The steering group recommended approving the bids that scored full marks (para 3.1).
APPROVED_SCORE = 7
DECISION_TEXT = (
    "The Board approved the three bids scoring 7 against the £750k projects budget: "
    "Shared ICT (North Kesteven DC, £100,000), Business Intelligence and e-sourcing "
    "(Nottinghamshire CC, £95,000) and EM Public Sector Network (Leicester City Council, "
    "£125,000). Six bids were referred back to their sponsor authority / SRP to quantify "
    "their cashable efficiency gains, to be re-presented in June 2011. A further bidding "
    "round will allocate the remaining £430k."
)
REFER_BACK_NOTE = (
    "Needs further development work to quantify cashable efficiency gains. Referred to "
    "the {referred_to}, to be re-presented at the {re_present_to}."
)

PROJECT_STARTS_ON = datetime.date(2011, 5, 1)
PROJECT_ENDS_ON = datetime.date(2013, 3, 31)
# Outcome milestones each approved project is paid against: title, due date, share of
# the grant (the last milestone takes what is left, so the payments add up exactly).
MILESTONE_PLAN = [
    ("Partners signed up and project plan agreed", datetime.date(2011, 9, 30), Decimal("0.40")),
    ("Solution in place in the partner councils", datetime.date(2012, 6, 30), Decimal("0.30")),
    ("Roll-out complete and cashable savings evidenced", PROJECT_ENDS_ON, None),
]


def load_april_2011_round(
    *, projects_line: BudgetLine, meeting: Meeting, organisations: dict[str, Organisation]
) -> BiddingRound:
    bidding_round, _ = BiddingRound.objects.get_or_create(
        budget_line=projects_line,
        name=ROUND_NAME,
        defaults={
            "amount_available": money("750000"),
            "opens_on": OPENS_ON,
            "closes_on": CLOSES_ON,
            "guidance": ROUND_GUIDANCE,
        },
    )
    for row in rows("em_iep/em_bid_scoring_criteria.csv"):
        # The paper does not say how the 7 points divide between the criteria.
        Criterion.objects.get_or_create(
            bidding_round=bidding_round,
            name=row["criterion"],
            defaults={"position": int(row["criterion_no"])},
        )
    _load_bids(bidding_round, organisations)
    decide_april_2011_bids(
        bidding_round=bidding_round, meeting=meeting, organisations=organisations
    )
    return bidding_round


def _load_bids(bidding_round: BiddingRound, organisations: dict[str, Organisation]) -> None:
    footnotes = {
        row["project"]: row["footnote_text"]
        for row in rows("em_iep/em_top_scoring_bids_2011.csv")
        if row["footnote_text"]
    }
    submitted_at = timezone.make_aware(datetime.datetime.combine(CLOSES_ON, datetime.time(12)))
    for row in rows("em_iep/em_project_bids_2011_13.csv"):
        Bid.objects.get_or_create(
            bidding_round=bidding_round,
            number=int(row["bid_no"]),
            defaults={
                "title": row["project"],
                "description": _partnership_note(row),
                "sponsor": organisations[row["sponsoring_authority"]],
                "grant_requested": money(row["grant_requested_gbp"]),
                "savings_claimed": money(row["savings_amount_gbp"]),
                "savings_claimed_high": money(row["savings_amount_high_gbp"]),
                "savings_claimed_as_written": row["cashable_savings_as_written"],
                "savings_basis": row["savings_basis"] or Bid.SavingsBasis.NONE,
                "savings_years": int(row["savings_years"]) if row["savings_years"] else None,
                "is_partnership": row["partnership_project"] == "yes",
                "builds_on_good_practice": yes_no(row["building_on_previous_good_practice"]),
                "agreed_points": int(row["points"]),
                "recommendation_note": footnotes.get(row["project"], ""),
                "status": Bid.Status.SUBMITTED,
                "submitted_at": submitted_at,
            },
        )


def _partnership_note(row: dict[str, str]) -> str:
    note = row["partnership_note"]
    return f"Not yet a partnership project: {note}." if note else ""


def decide_april_2011_bids(
    *, bidding_round: BiddingRound, meeting: Meeting, organisations: dict[str, Organisation]
) -> Decision:
    """The board's decision of 12 April 2011: approve the bids scoring 7 with the grant
    they asked for (committing it on the round's budget line), each becoming a
    project, and refer six back. The other bids stay submitted for the further
    round."""
    decision, _ = Decision.objects.get_or_create(
        meeting=meeting,
        agenda_item=meeting.agenda_items.get(number=11),
        text=DECISION_TEXT,
    )
    bids = bidding_round.bids.all()
    approved = [
        (bids.get(title=row["project"]), money(row["grant_allocation_gbp"]))
        for row in rows("em_iep/em_top_scoring_bids_2011.csv")
        if int(row["score"]) == APPROVED_SCORE
    ]
    approved.sort(key=lambda pair: pair[0].number)
    for position, (bid, grant) in enumerate(approved, start=1):
        if bid.status == Bid.Status.SUBMITTED:
            bid = bid_approve(
                bid=bid,
                grant_allocated=grant,
                decision=decision,
                by=None,
                decided_on=meeting.held_on,
            )
        if not Project.objects.filter(bid=bid).exists():
            _project_from(bid, reference=f"EMIEP-2011-{position:02d}")
    for row in rows("em_iep/em_bids_referred_back_2011.csv"):
        bid = bids.get(
            sponsor=organisations[row["sponsoring_authority_in_bids_table"]],
            title=row["project_in_bids_table"],
        )
        if bid.status == Bid.Status.SUBMITTED:
            bid_refer_back(
                bid=bid,
                note=REFER_BACK_NOTE.format(
                    referred_to=row["referred_to"], re_present_to=row["re_present_to"]
                ),
                decision=decision,
                by=None,
            )
    return decision


def _project_from(bid: Bid, *, reference: str) -> Project:
    """The approved bid's project, with the milestones it is paid against (the last
    milestone takes what is left, so the payments add up to the grant exactly)."""
    project = project_create_from_bid(
        bid=bid,
        reference=reference,
        starts_on=PROJECT_STARTS_ON,
        ends_on=PROJECT_ENDS_ON,
        theme=bid.bidding_round.budget_line.programme.themes.filter(name="Efficiency").first(),
        by=None,
    )
    remaining = project.grant_awarded
    for title, due_on, share in MILESTONE_PLAN:
        amount = remaining if share is None else (project.grant_awarded * share).quantize(PENNY)
        remaining -= amount
        milestone_add(project=project, title=title, due_on=due_on, payment_amount=amount, by=None)
    return project
