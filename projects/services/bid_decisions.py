"""The board's approval of a bid, which makes its project.

This lives with projects, not bids: bids may not import projects, and an approval that
commits the grant but leaves no project behind would leave the two out of step.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from bids.models import Bid
from bids.services import bid_approve
from partnership.models import Decision
from projects.models import Project

from .delivery import milestone_add, project_create_from_bid


@transaction.atomic
def bid_approve_into_project(
    *,
    bid: Bid,
    grant_allocated: Decimal,
    decision: Decision | None,
    reference: str,
    first_milestone: str,
    first_milestone_due_on: datetime.date,
    first_payment: Decimal = Decimal("0.00"),
    by: User | None,
) -> Project:
    """Approve the bid with the grant the board allocated (committed against the
    round's budget line; refused if the round or line has not enough left), create its
    project led by the sponsor, and give the project its first outcome milestone with
    the payment that milestone releases, from which the lead council's officer completes
    the milestone and payment profile. All of it is recorded, or none of it."""
    bid = bid_approve(bid=bid, grant_allocated=grant_allocated, decision=decision, by=by)
    project = project_create_from_bid(bid=bid, reference=reference, by=by)
    milestone_add(
        project=project,
        title=first_milestone,
        due_on=first_milestone_due_on,
        payment_amount=first_payment,
        by=by,
    )
    return project
