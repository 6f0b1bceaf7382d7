"""EM IEP's money: the five SRP programmes and the regional programmes of 2008/11,
with the savings the SRPs reported, and the legacy programme of 2011/13 with its
funding sources and seven budget lines (board pack of 12 April 2011, items 6, 7, 10).
"""

import datetime

from partnership.models import Partnership, SubRegion, Theme
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme
from savings.models import SavingsCategory, SavingsEntry

from .fixture_files import money, rows
from .funding import demo_funding_source, demo_programme, record_once

Kind = LedgerEntry.Kind
SourceKind = FundingSource.Kind

STARTS_2008 = datetime.date(2008, 4, 1)
ENDS_2011 = datetime.date(2011, 3, 31)
STARTS_2011 = datetime.date(2011, 4, 1)
ENDS_2013 = datetime.date(2013, 3, 31)
# The board approved the legacy allocations at its meeting of 12 April 2011 (item 10).
ALLOCATED_ON = datetime.date(2011, 4, 12)
# The SRP savings table reports the position at the end of 2010/11.
SAVINGS_YEAR = 2010

# The sources of item 10 para 3.1 by name: their kind and whether they are ring-fenced.
# The board ring-fenced the fund built from the two underspends on 26 November 2010
# (minutes item 6, decision 2); the invest-to-save income is only anticipated.
LEGACY_SOURCES = {
    "SRP programmes 2008/11 (drawn back)": (SourceKind.CLAWED_BACK, True),
    "Regional programmes 2008/11 (under spends)": (SourceKind.UNDERSPEND, True),
    "Invest to save repayments (EMPA/MHA)": (SourceKind.INVEST_TO_SAVE, False),
}


def load_em_iep_programmes(
    partnership: Partnership, sub_regions: dict[str, SubRegion]
) -> BudgetLine:
    """Load EM IEP's programmes; returns the legacy programme's Projects line, which
    the April 2011 bidding round draws on."""
    themes = load_themes(partnership)
    load_srp_programmes(partnership, sub_regions)
    load_regional_programmes(partnership, themes)
    return load_legacy_programme(partnership, themes)


def load_themes(partnership: Partnership) -> list[Theme]:
    return [
        Theme.objects.get_or_create(
            partnership=partnership,
            name=row["theme"],
            defaults={"position": int(row["position"])},
        )[0]
        for row in rows("em_iep/themes.csv")
    ]


def load_savings_categories() -> None:
    """The categories councils return savings under (DOMAIN.md's list)."""
    for row in rows("savings_categories.csv"):
        SavingsCategory.objects.get_or_create(slug=row["slug"], defaults={"name": row["name"]})


def load_srp_programmes(partnership: Partnership, sub_regions: dict[str, SubRegion]) -> None:
    """One programme per SRP, funded with its 2008/11 grant allocation, and the savings
    it reported: delivered so far, and the rest of its total potential as forecast."""
    category = SavingsCategory.objects.get(slug="sub-regional-programme")
    for row in rows("em_iep/em_srp_savings_2011.csv"):
        sub_region = sub_regions[row["srp"]]
        allocation = money(row["grant_allocation_gbp"])
        programme = demo_programme(
            partnership,
            f"{row['srp']} SRP Programme 2008/11",
            slug=f"{sub_region.slug}-srp-2008-11",
            starts_on=STARTS_2008,
            ends_on=ENDS_2011,
            sub_region=sub_region,
            description=(
                f"The {row['srp']} Sub Regional Partnership's programme, funded by its EM IEP "
                "grant allocation for 2008/11. On 26 November 2010 the board extended "
                "delivery by six months to absorb slippage."
            ),
        )
        source = demo_funding_source(
            programme,
            "EM IEP grant allocation 2008/11",
            kind=SourceKind.GOVERNMENT_GRANT,
            expected_amount=allocation,
        )
        record_once(
            programme=programme,
            kind=Kind.FUNDING,
            amount=allocation,
            occurred_on=STARTS_2008,
            funding_source=source,
            memo=f"{row['srp']} SRP grant allocation 2008/11",
        )
        for status, amount, description in (
            (
                SavingsEntry.Status.DELIVERED,
                money(row["delivered_savings_gbp"]),
                "Delivered savings reported to the board on 12 April 2011 (item 6)",
            ),
            (
                SavingsEntry.Status.FORECAST,
                money(row["further_anticipated_gbp_computed"]),
                "Total potential savings less those delivered (item 6)",
            ),
        ):
            SavingsEntry.objects.get_or_create(
                programme=programme,
                organisation=sub_region.accountable_body,
                category=category,
                financial_year=SAVINGS_YEAR,
                status=status,
                defaults={"amount": amount, "description": description},
            )


