"""The published savings-return template, and reading a council's filled-in copy.

A file is read whole and every problem is reported with its row and column; nothing
is saved from a file with any problem (the caller saves only a clean result).
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from partnership import financial_years, uploads
from partnership.models import Organisation
from projects.models import Project

from .models import SavingsCategory

COLUMNS = [
    "organisation",
    "financial_year",
    "quarter",
    "project_reference",
    "category",
    "cashable",
    "status",
    "amount",
    "description",
]
REQUIRED = {"organisation", "financial_year", "category", "cashable", "status", "amount"}
YES = {"yes", "y", "true", "cashable"}
NO = {"no", "n", "false", "non-cashable", "non cashable"}
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        return (
            f"{where}, column “{self.column}”: {self.message}"
            if self.column
            else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class SavingsRow:
    organisation_id: int
    financial_year: int
    quarter: int | None
    project_id: int | None
    category_id: int
    cashable: bool
    status: str
    amount: Decimal
    description: str

    def as_json(self) -> dict:
        return {**self.__dict__, "amount": str(self.amount)}

    @classmethod
    def from_json(cls, data: dict) -> "SavingsRow":
        return cls(**{**data, "amount": Decimal(data["amount"])})

    def sameness(self) -> tuple:
        """What makes two rows of one return the same saving entered twice."""
        return (
            self.financial_year,
            self.quarter,
            self.project_id,
            self.category_id,
            self.cashable,
            self.status,
            self.amount,
            self.description,
        )


class RepeatedRows:
    """Finds the rows of a return that repeat an earlier row, whether uploaded or typed
    in the browser, so that a saving is not counted twice."""

    def __init__(self):
        self._first: dict[tuple, int] = {}

    def earlier(self, number: int, row: SavingsRow) -> int | None:
        """The number of the earlier row that ``row`` (numbered ``number``) repeats."""
        first = self._first.setdefault(row.sameness(), number)
        return None if first == number else first


@dataclass
class ReadResult:
    rows: list[SavingsRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.rows)


# How to fill in the template, column by column. The CSV template carries these as
# lines starting with #, which reading skips; the XLSX template on a Notes sheet. The
# templates have no example row: one left in would be imported as a saving.
COMMENT = "#"
GUIDANCE = [
    "Savings return: one row for each saving, below the header row. "
    "Lines starting with # are ignored.",
    "organisation: your council's name, short name or GSS code, e.g. E07000139.",
    "financial_year: the year the saving falls in, e.g. 2010/11.",
    "quarter: 1, 2, 3 or 4 (optional for a forecast of a whole year).",
    "project_reference: the project the saving comes from, e.g. EMIEP-2011-01 (optional).",
    "category: one of the savings categories, e.g. Procurement.",
    "cashable: yes or no.",
    "status: delivered or forecast.",
    "amount: in pounds and pence, e.g. 12500.00.",
    "description: what was saved (optional).",
]
CASHABLE_CHOICES = ["yes", "no"]
STATUS_CHOICES = ["delivered", "forecast"]


def template_csv_lines() -> list[list[str]]:
    """The CSV template: the guidance as comment lines, then the header row."""
    return [[f"{COMMENT} {line}"] for line in GUIDANCE] + [COLUMNS]


def template_xlsx(out) -> None:
    """The XLSX template: the header row, with drop-down lists on the category,
    cashable and status columns, then a Notes sheet with the guidance and a Lists
    sheet the category drop-down reads from (a list typed into the validation itself
    is limited to 255 characters)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Savings return"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    lists = workbook.create_sheet("Lists")
    categories = list(SavingsCategory.objects.values_list("name", flat=True))
    for row, name in enumerate(categories, start=1):
        lists.cell(row=row, column=1, value=name)
    lists.sheet_state = "hidden"
    choices = {
        "category": f"Lists!$A$1:$A${max(len(categories), 1)}",
        "cashable": f'"{",".join(CASHABLE_CHOICES)}"',
        "status": f'"{",".join(STATUS_CHOICES)}"',
    }
    for column, formula in choices.items():
        letter = sheet.cell(row=1, column=COLUMNS.index(column) + 1).column_letter
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Not a {column}",
            error=f"Choose the {column} from the list.",
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    notes = workbook.create_sheet("Notes")
    for line in GUIDANCE:
        notes.append([line])
    workbook.active = 0
    workbook.save(out)


