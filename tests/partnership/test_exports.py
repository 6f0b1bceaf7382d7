import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import DecimalField, Value
from openpyxl import load_workbook

from partnership.exports import csv_response, write_csv, xlsx_response
from partnership.models import Organisation
from tests.factories import OrganisationFactory

HEADER = ["Project", "Grant", "Due", "Partnership project"]
ROWS = [
    ["Shared ICT", Decimal("100000.00"), datetime.date(2011, 9, 30), True],
    ["Fleet Management", Decimal("50000.00"), None, False],
]


def test_a_csv_export_streams_every_row_as_written():
    response = csv_response("bids.csv", HEADER, iter(ROWS))
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="bids.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        HEADER,
        ["Shared ICT", "100000.00", "2011-09-30", "yes"],
        ["Fleet Management", "50000.00", "", "no"],
    ]


def test_an_xlsx_export_keeps_money_as_numbers_with_a_pound_format():
    response = xlsx_response("bids.xlsx", HEADER, iter(ROWS), title="Bids")
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Bids"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["B2"].value == 100000
    assert sheet["B2"].number_format == "£#,##0.00"
    assert sheet["D3"].value == "no"


FORMULAS = [["=1+2", Decimal("-1500.00"), "-Fleet", "@risk", "\tTab", "\rReturn", "Plain - text"]]


def test_a_csv_export_shows_formulas_as_text_and_keeps_negative_amounts_as_numbers():
    response = csv_response("hostile.csv", ["a", "b", "c", "d", "e", "f", "g"], FORMULAS)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "'=1+2",
        "-1500.00",
        "'-Fleet",
        "'@risk",
        "'\tTab",
        "'\rReturn",
        "Plain - text",
    ]


def test_an_xlsx_export_shows_formulas_as_text_and_keeps_negative_amounts_as_numbers():
    response = xlsx_response("hostile.xlsx", ["a", "b", "c", "d", "e", "f", "g"], FORMULAS)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    row = list(sheet[2])
    assert [cell.value for cell in row] == [
        "'=1+2",
        -1500,
        "'-Fleet",
        "'@risk",
        "'\tTab",
        "'\nReturn",  # XML stores a carriage return as a new line
        "Plain - text",
    ]
    assert row[0].data_type == "s"
    assert row[1].data_type == "n"


@pytest.mark.django_db
def test_a_csv_written_from_the_database_neutralises_text_but_not_negative_numbers():
    OrganisationFactory(name="=cmd|' /C calc'!A0")
    rows = Organisation.objects.annotate(
        owed=Value(Decimal("-250"), output_field=DecimalField(max_digits=12, decimal_places=2))
    ).values_list("name", "owed")
    out = io.BytesIO()
    write_csv(out, ["Name", "Owed"], rows, progress=lambda written: None)
    text = out.getvalue().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == ["'=cmd|' /C calc'!A0", "-250"]
