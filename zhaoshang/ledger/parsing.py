"""From a sheet's rows to ledger records: which rows are projects (not titles, blank rows,
section rows such as 一、数字经济（12个） with their subtotals, or 合计 rows), and each
cell read by its column's parser. Problems become Issues naming the sheet, the row as
Excel shows it, the column header and the reason."""

import datetime as dt
import itertools
import re
import sys
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from zhaoshang.enterprises import uscc as uscc_rules
from zhaoshang.ledger import cells
from zhaoshang.ledger.columns import Layout, find_layout, SCAN_ROWS


@dataclass
class Issue:
    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"{self.sheet}"
        if self.row:
            where += _(" 第%(row)s行") % {"row": self.row}
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}"


TOTAL_WORDS = ("合计", "总计", "小计", "累计", "共计", "总合计")
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|第[一二三四五六七八九十百\d]+(?:批|部分|类|组))"
)
_SECTION_STARTS = set("一二三四五六七八九十百(（")
# A lead beginning with 第 is a section row only as 第3批, 第二部分, 第一类, 第4组 (or with a
# count, …个): without one of these words it is a name such as 第一中学迁建项目.
_ORDINAL_SECTION_WORD = re.compile("[批部类组]")
_COUNT_SUFFIX = re.compile(r"[(（]\s*\d+\s*个(?:项目)?\s*[)）]")


# Control characters (NUL, BEL, ESC …) have no place in a ledger; tabs and line breaks do.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _cell_problem(value, error_text) -> str | None:
    """Why a cell cannot be read whatever its column: an Excel error value, a control character."""
    if error_text is not None:
        return _("单元格是公式错误“%(error)s”，请在表格中改正公式或填入数值") % {"error": error_text}
    if value.__class__ is str and not value.isprintable():
        found = _CONTROL.search(value)
        if found:
            return _("含有控制字符（%(char)s），请删除后再导入") % {"char": f"U+{ord(found.group()):04X}"}
    return None


def _is_total(word: str) -> bool:
    word = word.replace(" ", "")
    return word.startswith(TOTAL_WORDS) or word.endswith(("合计", "总计", "小计"))


@dataclass
class ParsedSheet:
    name: str
    layout: Layout | None
    records: list  # dicts: sheet, row, and a value for each field the row gives
    rows_read: int = 0


LIMITS = {"code": 40, "category": 30, "extra": 500, "name": 200, "investor": 200, "contact_person": 50, "contact_phone": 30, "drop_reason": 200,
          "responsible_unit": 100, "park": 100, "source": 50, "industry": 100, "note": 200}


def _too_long(text: str, limit: int) -> cells.CellError:
    return cells.CellError(_("内容过长（%(length)s 字，最多 %(limit)s 字）") % {"length": len(text), "limit": limit})


# Each column's cells are read by one function of the cell alone (the column's unit and
# length limit built in), which gives the value, None for a blank cell (the field is left
# as it was), or raises CellError. PARSERS[field](column) makes that function.

def _text_reader(column):
    """Text as written, half-width, without leading/trailing spaces."""
    limit = LIMITS.get(column.field, sys.maxsize)
    half_width, text = cells.half_width, cells.text

    def read(value):
        if value.__class__ is str:  # ASCII text has nothing to make half-width
            found = value.strip() if value.isascii() else half_width(value).strip()
        else:
            found = text(value)
        if len(found) > limit:
            raise _too_long(found, limit)
        return found or None

    return read


def _code_reader(column):
    """A project code: text without any spaces."""
    limit = LIMITS.get(column.field, sys.maxsize)
    text = cells.text

    def read(value):
        found = text(value).replace(" ", "")
        if len(found) > limit:
            raise _too_long(found, limit)
        return found or None

    return read


def _amount_reader(column):
    """An amount in 万元, from the column's unit unless the cell gives its own."""
    unit, amount, usd_rate = column.unit, cells.amount, column.usd_rate
    if unit == cells.DEFAULT_UNIT and usd_rate is None:
        return amount
    return lambda value: amount(value, unit, usd_rate)


def _any_column(parse):
    """A field read the same way whatever its column."""
    return lambda _column: parse


_NORMAL_USCC = re.compile("[%s]{2}[0-9]{6}[%s]{10}" % (uscc_rules.ALPHABET, uscc_rules.ALPHABET))
# The check character is ALPHABET[-Σ value(cᵢ)·3ⁱ mod 31] over the first 17 characters
# (uscc.check_character). As 34 ≡ 3 (mod 31), Σ value(cᵢ)·34ⁱ leaves the same remainder,
# and that sum is what int() reads from the 17 characters reversed, each written as the
# base-34 digit of its value: far quicker than adding them up one by one.
_BASE34_DIGITS = bytes.maketrans(uscc_rules.ALPHABET.encode(), b"0123456789abcdefghijklmnopqrstu")


