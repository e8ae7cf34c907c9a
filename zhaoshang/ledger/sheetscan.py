"""Looking inside an .xlsx before it is loaded: each sheet's extent and its error cells.

A spreadsheet reader holds a sheet as the whole rectangle from its first to its last cell,
so a 2 KB file with one cell at B2 and one at XFD1048576 asks for hundreds of gigabytes.
Each worksheet's XML is therefore streamed once here — the `<dimension>` it declares and
the row and cell references it really holds — and a sheet wider than MAX_COLUMNS, longer
than the row limit or larger than the cell limit is refused before anything is loaded.

The same pass notes the cells Excel shows as errors (#DIV/0!, #N/A, #REF! …: `t="e"`),
which the reader would give as blanks.
"""

import re
import zipfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

CHUNK = 1 << 22
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
_ROW_REFS = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)"')
_ROW_TAGS = re.compile(rb'<(?:\w+:)?row[\s>/]')
_CELL_REFS = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)[0-9]+"')
_CELL_TAGS = re.compile(rb'<(?:\w+:)?c[\s>/]')
# The same without a namespace prefix, three times faster: used for a chunk holding no
# ':c' or ':row' at all (Excel's own files), so that a prefixed tag cannot slip past.
_PLAIN = (re.compile(rb'<row\b[^>]*?\br="([0-9]+)"'), re.compile(rb'<row[\s>/]'), re.compile(rb'<c\b[^>]*?\br="([A-Z]+)[0-9]+"'),
          re.compile(rb'<c[\s>/]'))
_PREFIXED = (_ROW_REFS, _ROW_TAGS, _CELL_REFS, _CELL_TAGS)
_TAGS = re.compile(rb'<(?:\w+:)?(row|c)(?:[\s/][^>]*)?>')
_ROW_ATTRIBUTE = re.compile(rb'\br="([0-9]+)"')
_CELL_ATTRIBUTE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*?\bt="e"[^>]*>(?:<(?:\w+:)?f\b[^<]*(?:</(?:\w+:)?f>)?)?<(?:\w+:)?v>([^<]{0,40})<'
                         rb'|<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*>(?:<(?:\w+:)?f\b[^<]*(?:</(?:\w+:)?f>)?)?<(?:\w+:)?v>([^<]{0,40})<')
_A1 = re.compile(r"([A-Z]+)([0-9]+)")
MAX_ERRORS = 200  # error cells noted per sheet; a file with more has other problems


def column_number(letters) -> int:
    """'A' → 1, 'XFD' → 16384."""
    number = 0
    for char in letters if isinstance(letters, str) else letters.decode():
        number = number * 26 + ord(char) - 64
    return number


@dataclass
class Extent:
    sheet: str
    declared: tuple[int, int] = (0, 0)  # (last row, last column) as <dimension> says
    rows: int = 0  # the last row referenced
    columns: int = 0  # the last column referenced
    errors: list = field(default_factory=list)  # (row, column 0-based, "#DIV/0!")
    row_at: int = 0  # where the scan is: rows and cells may leave out their references
    column_at: int = 0


def _declared(ref: bytes) -> tuple[int, int]:
    last = ref.decode(errors="replace").split(":")[-1]
    found = _A1.fullmatch(last.replace("$", ""))
    return (int(found.group(2)), column_number(found.group(1))) if found else (0, 0)


def _sheet_files(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, path inside the archive) of each worksheet, in the workbook's order."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return []
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("p:Relationship", ns)}
    found = []
    for sheet in book.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(sheet.get(f"{{{ns['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname("xl/workbook.xml"), target))
        found.append((sheet.get("name", ""), path))
    return found


def scan(path) -> list[Extent]:
    """The extent and error cells of every worksheet of the .xlsx at `path`."""
    extents = []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for sheet, member in _sheet_files(archive):
            if member in names:
                with archive.open(member) as stream:
                    extents.append(_scan_sheet(sheet, stream))
    return extents


def _scan_sheet(sheet: str, stream) -> Extent:
    extent = Extent(sheet)
    carry = b""
    first = True
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        data = carry + chunk
        # A tag never holds '<': what follows the last one may be cut, and is read again.
        cut = data.rfind(b"<")
        data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
        if first:
            declared = _DIMENSION.search(data)
            if declared:
                extent.declared = _declared(declared.group(1))
            first = False
        _scan_data(extent, data)
    _scan_data(extent, carry)
    return extent


def _scan_data(extent: Extent, data: bytes) -> None:
    row_refs, row_tags, cell_refs, cell_tags = _PREFIXED if b":c" in data or b":row" in data else _PLAIN
    rows = row_refs.findall(data)
    if rows:
        extent.rows = max(extent.rows, max(map(int, rows)))
    refs = cell_refs.findall(data)
    if refs:
        extent.columns = max(extent.columns, max(column_number(letters) for letters in set(refs)))
    if len(refs) != len(cell_tags.findall(data)) or len(rows) != len(row_tags.findall(data)):
        _walk(extent, data)  # rows or cells without their reference: placed one after another
    else:
        extent.row_at, extent.column_at = (int(rows[-1]) if rows else extent.row_at), 0
    if b't="e"' in data:
        for found in _ERROR_CELL.finditer(data):
            letters, row, value = (found.group(1), found.group(2), found.group(3)) if found.group(1) else found.group(4, 5, 6)
            if len(extent.errors) < MAX_ERRORS:
                extent.errors.append((int(row), column_number(letters) - 1, value.decode(errors="replace")))


def _walk(extent: Extent, data: bytes) -> None:
    for found in _TAGS.finditer(data):
        tag = found.group(0)
        if found.group(1) == b"row":
            ref = _ROW_ATTRIBUTE.search(tag)
            extent.row_at = int(ref.group(1)) if ref else extent.row_at + 1
            extent.column_at = 0
        else:
            ref = _CELL_ATTRIBUTE.search(tag)
            extent.column_at = column_number(ref.group(1)) if ref else extent.column_at + 1
        extent.rows = max(extent.rows, extent.row_at)
        extent.columns = max(extent.columns, extent.column_at)
