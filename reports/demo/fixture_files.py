"""Reading the demo CSVs in ``fixtures/``: rows as dictionaries, money as Decimal."""

import csv
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from programmes.models import PENNY

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def rows(name: str) -> list[dict[str, str]]:
    """The rows of ``fixtures/<name>``, each keyed by the header row."""
    with (FIXTURES / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def money(text: str) -> Decimal | None:
    """``"3890000"`` -> ``Decimal("3890000.00")``; an empty cell -> None."""
    text = text.strip()
    return Decimal(text).quantize(PENNY) if text else None


def yes_no(text: str) -> bool | None:
    """The seeds' yes / no / not specified, as True / False / None."""
    return {"yes": True, "no": False}.get(text.strip().lower())
