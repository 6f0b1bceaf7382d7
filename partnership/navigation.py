"""The service navigation: which pages each role's menu offers. URLs are reversed by
name, so this root app links to the apps above it without importing them."""

from dataclasses import dataclass

from django.urls import reverse

from .scopes import Kind, Scope

OFFICER, MANAGER, BOARD, FINANCE = (
    Kind.OFFICER,
    Kind.PROGRAMME_MANAGER,
    Kind.BOARD_MEMBER,
    Kind.FINANCE,
)

# (label, URL name, who sees it: role kinds; administrators see every entry)
MENU = [
    ("Dashboard", "reports:dashboard", {MANAGER, BOARD}),
    ("Bidding rounds", "bids:round-list", {OFFICER, MANAGER, BOARD}),
    ("My projects", "projects:my-projects", {OFFICER}),
    ("Projects", "projects:project-list", {MANAGER, BOARD, FINANCE}),
    ("Payment schedule", "projects:payment-schedule", {MANAGER, FINANCE}),
    ("Our savings", "savings:our-savings", {OFFICER}),
    ("Savings", "savings:summary", {MANAGER, BOARD}),
]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    is_current: bool


def menu_for(scope: Scope, path: str) -> list[MenuItem]:
    home = reverse("home")
    items = [MenuItem("Home", home, path == home)]
    for label, name, kinds in MENU:
        if scope.is_administrator or scope.has_kind(*kinds):
            url = reverse(name)
            items.append(MenuItem(label, url, path.startswith(url)))
    if scope.organisation_ids(FINANCE):
        url = reverse("savings:awaiting-sign-off")
        items.append(MenuItem("Returns to sign off", url, path.startswith(url)))
    return items
