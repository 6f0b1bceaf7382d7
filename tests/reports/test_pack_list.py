"""A meeting's board packs page: a programme manager who asks for no pack in particular
is told so in the GOV.UK error summary, whose link puts the cursor on the first
choice."""

import html
import re

import pytest
from django.urls import reverse

from partnership.models import Role
from reports.models import BoardPack
from tests.factories import MeetingFactory, user_with_role

pytestmark = pytest.mark.django_db


def error_summary(page: str) -> list[tuple[str, str]]:
    """The GOV.UK error summary's items: (link, message)."""
    if "govuk-error-summary__list" not in page:
        return []
    summary = page[page.index("govuk-error-summary__list") :]
    summary = summary[: summary.index("</ul>")]
    return [
        (href, html.unescape(message))
        for href, message in re.findall(r'<a href="([^"]*)">([^<]*)</a>', summary)
    ]


@pytest.fixture
def packs_page(client):
    meeting = MeetingFactory()
    client.force_login(user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=meeting.partnership))
    return reverse("reports:pack-list", kwargs={"meeting_pk": meeting.pk})


def test_asking_for_no_pack_links_the_problem_to_the_first_choice(client, packs_page):
    page = client.post(packs_page, {}).content.decode()

    assert "<title>Error: Board packs" in page
    assert "There is a problem" in page
    assert error_summary(page) == [("#id_kind_1", "Choose which pack to produce.")]
    first = re.search(r'<input class="govuk-radios__input" id="id_kind_1"[^>]*>', page)
    assert first and f'value="{BoardPack.Kind.values[0]}"' in first[0]
    assert '<label class="govuk-label govuk-radios__label" for="id_kind_1">' in page
    assert not BoardPack.objects.exists()


def test_the_page_shows_no_error_summary_before_a_pack_is_asked_for(client, packs_page):
    page = client.get(packs_page).content.decode()

    assert "govuk-error-summary" not in page
    assert "<title>Board packs" in page
    assert 'id="id_kind_1"' in page
