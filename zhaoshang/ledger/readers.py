"""Opening a ledger file safely and reading its sheets as rows of Python values.

.xlsx/.xlsm/.xls/.ods are read with python-calamine; .csv in UTF-8 (with or without BOM)
or GBK/GB18030. The file's kind is told from its first bytes, not its name. Limits
(settings): ZHAOSHANG_LEDGER_MAX_BYTES (file size), ZHAOSHANG_LEDGER_MAX_ROWS (rows per
sheet) and ZHAOSHANG_LEDGER_MAX_UNCOMPRESSED_BYTES (an xlsx's unpacked size, checked
before it is opened, against zip bombs). An .xlsx sheet's extent is checked before it is
loaded (sheetscan.py): at most ZHAOSHANG_LEDGER_MAX_COLUMNS columns and
ZHAOSHANG_LEDGER_MAX_CELLS cells from its first to its last, so that a small file with a
cell far out cannot make the reader allocate gigabytes.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from zhaoshang.ledger import sheetscan

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class LedgerFileError(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


def max_bytes() -> int:
    return int(getattr(settings, "ZHAOSHANG_LEDGER_MAX_BYTES", 20 * MB))


def max_rows() -> int:
    return int(getattr(settings, "ZHAOSHANG_LEDGER_MAX_ROWS", 200_000))


def max_columns() -> int:
    return int(getattr(settings, "ZHAOSHANG_LEDGER_MAX_COLUMNS", 200))


def max_cells() -> int:
    return int(getattr(settings, "ZHAOSHANG_LEDGER_MAX_CELLS", 8_000_000))


def max_uncompressed() -> int:
    return int(getattr(settings, "ZHAOSHANG_LEDGER_MAX_UNCOMPRESSED_BYTES", 400 * MB))


@dataclass
class Sheet:
    name: str
    height: int  # rows, as far as the file says before reading
    rows: Iterator[tuple[int, list]]  # (row number as Excel shows it, values)
    merged: list = field(default_factory=list)  # ((row, col), (row, col)), 0-based, absolute
    errors: dict = field(default_factory=dict)  # (row as Excel shows it, col 0-based) → "#DIV/0!"


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def sniff(path: Path) -> str:
    """'zip', 'ole', 'csv', or raise LedgerFileError for what is no spreadsheet."""
    size = path.stat().st_size
    if size > max_bytes():
        raise LedgerFileError(
            _("文件过大（%(size)s MB），上限为 %(limit)s MB") % {"size": _megabytes(size), "limit": _megabytes(max_bytes())}
        )
    if size == 0:
        raise LedgerFileError(_("文件是空的"))
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        raise LedgerFileError(_("这个文件其实是网页（HTML）格式，不是真正的 Excel 表格；请用 Excel 打开后“另存为” .xlsx 再导入"))
    if head.startswith(b"%PDF"):
        raise LedgerFileError(_("这是 PDF 文件，不是表格；请导入 Excel（.xlsx/.xls）或 CSV 文件"))
    if b"\x00" in head:
        raise LedgerFileError(_("无法识别的文件：不是 Excel（.xlsx/.xls）或 CSV 表格"))
    return "csv"


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise LedgerFileError(_("文件已损坏，无法作为 Excel 表格打开")) from None
    if "xl/workbook.xml" not in names and "content.xml" not in names and "xl/workbook.bin" not in names:
        if "word/document.xml" in names:
            raise LedgerFileError(_("这是 Word 文档，不是表格；请导入 Excel（.xlsx/.xls）或 CSV 文件"))
        raise LedgerFileError(_("无法识别的文件：不是 Excel（.xlsx/.xls）或 CSV 表格"))
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_uncompressed() or len(entries) > 10_000:
        raise LedgerFileError(
            _("表格解压后过大（%(size)s MB，上限 %(limit)s MB），可能是恶意文件，已拒绝")
            % {"size": _megabytes(unpacked), "limit": _megabytes(max_uncompressed())}
        )


def open_sheets(path, filename: str = "") -> list[Sheet]:
    """The sheets of a ledger file, each with a lazy row iterator."""
    path = Path(path)
    kind = sniff(path)
    if kind == "csv":
        return [_csv_sheet(path, filename or path.name)]
    errors = {}
    if kind == "zip":
        _check_zip(path)
        errors = {extent.sheet: _check_extent(extent) for extent in sheetscan.scan(path)}
    return _calamine_sheets(path, errors)


def _check_extent(extent: sheetscan.Extent) -> dict:
    """Refuse a sheet too wide, too long or too large to load; its error cells."""
    for rows, columns in (extent.declared, (extent.rows, extent.columns)):
        if columns > max_columns():
            raise LedgerFileError(
                _("工作表“%(sheet)s”有 %(columns)s 列（最远的单元格在第 %(row)s 行），超过上限 %(limit)s 列：请删除表格右侧多余的单元格后再导入")
                % {"sheet": extent.sheet, "columns": columns, "row": rows, "limit": max_columns()})
        if rows > max_rows() + 100:
            raise LedgerFileError(
                _("工作表“%(sheet)s”有 %(rows)s 行，超过上限 %(limit)s 行") % {"sheet": extent.sheet, "rows": rows, "limit": max_rows()})
        if rows * columns > max_cells():
            raise LedgerFileError(
                _("工作表“%(sheet)s”范围过大（%(rows)s 行 × %(columns)s 列），超过上限 %(limit)s 个单元格")
                % {"sheet": extent.sheet, "rows": rows, "columns": columns, "limit": max_cells()})
    return {(row, column): value for row, column, value in extent.errors}


def _calamine_sheets(path: Path, errors: dict) -> list[Sheet]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise LedgerFileError(_("文件设有密码保护，请去掉密码后再导入")) from None
    except Exception:  # calamine raises several error types for a broken file
        raise LedgerFileError(_("文件已损坏，无法作为 Excel 表格打开")) from None
    names = [metadata.name for metadata in book.sheets_metadata if metadata.typ == python_calamine.SheetTypeEnum.WorkSheet]
    sheets = []
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
        except Exception:
            raise LedgerFileError(_("工作表“%(sheet)s”已损坏，无法读取") % {"sheet": name}) from None
        if sheet.height > max_rows() + 100:
            raise LedgerFileError(
                _("工作表“%(sheet)s”有 %(rows)s 行，超过上限 %(limit)s 行") % {"sheet": name, "rows": sheet.height, "limit": max_rows()}
            )
        sheets.append(Sheet(name=name, height=sheet.height, rows=_calamine_rows(sheet), merged=list(sheet.merged_cell_ranges or []),
                            errors=errors.get(name, {})))
    return sheets


def _calamine_rows(sheet) -> Iterator[tuple[int, list]]:
    start = sheet.start
    if start is None:
        return
    first_row, first_col = start
    pad = [""] * first_col
    number = first_row
    for values in sheet.iter_rows():
        number += 1
        yield number, (pad + values) if pad else values


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError(_("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GBK 编码"))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _csv_sheet(path: Path, filename: str) -> Sheet:
    text = _decode(path.read_bytes())
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise LedgerFileError(_("CSV 文件第 %(row)s 行含有控制字符（%(char)s），请删除后再导入")
                              % {"row": line, "char": f"U+{ord(control.group()):04X}"})
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    height = text.count("\n") + 1
    if height > max_rows() + 100:
        raise LedgerFileError(_("文件有 %(rows)s 行，超过上限 %(limit)s 行") % {"rows": height, "limit": max_rows()})

    def rows():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, values in enumerate(reader, start=1):
                yield number, values
        except csv.Error as error:
            raise LedgerFileError(_("CSV 文件格式有误：%(reason)s") % {"reason": error}) from None

    return Sheet(name=Path(filename).stem or "CSV", height=height, rows=rows())
