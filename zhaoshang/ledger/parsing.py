"""From a sheet's rows to ledger records: which rows are projects (not titles, blank rows,
section rows such as 一、数字经济（12个） with their subtotals, or 合计 rows), and each
cell read by its column's parser. Problems become Issues naming the sheet, the row as
Excel shows it, the column header and the reason."""

import functools
import operator
import re
from dataclasses import dataclass

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
_SECTION_STARTS = set("一二三四五六七八九十百(（第")
_COUNT_SUFFIX = re.compile(r"[(（]\s*\d+\s*个(?:项目)?\s*[)）]")


def _is_total(word: str) -> bool:
    word = word.replace(" ", "")
    return word.startswith(TOTAL_WORDS) or word.endswith(("合计", "总计", "小计"))


@dataclass
class ParsedSheet:
    name: str
    layout: Layout | None
    records: list  # dicts: sheet, row, and a value for each field the row gives
    rows_read: int = 0


# How each field's cell is read; None values are blank cells (the field is left as it was).
def _text(value, _unit, half_width=cells.half_width):
    if value.__class__ is str:
        return half_width(value).strip() or None
    return cells.text(value) or None


def _code(value, _unit):
    found = cells.text(value)
    return found.replace(" ", "") or None


_USCC_VALUE = uscc_rules.VALUES.__getitem__
_NORMAL_USCC = re.compile("[%s]{2}[0-9]{6}[%s]{10}" % (uscc_rules.ALPHABET, uscc_rules.ALPHABET))


@functools.lru_cache(maxsize=65536)
def _valid_uscc(code: str) -> str:
    # Most codes are written already normalised (18 upper-case letters and digits): then
    # only the check character needs working out. Anything else takes the full rules,
    # which also give the reason.
    if _NORMAL_USCC.fullmatch(code) and \
            uscc_rules.ALPHABET[(31 - sum(map(operator.mul, map(_USCC_VALUE, code[:17]), uscc_rules.WEIGHTS)) % 31) % 31] == code[17]:
        return code
    return uscc_rules.validate(code)


def _uscc(value, _unit):
    code = cells.text(value)
    if not code:
        return None
    try:
        return _valid_uscc(code)
    except uscc_rules.InvalidUSCC as error:
        raise cells.CellError(str(error)) from None


PARSERS = {
    "code": _code,
    "name": _text,
    "investor": _text,
    "uscc": _uscc,
    "industry": _text,
    "kind": lambda value, _unit: cells.kind(value),
    "total_investment": cells.amount,
    "amount": cells.amount,
    "is_fixed_asset": lambda value, _unit: cells.yes_no(value),
    "source": _text,
    "responsible_unit": _text,
    "park": _text,
    "signed_on": lambda value, _unit: cells.date(value),
    "planned_start_on": lambda value, _unit: cells.date(value),
    "started_on": lambda value, _unit: cells.date(value),
    "producing_on": lambda value, _unit: cells.date(value),
    "dropped_on": lambda value, _unit: cells.date(value),
    "date": lambda value, _unit: cells.date(value),
    "drop_reason": _text,
    "stage": lambda value, _unit: cells.stage(value),
    "leaders": lambda value, _unit: cells.names(value) or None,
    "contact_person": _text,
    "contact_phone": _text,
    "notes": _text,
    "note": _text,
}
# Fields whose cells repeat down a ledger (units, parks, dates, amounts, stage words …):
# each distinct cell is read once per column and the result reused. Codes, names and
# 统一社会信用代码 (cached on their own) are nearly all different.
MEMO_FIELDS = set(PARSERS) - {"code", "name", "uscc"}
MEMO_SIZE = 50_000  # distinct cells remembered per column
_MISSING = object()
LIMITS = {"code": 40, "name": 200, "investor": 200, "contact_person": 50, "contact_phone": 30, "drop_reason": 200,
          "responsible_unit": 100, "park": 100, "source": 50, "industry": 100, "note": 200}


