import datetime
from collections.abc import Callable

from django.db import transaction

from partnership.services import partnership_publish_grants
from savings.services import savings_totals_rebuild

from .em_iep_bids import load_april_2011_round
from .em_iep_board import load_board_meetings
from .em_iep_programmes import load_em_iep_programmes, load_savings_categories
from .organisations import load_organisations, load_partnerships, load_sub_regions
from .team_lancashire import load_team_lancashire
from .users import load_demo_users

# The start of the legacy Improvement and Efficiency Programme 2011/13.
EM_IEP_PUBLISHES_FROM = datetime.date(2011, 4, 1)


@transaction.atomic
def load_demo(*, with_users: bool = True, log: Callable[[str], object] = print) -> None:
    """Load both demo partnerships and, unless told not to, the demo users. All or
    nothing: a fixture that breaks a rule leaves the database as it was."""
    load_savings_categories()
    partnerships = load_partnerships()
    organisations = load_organisations(partnerships)
    sub_regions = load_sub_regions(partnerships, organisations)

    em_iep = partnerships["EM IEP"]
    projects_line = load_em_iep_programmes(em_iep, sub_regions)
    april_2011 = load_board_meetings(em_iep, organisations)
    load_april_2011_round(
        projects_line=projects_line, meeting=april_2011, organisations=organisations
    )
    # EM IEP publishes its legacy programme's grants, from the first decision on them.
    partnership_publish_grants(partnership=em_iep, published_from=EM_IEP_PUBLISHES_FROM, by=None)
    log("Loaded EM IEP: sub-regions, programmes, board meetings and the April 2011 bids.")

    load_team_lancashire(partnerships["Team Lancashire"], sub_regions)
    log("Loaded Team Lancashire: members, themes, clusters and programmes.")

    # The demo writes its savings entries directly, once each; the figures read totals.
    savings_totals_rebuild()

    if with_users:
        load_demo_users(partnerships=partnerships, organisations=organisations, log=log)
    else:
        log("Demo users skipped (--no-users).")
