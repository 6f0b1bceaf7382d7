"""The service navigation: which pages each reader's menu offers. An entry is shown
exactly when the reader passes the named rule its page asks, so the menu never links
to a page that would refuse them. URLs and rules are named, so this root app links to
the apps above it without importing them."""

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.urls import reverse

# (label, URL name, the rule its page asks)
MENU = [
    ("Dashboard", "reports:dashboard", "reports.read_dashboard"),
    ("Meetings", "partnership:meetings", "partnership.list_meetings"),
    ("Bidding rounds", "bids:round-list", "bids.list_rounds"),
    ("My projects", "projects:my-projects", "projects.list_own_projects"),
    ("Projects", "projects:project-list", "projects.list_projects"),
    ("Payment schedule", "projects:payment-schedule", "projects.read_payment_schedule"),
    ("Our savings", "savings:our-savings", "savings.read_own_savings"),
    ("Savings", "savings:summary", "savings.read_summary"),
    ("Returns to sign off", "savings:awaiting-sign-off", "savings.list_returns_to_sign_off"),
]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    is_current: bool
    # How many unread: called only by a page that draws the menu.
    unread: Callable[[], int] | None = None


def menu_for(user, path: str, *, unread_notifications: Callable[[], int]) -> list[MenuItem]:
    home = reverse("home")
    # The rule itself, not ``has_perm``: Django's own backend would read the user's
    # permission tables to refuse each entry. Every signed-in reader has notifications
    # and their account (where their API tokens are).
    offered = (
        [("Home", home)]
        + [(label, reverse(name)) for label, name, rule in MENU if rules.has_perm(rule, user)]
        + [("Notifications", reverse("notifications:list")), ("Account", reverse("account"))]
    )
    # One entry is current: the longest whose address starts the path ("My projects"
    # on /projects/mine/, not "Projects" as well); Home only on the home page.
    current = max(
        (url for _, url in offered if path.startswith(url) and (url != home or path == home)),
        key=len,
        default=None,
    )
    return [
        MenuItem(
            label,
            url,
            url == current,
            unread_notifications if label == "Notifications" else None,
        )
        for label, url in offered
    ]
