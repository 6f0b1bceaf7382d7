""" "Who can see this" is answered twice: by each model's ``visible_to(user)``, which
lists rows, and by its view rule in ``permissions.py``, which judges one row. On the
demo partnerships, for every demo role and every model that has both, the two must
name the same rows, or a list would show what its page refuses (or hide what it
would show)."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

DEMO_USERS = [
    "officer-north-kesteven",
    "officer-nottinghamshire",
    "officer-leicester",
    "officer-lancaster",
    "manager",
    "board",
    "finance",
    "finance-north-kesteven",
    "admin",
]
PORTAL_APPS = {"partnership", "programmes", "bids", "projects", "savings", "reports"}


def scoped_models():
    """Every portal model whose default manager can list rows for a user."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS
        and hasattr(model._default_manager.all(), "visible_to")
    ]


def test_the_check_covers_the_records_people_open():
    names = {model._meta.label for model in scoped_models()}

    assert {
        "bids.Bid",
        "projects.Project",
        "projects.GrantPayment",
        "savings.SavingsReturn",
    } <= names


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_list_shows_exactly_the_rows_the_view_rule_allows(username, settings):
    settings.DEBUG = True  # demo users are made only with DEBUG on
    call_command("load_demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username=username)
    disagreements = []
    for model in scoped_models():
        opts = model._meta
        permission = f"{opts.app_label}.view_{opts.model_name}"
        rows = model._default_manager.all()
        listed = set(rows.visible_to(user).values_list("pk", flat=True))
        allowed = {row.pk for row in rows if user.has_perm(permission, row)}
        if listed != allowed:
            disagreements.append(
                f"{opts.label}: listed but refused {sorted(listed - allowed)[:5]}, "
                f"allowed but not listed {sorted(allowed - listed)[:5]}"
            )

    assert not disagreements, "\n".join(disagreements)
