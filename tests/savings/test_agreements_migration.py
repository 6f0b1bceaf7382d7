"""Targets set before agreements existed move into a "partnership programme" agreement
of their council's partnership, and the figures read them as before."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
AFTER = [("savings", "0009_target_agreement_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_each_partnerships_targets_become_one_programme_agreement_over_their_years():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    # The other apps stay as they are now: only the savings app goes back.
    others = [node for node in latest if node[0] != "savings"]
    old = _migrate([("savings", "0006_forecast_return_not_rated"), *others])
    Partnership = old.get_model("partnership", "Partnership")
    Organisation = old.get_model("partnership", "Organisation")
    Target = old.get_model("savings", "SavingsTarget")
    em_iep = Partnership.objects.create(name="EM IEP", short_name="EM IEP", slug="em-iep")
    lancashire = Partnership.objects.create(
        name="Team Lancashire", short_name="Team Lancashire", slug="team-lancashire"
    )
    lincoln, boston, preston = (
        Organisation.objects.create(name=name, kind="district")
        for name in ("City of Lincoln Council", "Boston Borough Council", "Preston City Council")
    )
    em_iep.members.add(lincoln, boston)
    lancashire.members.add(preston)
    for organisation, year in ((lincoln, 2008), (lincoln, 2010), (boston, 2009), (preston, 2011)):
        Target.objects.create(
            organisation=organisation, financial_year=year, basis="amount", amount=Decimal("1000")
        )

    new = _migrate([*AFTER, *others])
    Agreement = new.get_model("savings", "Agreement")
    Target = new.get_model("savings", "SavingsTarget")

    agreements = {
        agreement.partnership.slug: agreement
        for agreement in Agreement.objects.select_related("partnership")
    }
    assert set(agreements) == {"em-iep", "team-lancashire"}
    east_midlands = agreements["em-iep"]
    assert (east_midlands.kind, east_midlands.name) == (
        "programme",
        "Partnership programme targets",
    )
    assert (east_midlands.first_year, east_midlands.last_year) == (2008, 2010)
    assert {member.name for member in east_midlands.members.all()} == {
        "City of Lincoln Council",
        "Boston Borough Council",
    }
    assert Target.objects.filter(agreement=east_midlands).count() == 3
    assert Target.objects.get(organisation__name="Preston City Council").agreement.name == (
        "Partnership programme targets"
    )
    _migrate(latest)
