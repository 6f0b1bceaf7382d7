"""What waits for each role, for the home page: a count and a link per kind of work.

Each count is the length of the selector its list page shows, asked here of the same
selector, so the home page and the list behind its link cannot disagree.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse

from bids.selectors import CLOSING_WITHIN_DAYS, rounds_closing_soon
from partnership.models import Meeting, Partnership
from partnership.scopes import Kind, Scope
from partnership.selectors import next_meetings, outstanding_action_counts
from projects import selectors as projects
from savings.selectors import returns_due, returns_to_sign_off

from .models import BoardPack
from .selectors import published_packs


@dataclass(frozen=True)
class Task:
    label: str
    count: int
    url: str
    hint: str = ""


@dataclass(frozen=True)
class BoardBusiness:
    """What a board member has before them in one partnership."""

    partnership: Partnership
    next_meeting: Meeting | None
    pack: BoardPack | None
    actions_outstanding: int


def _waiting(*tasks: Task) -> list[Task]:
    return [task for task in tasks if task.count]


def manager_tasks(user, today: datetime.date) -> list[Task]:
    """Six queries."""
    return _waiting(
        Task(
            "Milestones to verify",
            projects.milestones_awaiting_verification(user).count(),
            reverse("projects:milestones-awaiting-verification"),
        ),
        Task(
            "Payments to approve for release",
            projects.payments_to_approve(user).count(),
            f"{reverse('projects:payment-schedule')}?waiting=approve",
        ),
        Task(
            "Change requests to decide",
            projects.change_requests_awaiting_decision(user).count(),
            reverse("projects:change-requests-awaiting-decision"),
        ),
        Task(
            "Late progress reports to chase",
            len(projects.late_progress_reports(user, today)),
            reverse("projects:late-progress-reports"),
        ),
        Task(
            "Bidding rounds closing soon",
            rounds_closing_soon(user, today).count(),
            f"{reverse('bids:round-list')}?closing=soon",
            f"Within {CLOSING_WITHIN_DAYS} days",
        ),
    )


def finance_tasks(user, scope: Scope, today: datetime.date) -> list[Task]:
    """Two queries, and one more for a council's finance officer (s151 officer)."""
    # A council's finance officer certifies its savings returns before anything else.
    sign_off = [
        Task(
            "Savings returns to sign off",
            returns_to_sign_off(user).count(),
            reverse("savings:awaiting-sign-off"),
        )
    ]
    return _waiting(
        *(sign_off if scope.finance_organisation_ids else []),
        Task(
            "Payments to pay this week",
            projects.payments_to_pay(user, today).count(),
            f"{reverse('projects:payment-schedule')}?waiting=pay",
            "Approved for release and due by Sunday, or overdue",
        ),
        Task(
            "Overdue repayments",
            projects.repayments_to_chase(user, today).count(),
            reverse("projects:repayments-overdue"),
        ),
    )


def officer_tasks(user, today: datetime.date) -> list[Task]:
    """Six queries."""
    return _waiting(
        Task(
            "Milestones returned to you",
            projects.milestones_returned(user).count(),
            reverse("projects:milestones-returned"),
        ),
        Task(
            "Milestones due",
            projects.milestones_due(user, today).count(),
            reverse("projects:milestones-due"),
            f"Overdue, or due within {projects.DUE_WITHIN_DAYS} days",
        ),
        Task(
            "Progress reports due",
            len(projects.progress_reports_due(user, today)),
            reverse("projects:progress-reports-due"),
        ),
        Task(
            "Savings returns due",
            len(returns_due(user, today)),
            reverse("savings:returns-due"),
            "Including any sent back with changes requested",
        ),
    )


def board_business(partnerships: list[Partnership], today: datetime.date) -> list[BoardBusiness]:
    """For each partnership, its next meeting, that meeting's pack if published, and
    its actions outstanding. Three queries however many partnerships."""
    ids = [partnership.pk for partnership in partnerships]
    meetings = next_meetings(ids, today)
    packs = published_packs(meetings.values())
    actions = outstanding_action_counts(ids)
    return [
        BoardBusiness(
            partnership=partnership,
            next_meeting=meetings.get(partnership.pk),
            pack=packs.get(meetings[partnership.pk].pk) if partnership.pk in meetings else None,
            actions_outstanding=actions.get(partnership.pk, 0),
        )
        for partnership in partnerships
    ]


def tasks_for(kind: str, user, scope: Scope, today: datetime.date) -> list[Task]:
    """The work waiting for the holder of a role of ``kind``."""
    if kind == Kind.PROGRAMME_MANAGER:
        return manager_tasks(user, today)
    if kind == Kind.FINANCE:
        return finance_tasks(user, scope, today)
    if kind == Kind.OFFICER:
        return officer_tasks(user, today)
    return []