def parse_sheet(sheet, issues: list[Issue], progress=None, sink=None) -> ParsedSheet:
    """Read one sheet. Cell problems are added to `issues` (as errors); `progress(n)` is
    called now and then with the number of rows read so far. Records are collected in
    the result's `records`, or, where `sink(layout)` gives a callable, handed to it one by
    one as they are read (the import plans and writes them while the sheet is still read)."""
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

    # (index, field, header, unit, parser, memo of distinct cells or None, length limit,
    # whether another column gave the field first)
    columns = [(column.index, column.field, column.header, column.unit, PARSERS[column.field],
                {} if column.field in MEMO_FIELDS else None, LIMITS.get(column.field), extra)
               for columns_, extra in ((layout.columns.values(), False), (layout.extra, True)) for column in columns_]
    mapped = {column.index for column in layout.columns.values()} | {column.index for column in layout.extra}
    name_index = layout.columns["name"].index if "name" in layout.columns else None
    code_index = layout.columns["code"].index if "code" in layout.columns else None
    name_header = layout.columns["name"].header if "name" in layout.columns else _("项目名称")
    lead_indexes = sorted({index for index in (name_index, code_index) if index is not None} | set(range(min(mapped) + 1)))
    is_projects = layout.kind == "projects"
    sheet_name = sheet.name
    emit = (sink(layout) if sink is not None else None) or parsed.records.append
    first = layout.first_data_row
    half_width = cells.half_width
    CellError = cells.CellError

    def handle(number, values):
        width = len(values)
        blank = values.count("")
        if blank == width or blank + values.count(None) == width:
            return
        # 合计/总计/小计 rows and section rows are never projects. The first lead text is
        # made half-width only where it may be a section row (一、… （一）… 第3批… …（12个）).
        lead = None
        for index in lead_indexes:
            if index < width:
                value = values[index]
                if value.__class__ is str:
                    if "计" in value:
                        written = half_width(value).strip()
                        if written and _is_total(written):
                            return
                    if lead is None:
                        written = value.strip()
                        if written:
                            first_char = written[0]
                            if first_char in _SECTION_STARTS or "个" in written or not first_char.isprintable():
                                lead = half_width(value).strip()
                            else:
                                lead = ""  # cannot be a section row
        if lead and (_SECTION.match(lead) or _COUNT_SUFFIX.search(lead)):
            # 一、数字经济（12个） in the 序号 column, or in the name column without a code.
            name = values[name_index] if name_index is not None and name_index < width else None
            code = values[code_index] if code_index is not None and code_index < width else None
            if cells.is_blank(name) or (cells.is_blank(code) and cells.text(name) == lead):
                return
        record = {"sheet": sheet_name, "row": number}
        bad = False
        for index, field, header, unit, parser, memo, limit, extra in columns:
            if index >= width:
                continue
            value = values[index]
            if value == "" or value is None:
                continue
            if memo is not None:
                # Keyed by type too: 1, 1.0 and True are equal as dict keys but not as cells.
                key = value if value.__class__ is str else (value.__class__, value)
                result = memo.get(key, _MISSING)
                if result is _MISSING:
                    try:
                        result = parser(value, unit)
                    except CellError as error:  # not remembered: every row with it is named
                        issues.append(Issue(sheet_name, number, header, str(error)))
                        bad = True
                        continue
                    if len(memo) < MEMO_SIZE:
                        memo[key] = result  # results are shared, never changed by their users
            else:
                try:
                    result = parser(value, unit)
                except CellError as error:
                    issues.append(Issue(sheet_name, number, header, str(error)))
                    bad = True
                    continue
            if result is None:
                continue
            if limit and len(result) > limit:
                issues.append(Issue(sheet_name, number, header, _("内容过长（%(length)s 字，最多 %(limit)s 字）") % {"length": len(result), "limit": limit}))
                bad = True
                continue
            if extra and field in record:
                if field in ("notes", "note"):
                    record[field] = f"{record[field]}；{result}"
                continue
            record[field] = result
        if "name" not in record and "code" not in record:
            if bad or len(record) > 2:
                issues.append(Issue(sheet_name, number, name_header, _("缺少项目名称")))
            return
        if is_projects and "name" not in record:
            issues.append(Issue(sheet_name, number, name_header, _("缺少项目名称")))
            return
        record["bad"] = bad
        emit(record)

    count = 0
    for position, values in enumerate(head):
        if position >= first:
            handle(numbers[position], values)
    count = len(head)
    for number, values in rows:
        handle(number, values)
        count += 1
        if progress is not None and count % 5000 == 0:
            progress(count)
    parsed.rows_read = count
    return parsed
