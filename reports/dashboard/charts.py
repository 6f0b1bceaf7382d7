"""Bar charts drawn on the server: rows of figures laid out as SVG bars, with the
same rows as a table, a CSV download and a description in words. No query."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from partnership.templatetags.portal import gbp_short

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")

# GOV.UK Frontend's colour palette. Series drawn side by side take hues apart that
# readers with the common colour-vision deficiencies still tell apart (blue against
# orange, dark grey), and each bar's figure names its series besides.
BLUE = "#1d70b8"
LIGHT_BLUE = "#5694ca"
DARK_GREY = "#505a5f"
GREEN = "#00703c"
ORANGE = "#f47738"
AMBER = ORANGE  # the palette's orange stands for amber in RAG statuses
RED = "#d4351c"


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = "text"  # text, money or count: how a cell is shown and summed


@dataclass(frozen=True)
class Row:
    label: str
    url: str | None  # the list of the row's rows; None where the portal has none
    values: list  # one per column after the first
    colour: str | None = None  # the bar's colour, where it means something (RAG)


@dataclass(frozen=True)
class Series:
    column: int  # index into a row's values
    name: str
    colour: str
    # Writes the figure after a bar from its row's values; the bar's own value when None.
    text: Callable[[list], str] | None = None


@dataclass(frozen=True)
class Bar:
    y: int
    width: float  # per cent of the drawing's width
    colour: str
    text: str

    @property
    def height(self) -> int:
        return BAR_HEIGHT

    @property
    def text_x(self) -> float:
        return round(self.width + 1, 2)

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5


@dataclass(frozen=True)
class DrawnRow:
    label: str
    y: int
    bars: list[Bar]


# Pixels, and the per cent of the width kept clear for the figure after the longest bar.
LABEL_HEIGHT = 22
BAR_HEIGHT = 20
BAR_GAP = 4
ROW_GAP = 14
TEXT_ROOM = 22


def counted(number: int, noun: str) -> str:
    """``1 bid``, ``17 bids``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _show(value, kind: str) -> str:
    return gbp_short(value) if kind == "money" else f"{value:,}"


@dataclass(frozen=True)
class Chart:
    """A bar chart and the table behind it: the drawing, its description, the table
    and the CSV download are all drawn from the same rows."""

    slug: str
    title: str
    note: str  # what the figures count, printed under the title
    columns: list[Column]
    rows: list[Row]
    series: list[Series]

    @property
    def is_empty(self) -> bool:
        return not any(row.values[series.column] for row in self.rows for series in self.series)

    @property
    def total(self) -> list | None:
        if not self.rows:
            return None
        return ["Total"] + [
            sum((row.values[index] for row in self.rows), ZERO if column.kind == "money" else 0)
            for index, column in enumerate(self.columns[1:])
        ]

    @property
    def body(self) -> list[tuple[Row, list[tuple]]]:
        """Each row with its cells paired with their columns, for the table."""
        return [(row, list(zip(row.values, self.columns[1:], strict=True))) for row in self.rows]

    @property
    def footer(self) -> list[tuple] | None:
        total = self.total
        return list(zip(total[1:], self.columns[1:], strict=True)) if total else None

    @property
    def header(self) -> list[str]:
        return [column.heading for column in self.columns]

    def csv_rows(self) -> list[list]:
        """The table's rows and its total, money to the penny."""
        rows = [[row.label, *row.values] for row in self.rows]
        return [
            [value.quantize(PENNY) if isinstance(value, Decimal) else value for value in row]
            for row in rows + ([self.total] if self.total else [])
        ]

    @property
    def description(self) -> str:
        """The figures in words, for readers who cannot see the drawing."""
        described = [
            f"{row.label}: "
            + ", ".join(
                f"{column.heading.lower()} {_show(value, column.kind)}"
                for value, column in zip(row.values, self.columns[1:], strict=True)
            )
            for row in self.rows
        ]
        return "; ".join(described) + "."

    # The drawing: one row of bars per table row, under the row's label, every bar on
    # the same scale so that lengths compare across the chart.

    @property
    def legend(self) -> list[Series]:
        """The series to name beside the drawing: every one, when there are two or more."""
        return self.series if len(self.series) > 1 else []

    @property
    def _row_height(self) -> int:
        return LABEL_HEIGHT + len(self.series) * (BAR_HEIGHT + BAR_GAP) + ROW_GAP

    @property
    def height(self) -> int:
        return self._row_height * len(self.rows)

    def _bar_text(self, row: Row, series: Series) -> str:
        if series.text is not None:
            return series.text(row.values)
        return _show(row.values[series.column], self.columns[series.column + 1].kind)

    @property
    def drawn_rows(self) -> list[DrawnRow]:
        largest = max(
            (row.values[series.column] for row in self.rows for series in self.series),
            default=0,
        )
        scale = (100 - TEXT_ROOM) / float(largest or 1)
        drawn = []
        for index, row in enumerate(self.rows):
            y = index * self._row_height
            bars = [
                Bar(
                    y=y + LABEL_HEIGHT + number * (BAR_HEIGHT + BAR_GAP),
                    width=round(max(float(row.values[series.column]), 0) * scale, 2),
                    colour=row.colour or series.colour,
                    text=self._bar_text(row, series),
                )
                for number, series in enumerate(self.series)
            ]
            drawn.append(DrawnRow(label=row.label, y=y + LABEL_HEIGHT - 6, bars=bars))
        return drawn
