import pytest

from partnership.models import Role
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    SavingsCategoryFactory,
    user_with_role,
)


@pytest.fixture
def em_iep():
    partnership = PartnershipFactory(
        name="East Midlands Improvement and Efficiency Partnership",
        short_name="EM IEP",
        slug="em-iep",
    )
    north_kesteven = OrganisationFactory(
        name="North Kesteven District Council",
        short_name="North Kesteven DC",
        gss_code="E07000139",
        partnership=partnership,
    )
    boston = OrganisationFactory(name="Boston Borough Council", partnership=partnership)
    SavingsCategoryFactory(name="Procurement", slug="procurement")
    SavingsCategoryFactory(name="Shared services", slug="shared-services")
    return {
        "partnership": partnership,
        "council": north_kesteven,
        "boston": boston,
        "officer": user_with_role(Role.Kind.OFFICER, organisation=north_kesteven),
        "finance": user_with_role(Role.Kind.FINANCE, organisation=north_kesteven),
        "boston_officer": user_with_role(Role.Kind.OFFICER, organisation=boston),
        "boston_finance": user_with_role(Role.Kind.FINANCE, organisation=boston),
        "manager": user_with_role(Role.Kind.PROGRAMME_MANAGER, partnership=partnership),
        "board": user_with_role(Role.Kind.BOARD_MEMBER, partnership=partnership),
    }
