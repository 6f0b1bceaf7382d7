"""Tables as downloads: CSV streamed row by row, XLSX written in openpyxl's
write-only mode, so a large export uses bounded memory either way."""

import csv
import datetime
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "£#,##0.00"


class _Echo:
    """A file-like object whose write returns the line, for the csv writer."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


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
    """Write ``rows`` to an XLSX file on disk row by row (openpyxl write-only mode),
    then send it: memory stays bounded however many rows there are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    heading = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        sheet.append(cells)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _xlsx_value(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value
