import csv
import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from partnership.exports import csv_response, xlsx_response

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