def _uscc(value):
    code = value.strip() if value.__class__ is str and value.isascii() else cells.text(value)
    if not code:
        return None
    # Most codes are written already normalised (18 upper-case letters and digits): then
    # only the check character needs working out. Anything else takes the full rules,
    # which also give the reason.
    if _NORMAL_USCC.fullmatch(code) and \
            uscc_rules.ALPHABET[-int(code.encode()[16::-1].translate(_BASE34_DIGITS), 34) % 31] == code[17]:
        return code
    try:
        return uscc_rules.validate(code)
    except uscc_rules.InvalidUSCC as error:
        raise cells.CellError(str(error)) from None


def _leaders(value):
    return cells.names(value) or None


PARSERS = {
    "code": _code_reader,
    "name": _text_reader,
    "investor": _text_reader,
    "uscc": _any_column(_uscc),
    "industry": _text_reader,
    "kind": _any_column(cells.kind),
    "category": _text_reader,
    "total_investment": _amount_reader,
    "amount": _amount_reader,
    "is_fixed_asset": _any_column(cells.yes_no),
    "source": _text_reader,
    "responsible_unit": _text_reader,
    "park": _text_reader,
    "signed_on": _any_column(cells.date),
    "planned_start_on": _any_column(cells.date),
    "started_on": _any_column(cells.date),
    "producing_on": _any_column(cells.date),
    "dropped_on": _any_column(cells.date),
    "date": _any_column(cells.date),
    "drop_reason": _text_reader,
    "stage": _any_column(cells.stage),
    "leaders": _any_column(_leaders),
    "contact_person": _text_reader,
    "contact_phone": _text_reader,
    "notes": _text_reader,
    "note": _text_reader,
}
# Fields whose cells repeat down a ledger (units, parks, dates, amounts, stage words,
# enterprises and their 统一社会信用代码 …): each distinct cell is read once per column and
# the result reused. Codes and names are nearly all different.
MEMO_FIELDS = set(PARSERS) - {"code", "name"}
MEMO_SIZE = 50_000  # distinct text cells (and as many others) remembered per memo
_MISSING = object()
# A column whose cells were nearly all different so far is not remembered any further:
# looking each cell up and keeping it would cost more than it saves.
DISTINCT_SHARE = 0.9


class _Memo(dict):
    """The values of a column's distinct cells: `memo[cell]` reads a cell not seen before
    (raising CellError, which is not remembered: every row with it is named). Text cells
    are their own keys; any other cell is kept apart under (type, value), since 1, 1.0 and
    True are one dict key but not one cell."""

    def __init__(self, parse_cell):
        super().__init__()
        self.parse_cell = parse_cell
        self.others = {}
        self.columns = 0  # that share this memo

    def __missing__(self, value):
        if value.__class__ is str:
            memo, key = self, value
        else:
            memo, key = self.others, (value.__class__, value)
            result = memo.get(key, _MISSING)
            if result is not _MISSING:
                return result
        result = self.parse_cell(value)
        if len(memo) < MEMO_SIZE:
            memo[key] = result  # results are shared, never changed by their users
        return result


_DATE_FIELDS = ("signed_on", "planned_start_on", "started_on", "producing_on", "dropped_on", "date")
_ROUGH = {cells.RoughAmount: Decimal, cells.RoughDate: lambda found: dt.date(found.year, found.month, found.day)}


def _rough_note(result) -> str:
    if result.__class__ is cells.RoughAmount:
        return _("约数：按%(amount)s万元计") % {"amount": result}
    return result.note


def resolve_partial_dates(record: dict, headers: dict, warnings: list, issues: list) -> bool:
    """Give a year-less month (同年11月, 次年9月) the year of the row's 签约时间, or of its
    first other date; warn how it was read, or report it. False when one cannot be read."""
    fine = True
    for name in _DATE_FIELDS:
        partial = record.get(name)
        if partial.__class__ is not cells.PartialDate:
            continue
        reference = next((other for other in _DATE_FIELDS if other != name and isinstance(record.get(other), dt.date)), None)
        where = (record["sheet"], record["row"], headers.get(name, ""))
        if reference is None:
            issues.append(Issue(*where, _("“%(value)s”没有写年份，本行也没有可参照的日期：请写明年份") % {"value": partial.written}))
            del record[name]
            fine = False
            continue
        try:
            record[name] = partial.on(record[reference].year)
        except cells.CellError as error:
            issues.append(Issue(*where, str(error)))
            del record[name]
            fine = False
            continue
        warnings.append(Issue(*where, _("“%(value)s”按“%(other)s”的年份计为%(date)s")
                              % {"value": partial.written, "other": headers.get(reference, ""), "date": record[name].isoformat()}))
    return fine


