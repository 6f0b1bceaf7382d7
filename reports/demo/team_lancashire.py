"""Team Lancashire: its six themes, its 2008/11 programme funded at about £1.1M a year
and the county's CSR07 efficiency target of £36M a year (Lancaster cabinet report, 3
June 2008), and the Mid Lancashire cluster's £100,000 award (Lancaster cabinet report,
1 September 2009)."""

import datetime

from partnership.financial_years import label
from partnership.models import Partnership, SubRegion, Theme
from programmes.models import BudgetLine, FundingSource, LedgerEntry
from savings.models import Agreement, SavingsTarget
from savings.services import agreement_save, savings_target_set

from .fixture_files import money, rows
from .funding import demo_funding_source, demo_programme, record_once

Kind = LedgerEntry.Kind
FIRST_YEAR, LAST_YEAR = 2008, 2010
# The cluster report is dated 1 September 2009 and says the award "has been" made; the
# cluster's programme is taken to run to the end of the partnership's funding.
AWARD_REPORTED_ON = datetime.date(2009, 9, 1)


def load_team_lancashire(partnership: Partnership, sub_regions: dict[str, SubRegion]) -> None:
    themes = [
        Theme.objects.get_or_create(
            partnership=partnership,
            name=row["theme"],
            defaults={"position": int(row["theme_no"])},
        )[0]
        for row in rows("team_lancashire/lancs_team_lancashire_themes.csv")
    ]
    figures = {
        (row["source_file"], row["section"]): row
        for row in rows("team_lancashire/lancs_funding_and_targets.csv")
    }
    _partnership_programme(partnership, themes, figures)
    _csr07_target(partnership)
    _mid_lancashire_programme(partnership, sub_regions["Mid Lancashire"], figures)


def _partnership_programme(partnership: Partnership, themes: list[Theme], figures) -> None:
    yearly = figures[("000_7723ce49bf569c0b.txt", "4.2")]
    per_year = money(yearly["value"])
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    programme = demo_programme(
        partnership,
        "Team Lancashire Improvement and Efficiency Programme 2008/11",
        slug="improvement-and-efficiency-2008-11",
        starts_on=datetime.date(FIRST_YEAR, 4, 1),
        ends_on=datetime.date(LAST_YEAR + 1, 3, 31),
        description=(
            "The programme of the Lancashire Improvement and Efficiency Strategy, funded "
            "by central government for three years."
        ),
    )
    programme.themes.add(*themes)
    source = demo_funding_source(
        programme,
        "Central government resources 2008/11",
        kind=FundingSource.Kind.GOVERNMENT_GRANT,
        expected_amount=per_year * len(years),
        note=f"Cabinet report of 3 June 2008, s4.2: {yearly['value_as_written']}.",
    )
    for year in years:
        record_once(
            programme=programme,
            kind=Kind.FUNDING,
            amount=per_year,
            occurred_on=datetime.date(year, 4, 1),
            funding_source=source,
            memo=f"Central government resources {label(year)}",
        )


def _csr07_target(partnership: Partnership) -> None:
    """The CSR07 efficiency target across the county, all cashable, for all its councils
    together: an area-wide target of the national 3% (s1.2 and s4.1)."""
    yearly = next(
        row
        for row in rows("team_lancashire/lancs_funding_and_targets.csv")
        if row["section"] == "4.1" and row["period"] == "per annum"
    )
    name = "CSR07 efficiency target across Lancashire"
    if Agreement.objects.filter(partnership=partnership, name=name).exists():
        return  # loaded already: setting the targets again would add to their history
    agreement = agreement_save(
        partnership=partnership,
        kind=Agreement.Kind.NATIONAL_INDICATOR,
        name=name,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        members=partnership.members.all(),
        by=None,
    )
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        savings_target_set(
            agreement=agreement,
            financial_year=year,
            basis=SavingsTarget.Basis.AMOUNT,
            amount=money(yearly["value"]),
            cashable_only=True,
            by=None,
        )


def _mid_lancashire_programme(partnership: Partnership, cluster: SubRegion, figures) -> None:
    award = figures[("002_2483ea957d881e3c.txt", "2.4")]
    initial = figures[("002_2483ea957d881e3c.txt", "2.7")]
    programme = demo_programme(
        partnership,
        "Mid Lancashire Cluster Programme 2009/11",
        slug="mid-lancashire-cluster-2009-11",
        starts_on=datetime.date(2009, 4, 1),
        ends_on=datetime.date(2011, 3, 31),
        sub_region=cluster,
        description=award["item"],
    )
    source = demo_funding_source(
        programme,
        "Award to the Mid Lancashire cluster",
        kind=FundingSource.Kind.OTHER,
        expected_amount=money(award["value"]),
        note=f"Cabinet report of 1 September 2009, s2.4: {award['value_as_written']}.",
    )
    record_once(
        programme=programme,
        kind=Kind.FUNDING,
        amount=money(award["value"]),
        occurred_on=AWARD_REPORTED_ON,
        funding_source=source,
        memo="Mid Lancashire cluster award",
    )
    line, _ = BudgetLine.objects.get_or_create(
        programme=programme,
        name="Shared Revenues and Benefits research (Lancaster and Preston)",
        defaults={"position": 1, "description": initial["item"]},
    )
    record_once(
        programme=programme,
        kind=Kind.ALLOCATION,
        amount=money(initial["value"]),
        occurred_on=AWARD_REPORTED_ON,
        budget_line=line,
        memo="Initial allocation to Lancaster and Preston",
    )
