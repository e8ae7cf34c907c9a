"""The platform's one way to write a workbook (xlsxwriter).

Every value goes through this module, which picks the typed xlsxwriter call: a string is
always written with `write_string`, so a unit, project or title named
`=HYPERLINK("http://x","y")` stays text on the reader's machine instead of becoming a
live formula. The workbook is also opened with xlsxwriter's string conversions off, in
case anyone calls `worksheet.write` directly.

    book = xlsx.Book()
    sheet = book.sheet("项目进展", widths={0: 20}, freeze=(1, 0))
    sheet.append(["标题"], book.title, height=26)
    sheet.append(["甲", Decimal("12.5"), dt.date(2024, 3, 5)])
    data = book.close()

Large exports (the ledger's 100,000 rows) open the book with `constant_memory=True` and a
path or file: xlsxwriter then writes each row out as soon as the next one starts, so
memory stays flat, but rows must be appended in order. Such a sheet declares its
columns' kinds once (`sheet.columns([TEXT, NUMBER, DATE, ...])`) and appends with
`append_row`, which calls the typed write for each column without testing each value's
type: xlsxwriter's own cost per cell (~18 µs) is then nearly all that is left.
"""

import contextlib
import datetime as dt
import io
import os
from decimal import Decimal

import xlsxwriter

OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "remove_timezone": True,
}

# Column kinds for Sheet.columns: what every non-empty value of the column is.
TEXT, NUMBER, DATE, ANY = "text", "number", "date", "any"


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
        self._writers = None

    def append(self, values, fmt=None, *, formats=None, height: float | None = None) -> int:
        """Write `values` as the next row; returns the row's index."""
        row = self.next_row
        if height:
            self.worksheet.set_row(row, height)
        for col, value in enumerate(values):
            cell_format = formats[col] if formats and col < len(formats) and formats[col] is not None else fmt
            write(self.worksheet, row, col, value, cell_format, date_format=self.book.date)
        self.next_row += 1
        return row

    def title(self, value, last_col: int, fmt=None, *, height: float | None = None) -> int:
        """`value` in one cell merged across columns 0..last_col of the next row."""
        row = self.next_row
        if last_col > 0:
            self.worksheet.merge_range(row, 0, row, last_col, None, fmt)
        return self.append([value], fmt, height=height)

    def columns(self, kinds, formats=None) -> None:
        """Declare the kind (TEXT, NUMBER, DATE, ANY) and format of each column for
        `append_row`. Empty cells (None, "") are left unwritten, as Excel leaves them."""
        ws = self.worksheet
        date_format = self.book.date

        def text(row, col, value, fmt, write_string=ws.write_string):
            if value is not None and value != "":
                write_string(row, col, value if value.__class__ is str else str(value), fmt)

        def number(row, col, value, fmt, write_number=ws.write_number):
            if value is not None:
                write_number(row, col, float(value), fmt)

        def date(row, col, value, fmt, write_datetime=ws.write_datetime):
            if value is not None:
                write_datetime(row, col, value, fmt or date_format)

        def anything(row, col, value, fmt):
            if value is not None and value != "":
                write(ws, row, col, value, fmt, date_format=date_format)

        by_kind = {TEXT: text, NUMBER: number, DATE: date, ANY: anything}
        formats = list(formats or [])
        self._writers = [(col, by_kind[kind], formats[col] if col < len(formats) else None) for col, kind in enumerate(kinds)]

    def append_row(self, values) -> int:
        """Write `values` (one per declared column) as the next row."""
        row = self.next_row
        for (col, writer, fmt), value in zip(self._writers, values):
            writer(row, col, value, fmt)
        self.next_row = row + 1
        return row

    def freeze(self, rows: int, cols: int = 0) -> None:
        self.worksheet.freeze_panes(rows, cols)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.worksheet.autofilter(first_row, first_col, last_row, last_col)

    def skip(self, rows: int = 1) -> None:
        self.next_row += rows


class Book:
    def __init__(self, stream=None, *, constant_memory: bool = False, **options):
        """`stream`: a path or binary file (default: in memory, returned by `close`).
        `constant_memory` writes rows out as they are appended; it needs temporary files,
        so the workbook is not kept in memory."""
        self.stream = stream if stream is not None else io.BytesIO()
        if constant_memory:
            options = {"in_memory": False, "constant_memory": True, **options}
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

    def sheet(self, name: str, *, widths: dict | list | None = None, default_width: float | None = None,
              freeze: tuple[int, int] | None = None) -> Sheet:
        """A new sheet; `widths` maps column → width (a list gives columns 0, 1, … in order)."""
        worksheet = self.workbook.add_worksheet(name[:31])
        if default_width:
            worksheet.set_column(0, 50, default_width)
        for col, width in (dict(enumerate(widths)) if isinstance(widths, list | tuple) else (widths or {})).items():
            worksheet.set_column(col, col, width)
        if freeze:
            worksheet.freeze_panes(*freeze)
        return Sheet(self, worksheet)

    def close(self) -> bytes | None:
        self.workbook.close()
        return self.stream.getvalue() if isinstance(self.stream, io.BytesIO) else None

    def discard(self) -> None:
        """Drop a book that will not be finished: constant_memory keeps each sheet's rows in
        a temporary file that only `close` would otherwise remove."""
        for worksheet in self.workbook.worksheets():
            handle = getattr(worksheet, "row_data_fh", None)
            if handle is not None:
                handle.close()
                with contextlib.suppress(OSError, TypeError):
                    os.unlink(worksheet.row_data_filename)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.discard()
