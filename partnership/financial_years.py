"""The UK public-sector financial year: 1 April to 31 March, written ``2010/11``.

A financial year is stored as the calendar year it starts in (2010 for 2010/11), so it
sorts and filters as a plain integer. Quarter 1 is April to June.
"""

import datetime

from django.core.exceptions import ValidationError

FIRST_YEAR = 2000
LAST_YEAR = 2100


def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: datetime.date) -> int:
    return ((day.month - 4) % 12) // 3 + 1


def label(year: int | None) -> str:
    if year is None:
        return ""
    return f"{year}/{(year + 1) % 100:02d}"


def parse(text: str) -> int:
    """Read ``2010/11`` (or ``2010-11``, ``2010``) back into its starting year."""
    cleaned = text.strip().replace("-", "/")
    start, _, end = cleaned.partition("/")
    try:
        year = int(start)
    except ValueError:
        raise ValidationError(f"“{text}” is not a financial year like 2010/11") from None
    if end and (len(end) != 2 or end != f"{(year + 1) % 100:02d}"):
        raise ValidationError(f"“{text}” is not a financial year like 2010/11")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"{text} is outside the years the portal handles")
    return year


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter of a financial year."""
    start_month = 3 * (quarter - 1) + 4
    start_year = year if start_month <= 12 else year + 1
    start_month = (start_month - 1) % 12 + 1
    start = datetime.date(start_year, start_month, 1)
    end_month = start_month + 3
    end_year = start_year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    return start, datetime.date(end_year, end_month, 1) - datetime.timedelta(days=1)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a financial year: 1 April to 31 March."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def choices(first: int = 2007, last: int = 2030) -> list[tuple[int, str]]:
    return [(year, label(year)) for year in range(first, last + 1)]


QUARTER_CHOICES = [
    (1, "Q1 (Apr-Jun)"),
    (2, "Q2 (Jul-Sep)"),
    (3, "Q3 (Oct-Dec)"),
    (4, "Q4 (Jan-Mar)"),
]
