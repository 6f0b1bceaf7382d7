"""Tables as downloads: CSV streamed row by row, XLSX written in openpyxl's
write-only mode, so a large export uses bounded memory either way. The writers to a
file serve the background downloads (``partnership.downloads``) too.

Every writer here neutralises text that a spreadsheet would read as a formula
(:func:`neutralised`), so a council or project named ``=HYPERLINK(...)`` is shown, never
run, in whatever program opens the file."""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import chain
from typing import BinaryIO

from django.db import connections
from django.db.models import Case, CharField, QuerySet, TextChoices, Value, When
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "£#,##0.00"
# Rows are read from the database this many at a time, and progress is told this often.
CHUNK_SIZE = 2000
PROGRESS_EVERY = 5000
# A sheet holds 1,048,576 rows in Excel, one of them the header.
XLSX_MAX_ROWS = 1_048_575


def choice_label(field: str, choices: type[TextChoices]) -> Case:
    """The label of a choice field's value, computed by the database, for a
    ``values_list`` export."""
    return Case(
        *(When(**{field: value}, then=Value(label)) for value, label in choices.choices),
        default=Value(""),
        output_field=CharField(),
    )


class _Echo:
    """A file-like object whose write returns the line, for the csv writer."""

    def write(self, value: str) -> str:
        return value


# What a spreadsheet program takes as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The text types PostgreSQL's COPY may write, by type OID: text, varchar, bpchar, name.
TEXT_TYPES = {25, 1043, 1042, 19}


def neutralised(value):
    """Text starting as a formula would, prefixed with a single quote so that it reads
    as text; numbers, dates and other text unchanged (a negative amount stays a
    number)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return neutralised(value)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]):
    """Stream ``rows`` (any iterable, e.g. ``queryset.iterator()``) as a CSV file."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_csv_value(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Export"
):
    """Write ``rows`` to an XLSX file on disk row by row, then send it: memory stays
    bounded however many rows there are."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(spool, header, rows, title=title)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def write_xlsx(
    out: BinaryIO,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str,
    progress: Callable[[int], None] | None = None,
) -> None:
    """One sheet in openpyxl's write-only mode: a bold header row that stays in view
    and filters the columns, real dates and £ amounts, and columns wide enough for the
    header and the first row. ``progress`` is told the rows written, now and then."""
    rows = iter(rows)
    first = next(rows, None)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    # Write-only sheets take their layout before the first row.
    sheet.freeze_panes = "A2"
    for index, text in enumerate(header):
        sheet.column_dimensions[get_column_letter(index + 1)].width = _width(
            text, first[index] if first else None
        )
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    written = 0
    for row in chain([first], rows) if first is not None else ():
        sheet.append([_xlsx_value(sheet, value) for value in row])
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{written + 1}"
    workbook.save(out)
    if progress:
        progress(written)


def _width(heading: str, example) -> float:
    if isinstance(example, datetime.date):
        return 12
    if isinstance(example, Decimal):
        return max(len(heading), 14) + 2
    return min(max(len(heading), len(str(example or ""))) + 2, 50)


def _xlsx_value(sheet, value):
    """Amounts and dates as cells formatted as £ and dd/mm/yyyy; the rest as plain
    values, which write a national table about a third faster than a cell each."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT if isinstance(value, Decimal) else "dd/mm/yyyy"
        return cell
    return neutralised(value)


def write_csv(
    out: BinaryIO, header: Sequence[str], rows: QuerySet, *, progress: Callable[[int], None]
) -> None:
    """The rows of a ``values_list`` queryset as a UTF-8 CSV file. On PostgreSQL the
    database writes them itself with ``COPY``, many times faster than building rows in
    Python; elsewhere they are read in chunks. Both give the same table."""
    out.write("\ufeff".encode())  # so spreadsheet programs read the file as UTF-8
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    # COPY ends lines with \n; the Python writer does the same, so both files match.
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    if connections[rows.db].vendor == "postgresql":
        _copy(rows, out, progress)
    else:
        written = 0
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            writer.writerow([_csv_value(value) for value in row])
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(written)
        progress(written)
    text.detach()


def _copy(rows: QuerySet, out: BinaryIO, progress: Callable[[int], None]) -> None:
    # Progress is told once COPY is done: its connection is busy until then, and
    # COPY writes a national table in seconds.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
        # The database neutralises the text columns as neutralised() does in Python;
        # an empty read of the query tells which columns are text.
        cursor.execute(f"SELECT * FROM ({query}) AS export LIMIT 0")
        names = [f"c{index}" for index in range(len(cursor.description))]
        columns = ", ".join(
            _neutralised_sql(name) if column.type_code in TEXT_TYPES else name
            for name, column in zip(names, cursor.description, strict=True)
        )
        cursor.copy_expert(
            f"COPY (SELECT {columns} FROM ({query}) AS export({', '.join(names)})) "
            "TO STDOUT WITH (FORMAT csv)",
            out,
        )
        copied = cursor.rowcount
    progress(copied)


def _neutralised_sql(column: str) -> str:
    starts = ", ".join(f"chr({ord(start)})" for start in FORMULA_STARTS)
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN chr(39) || {column} ELSE {column} END"