def _raw_rows(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        stream = io.BytesIO(content)
        # The zip's directory is read before openpyxl unpacks anything, and formulas are
        # never evaluated: a cell gives the value last saved in it.
        too_large = uploads.unpacked_size_refusal(stream, "The file")
        if too_large:
            raise ValidationError(too_large)
        not_xlsx = ValidationError("The file is not a readable XLSX spreadsheet.")
        if not uploads.is_genuine(stream, "xlsx"):
            raise not_xlsx
        try:
            sheet = load_workbook(stream, read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise not_xlsx from error
        return [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError("The CSV file must be saved as UTF-8.") from error
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    raise ValidationError("Upload the return as a CSV or XLSX file.")


def read_return_file(*, name: str, content: bytes, organisation: Organisation) -> ReadResult:
    """Check every row of an uploaded return for ``organisation``'s own savings."""
    result = ReadResult()
    if len(content) > MAX_BYTES:
        result.problems.append(RowProblem(0, "", "The file is larger than 2 MB."))
        return result
    try:
        # Each row kept with its number as the spreadsheet shows it, less the blank
        # rows and the template's comment lines.
        raw = [
            (number, row)
            for number, row in enumerate(_raw_rows(name, content), start=1)
            if any(row) and not row[0].startswith(COMMENT)
        ]
    except ValidationError as error:
        result.problems.append(RowProblem(0, "", error.messages[0]))
        return result
    if not raw:
        result.problems.append(RowProblem(0, "", "The file is empty."))
        return result
    header_number, header_cells = raw[0]
    header = [cell.lower().replace(" ", "_") for cell in header_cells]
    missing = [column for column in COLUMNS if column in REQUIRED and column not in header]
    for column in missing:
        result.problems.append(RowProblem(header_number, column, "This column is missing."))
    if missing:
        return result
    if len(raw) - 1 > MAX_ROWS:
        result.problems.append(RowProblem(0, "", f"A return has at most {MAX_ROWS} rows."))
        return result

    categories = {}
    for category in SavingsCategory.objects.all():
        categories[category.name.lower()] = categories[category.slug] = category.pk
    projects = dict(
        Project.objects.filter(lead_organisation=organisation).values_list("reference", "pk")
    )
    repeats = RepeatedRows()
    for number, cells in raw[1:]:
        values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        problems_before = len(result.problems)

        def problem(column: str, message: str, number=number) -> None:
            result.problems.append(RowProblem(number, column, message))

        for column in sorted(REQUIRED):
            if not values.get(column):
                problem(column, "Enter a value.")
        who = values.get("organisation", "")
        if who and who.lower() not in {
            organisation.name.lower(),
            organisation.short_name.lower(),
            organisation.gss_code.lower(),
        } - {""}:
            problem("organisation", f"“{who}” is not {organisation.name}.")
        year = None
        if values.get("financial_year"):
            try:
                year = financial_years.parse(values["financial_year"])
            except ValidationError as error:
                problem("financial_year", error.messages[0])
        quarter = None
        if values.get("quarter"):
            try:
                quarter = int(values["quarter"])
            except ValueError:
                quarter = 0
            if not 1 <= quarter <= 4:
                problem("quarter", "A financial quarter is 1, 2, 3 or 4.")
        category = categories.get(values.get("category", "").lower())
        if values.get("category") and category is None:
            problem("category", f"“{values['category']}” is not a savings category.")
        project = None
        if values.get("project_reference"):
            project = projects.get(values["project_reference"])
            if project is None:
                problem(
                    "project_reference",
                    f"“{values['project_reference']}” is not one of your projects.",
                )
        cashable = values.get("cashable", "").lower()
        if cashable and cashable not in YES | NO:
            problem("cashable", "Write yes or no.")
        status = values.get("status", "").lower()
        if status and status not in STATUS_CHOICES:
            problem("status", "Write delivered or forecast.")
        amount = None
        if values.get("amount"):
            try:
                amount = Decimal(values["amount"].replace(",", "").replace("£", ""))
            except InvalidOperation:
                problem("amount", f"“{values['amount']}” is not an amount of money.")
            else:
                if not amount.is_finite() or amount < 0:
                    problem("amount", "An amount cannot be negative.")
                elif amount != amount.quantize(Decimal("0.01")):
                    problem("amount", "Give the amount in pounds and pence.")
        if len(result.problems) > problems_before:
            continue
        row = SavingsRow(
            organisation_id=organisation.pk,
            financial_year=year,
            quarter=quarter,
            project_id=project,
            category_id=category,
            cashable=cashable in YES,
            status=status,
            amount=amount.quantize(Decimal("0.01")),
            description=values.get("description", "")[:500],
        )
        earlier = repeats.earlier(number, row)
        if earlier is not None:
            problem("", f"This row repeats row {earlier}.")
            continue
        result.rows.append(row)
    if result.problems:
        result.rows = []
    return result