def load_regional_programmes(partnership: Partnership, themes: list[Theme]) -> Programme:
    (row,) = rows("em_iep/em_regional_programme_summary_2011.csv")
    allocation = money(row["allocation_gbp"])
    programme = demo_programme(
        partnership,
        row["programme"],
        slug="regional-programmes-2008-11",
        starts_on=STARTS_2008,
        ends_on=ENDS_2011,
        description=(
            "The regional programmes of 2008/11: efficiency, children and young people, "
            "adult social care, community and neighbourhood development, economic growth "
            "and climate change."
        ),
    )
    programme.themes.add(*themes)
    source = demo_funding_source(
        programme,
        "EM IEP regional allocation 2008/11",
        kind=SourceKind.GOVERNMENT_GRANT,
        expected_amount=allocation,
    )
    record_once(
        programme=programme,
        kind=Kind.FUNDING,
        amount=allocation,
        occurred_on=STARTS_2008,
        funding_source=source,
        memo="Regional programmes allocation 2008/11",
    )
    return programme


def load_legacy_programme(partnership: Partnership, themes: list[Theme]) -> BudgetLine:
    programme = demo_programme(
        partnership,
        "Improvement and Efficiency Programme 2011/13",
        slug="improvement-and-efficiency-2011-13",
        starts_on=STARTS_2011,
        ends_on=ENDS_2013,
        description=(
            "The legacy programme hosted by East Midlands Councils, funded from what the "
            "2008/11 programmes drew back and under spent."
        ),
    )
    programme.themes.add(*themes)
    _load_legacy_sources(programme)
    return _load_legacy_budget_lines(programme)


def _load_legacy_sources(programme: Programme) -> None:
    for row in rows("em_iep/em_legacy_budget_sources_2011_13.csv"):
        kind, ring_fenced = LEGACY_SOURCES[row["source"]]
        amount = money(row["amount_gbp"])
        source = demo_funding_source(
            programme,
            row["source"],
            kind=kind,
            expected_amount=amount,
            ring_fenced=ring_fenced,
            note=f"{row['as_written']}. {row['note']}",
        )
        # Anticipated income is only expected; it reaches the ledger when it arrives.
        if row["status"] == "received":
            record_once(
                programme=programme,
                kind=Kind.FUNDING,
                amount=amount,
                occurred_on=STARTS_2011,
                funding_source=source,
                memo=f"Received: {row['as_written']}",
            )


def _load_legacy_budget_lines(programme: Programme) -> BudgetLine:
    lines = {}
    for row in rows("em_iep/em_legacy_budget_lines_2011_13.csv"):
        name = row["budget_line"].rstrip(".")
        description = row["description_as_written"]
        if row["sub_lines"]:
            description = f"{description} Covers: {row['sub_lines']}.".strip()
        line, _ = BudgetLine.objects.get_or_create(
            programme=programme,
            name=name,
            defaults={"position": int(row["line_no"]), "description": description},
        )
        record_once(
            programme=programme,
            kind=Kind.ALLOCATION,
            amount=money(row["amount_gbp"]),
            occurred_on=ALLOCATED_ON,
            budget_line=line,
            memo=f"Allocation to {name} (board, 12 April 2011, item 10)",
        )
        lines[name] = line
    return lines["Projects"]