def parse_sheet(sheet, issues: list[Issue], progress=None, sink=None, warnings: list | None = None,
                usd_rate=None) -> ParsedSheet:
    """Read one sheet. Cell problems are added to `issues` (as errors), readings worth a
    word (约数, a period read as its last day, a year taken from another column) to
    `warnings`; `progress(n)` is called now and then with the number of rows read so far.
    Records are collected in the result's `records`, or, where `sink(layout)` gives a
    callable, handed to it one by one as they are read. `usd_rate` (元 per 美元) reads
    amounts written in 美元."""
    warnings = warnings if warnings is not None else []
    head = []
    rows = sheet.rows
    numbers = []
    for number, values in rows:
        head.append(values)
        numbers.append(number)
        if len(head) > SCAN_ROWS:
            break
    # calamine's merged ranges are absolute; make them relative to the rows we hold.
    offset = numbers[0] - 1 if numbers else 0
    merged = [((top - offset, left), (bottom - offset, right)) for (top, left), (bottom, right) in sheet.merged]
    layout = find_layout(head, merged)
    parsed = ParsedSheet(name=sheet.name, layout=layout, records=[])
    if layout is None:
        parsed.rows_read = len(head)
        for _row in rows:
            parsed.rows_read += 1
        return parsed

    # (index, field, read): read is the column's parser, or the lookup in its memo. A second
    # column for a field (layout.extra) fills it where the first was blank, or adds to the
    # notes; the extra columns come after all others, as their issues do.
    readers = []
    remembered = []  # (position in readers, memo)
    memos = {}
    for column in [*layout.columns.values(), *layout.extra]:
        column.usd_rate = usd_rate
    for column in layout.columns.values():
        read = parse_cell = PARSERS[column.field](column)
        if column.field in MEMO_FIELDS:
            # Columns read by one and the same function (the dates) share what they learn.
            memo = memos.get(parse_cell)
            if memo is None:
                memo = memos[parse_cell] = _Memo(parse_cell)
            memo.columns += 1
            remembered.append((len(readers), memo))
            read = memo.__getitem__
        readers.append((column.index, column.field, read))
    headers = {column.index: column.header for column in layout.columns.values()}
    extra_readers = [(column.index, column.field, column.header, PARSERS[column.field](column)) for column in layout.extra]
    kept_readers = [(column.index, column.header, _text_reader(column)) for column in layout.kept]
    mapped = {column.index for column in layout.columns.values()} | {column.index for column in layout.extra}
    span = max(mapped) + 1  # shorter rows are padded with blank cells up to here
    name_index = layout.columns["name"].index if "name" in layout.columns else None
    code_index = layout.columns["code"].index if "code" in layout.columns else None
    name_header = layout.columns["name"].header if "name" in layout.columns else _("项目名称")
    lead_indexes = sorted({index for index in (name_index, code_index) if index is not None} | set(range(min(mapped) + 1)))
    is_projects = layout.kind == "projects"
    sheet_name = sheet.name
    emit = (sink(layout) if sink is not None else None) or parsed.records.append
    half_width = cells.half_width
    CellError = cells.CellError
    error_cells = getattr(sheet, "errors", None) or {}
    rough, PartialDate = _ROUGH, cells.PartialDate
    field_headers = {column.field: column.header for column in layout.columns.values()}

    def handle(pairs) -> int:
        """Read (number, values) rows into records; returns the number of rows read."""
        done = 0
        for done, (number, values) in enumerate(pairs, 1):
            # Blank rows need no test of their own: they give no record and no issue.
            if len(values) < span:
                values = values + [""] * (span - len(values))  # a blank cell reads as a missing one
            # 合计/总计/小计 rows and section rows are never projects. The first lead text is
            # made half-width only where it may be a section row (一、… （一）… 第3批… …（12个）).
            lead = None
            total = False
            for index in lead_indexes:
                value = values[index]
                if value.__class__ is str:
                    if "计" in value:
                        written = half_width(value).strip()
                        if written and _is_total(written):
                            total = True
                            break
                    if lead is None:
                        written = value.strip()
                        if written:
                            first_char = written[0]
                            if first_char in _SECTION_STARTS or "个" in written or not first_char.isprintable() or \
                                    (first_char == "第" and _ORDINAL_SECTION_WORD.search(written)):
                                lead = half_width(value).strip()
                            else:
                                lead = ""  # cannot be a section row
            if total:
                continue
            if lead and (_SECTION.match(lead) or ("个" in lead and _COUNT_SUFFIX.search(lead))):
                # 一、数字经济（12个） in the 序号 column, or in the name column without a code.
                name = values[name_index] if name_index is not None else None
                code = values[code_index] if code_index is not None else None
                if cells.is_blank(name) or (cells.is_blank(code) and cells.text(name) == lead):
                    continue

            record = {"sheet": sheet_name, "row": number}
            bad = partial = False
            for index, field, read in readers:
                value = values[index]
                if error_cells and (number, index) in error_cells:
                    issues.append(Issue(sheet_name, number, headers[index], _cell_problem(value, error_cells[number, index])))
                    bad = True
                    continue
                if not value and (value == "" or value is None):  # `not value` first: 0 and False are read
                    continue
                if value.__class__ is str and not value.isprintable() and (problem := _cell_problem(value, None)):
                    issues.append(Issue(sheet_name, number, headers[index], problem))
                    bad = True
                    continue
                try:
                    result = read(value)
                except CellError as error:
                    issues.append(Issue(sheet_name, number, headers[index], str(error)))
                    bad = True
                    continue
                if result is not None:
                    plain = rough.get(result.__class__)
                    if plain is not None:
                        warnings.append(Issue(sheet_name, number, headers[index], _rough_note(result)))
                        result = plain(result)
                    elif result.__class__ is PartialDate:
                        partial = True
                    record[field] = result
            for index, field, header, parse_cell in extra_readers:  # rare: not remembered
                value = values[index]
                problem = _cell_problem(value, error_cells.get((number, index)))
                if problem:
                    issues.append(Issue(sheet_name, number, header, problem))
                    bad = True
                    continue
                if not value and (value == "" or value is None):
                    continue
                try:
                    result = parse_cell(value)
                except CellError as error:
                    issues.append(Issue(sheet_name, number, header, str(error)))
                    bad = True
                    continue
                if result is None:
                    continue
                if rough.get(result.__class__) is not None:
                    warnings.append(Issue(sheet_name, number, header, _rough_note(result)))
                    result = rough[result.__class__](result)
                elif result.__class__ is PartialDate:
                    partial = partial or field not in record
                if field not in record:
                    record[field] = result
                elif field in ("notes", "note"):
                    record[field] = f"{record[field]}；{result}"
            kept = None
            for index, header, read_text in kept_readers:  # columns the platform does not model
                value = values[index] if index < len(values) else None
                if value is None or value == "":
                    continue
                problem = _cell_problem(value, error_cells.get((number, index)))
                try:
                    if problem:
                        raise CellError(problem)
                    found = read_text(value)
                except CellError as error:
                    issues.append(Issue(sheet_name, number, header, str(error)))
                    bad = True
                    continue
                if found is not None:
                    kept = kept or {}
                    kept[header] = found
            if kept:
                record["extra"] = kept
            if partial and not resolve_partial_dates(record, field_headers, warnings, issues):
                bad = True
            if "name" not in record and "code" not in record:
                if bad or len(record) > 2:
                    issues.append(Issue(sheet_name, number, name_header, _("缺少项目名称")))
                continue
            if is_projects and "name" not in record:
                issues.append(Issue(sheet_name, number, name_header, _("缺少项目名称")))
                continue
            record["bad"] = bad
            emit(record)
        return done

    first = layout.first_data_row
    handle((numbers[position], values) for position, values in enumerate(head) if position >= first)
    # The rest in runs that end where progress is told: after every 5000th row of the
    # sheet, the rows before the header counted too.
    count = len(head)
    while True:
        run = 5000 - count % 5000
        done = handle(itertools.islice(rows, run))
        count += done
        if done < run:
            break
        if progress is not None:
            progress(count)
        # Columns that proved nearly all different are read directly from now on.
        kept = []
        for position, memo in remembered:
            if len(memo) + len(memo.others) > DISTINCT_SHARE * memo.columns * (count - first):
                index, field, _lookup = readers[position]
                readers[position] = (index, field, memo.parse_cell)
            else:
                kept.append((position, memo))
        remembered = kept
    parsed.rows_read = count
    return parsed
