"""The platform's one way to write a workbook (xlsxwriter).

Every value goes through `write`, which picks the typed xlsxwriter call: a string is
always written with `write_string`, so a unit, project or title named
`=HYPERLINK("http://x","y")` stays text on the reader's machine instead of becoming a
live formula. The workbook is also opened with xlsxwriter's string conversions off, in
case anyone calls `worksheet.write` directly.

    book = xlsx.Book()
    sheet = book.sheet("项目进展", widths={0: 20})
    sheet.append(["标题"], book.title)
    sheet.append(["甲", Decimal("12.5"), dt.date(2024, 3, 5)])
    data = book.close()

The ledger's own streaming writer (zhaoshang/ledger/xlsx.py) writes 100,000 rows in
seconds for the ledger export; it writes strings only as inline text, never formulas.
"""

import datetime as dt
import io
from decimal import Decimal

import xlsxwriter

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}


def write(worksheet, row: int, col: int, value, fmt=None, *, date_format=None) -> None:
    """One cell, by type: text as text, numbers as numbers, dates as dates."""
    if value is None or value == "":
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float | Decimal):
        worksheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.date):
        worksheet.write_datetime(row, col, value, fmt or date_format)
    else:
        worksheet.write_string(row, col, str(value), fmt)


class Sheet:
    def __init__(self, book: "Book", worksheet):
        self.book = book
        self.worksheet = worksheet
        self.next_row = 0

    def append(self, values, fmt=None, *, formats=None) -> int:
        """Write `values` as the next row; returns the row's index."""
        row = self.next_row
        for col, value in enumerate(values):
            cell_format = formats[col] if formats and col < len(formats) and formats[col] is not None else fmt
            write(self.worksheet, row, col, value, cell_format, date_format=self.book.date)
        self.next_row += 1
        return row

    def skip(self, rows: int = 1) -> None:
        self.next_row += rows


class Book:
    def __init__(self, stream=None, **options):
        self.stream = stream if stream is not None else io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.stream, {**OPTIONS, **options})
        self.title = self.workbook.add_format({"bold": True, "font_size": 14})
        self.bold = self.workbook.add_format({"bold": True})
        self.header = self.workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                                                "valign": "vcenter", "text_wrap": True})
        self.cell = self.workbook.add_format({"border": 1})
        self.amount = self.workbook.add_format({"num_format": "#,##0.00"})
        self.date = self.workbook.add_format({"num_format": "yyyy-mm-dd"})

    def add_format(self, properties: dict):
        return self.workbook.add_format(properties)

    def sheet(self, name: str, *, widths: dict | None = None, default_width: float | None = None) -> Sheet:
        worksheet = self.workbook.add_worksheet(name[:31])
        if default_width:
            worksheet.set_column(0, 50, default_width)
        for col, width in (widths or {}).items():
            worksheet.set_column(col, col, width)
        return Sheet(self, worksheet)

    def close(self) -> bytes | None:
        self.workbook.close()
        return self.stream.getvalue() if isinstance(self.stream, io.BytesIO) else None

