"""Reading one ledger cell: text, amounts with their units, dates in every form offices
write them, yes/no, stage words and project kinds.

Each parser takes the raw cell value (str, int, float, bool, datetime.date/datetime, or
None as calamine and the csv module give them) and returns the value, None for a blank
cell, or raises CellError with a Chinese reason.
"""

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from zhaoshang.projects.stages import Stage

CENT = Decimal("0.01")
# 1亿 = 10,000万; 1元 = 0.0001万.
UNIT_FACTORS = {"万元": Decimal(1), "亿元": Decimal(10000), "元": Decimal("0.0001")}
DEFAULT_UNIT = "万元"

# Written in a cell where nothing is known.
BLANK_MARKS = {"", "-", "--", "—", "——", "/", "无", "暂无", "空", "null", "none", "n/a", "#n/a"}

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serials between 1950-01-01 and 2100-12-31; other numbers are not dates.
SERIAL_RANGE = (18264, 73415)


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason, in Chinese."""


_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: None, 0xFEFF: None})


_NEEDS_HALF = re.compile("[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]")


def half_width(text: str) -> str:
    """Full-width letters, digits and punctuation made half-width; odd spaces made plain."""
    if text.isascii() or not _NEEDS_HALF.search(text):
        return text
    return text.translate(_HALF)


def text(value) -> str:
    """A cell as clean text: half-width, without leading/trailing spaces; '' for blank.
    Whole numbers read from Excel (3.0) come back without the '.0'."""
    if value.__class__ is str:
        return half_width(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if not (value.hour or value.minute or value.second) else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return half_width(str(value)).strip()


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return half_width(value).strip().lower() in BLANK_MARKS
    return False


# ---------------------------------------------------------------- amounts

_AMOUNT_UNIT = re.compile(r"(亿元|亿|万元|万|元)$")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


_SEPARATORS = re.compile(r"[,，\s]")
_UNIT_ENDINGS = ("元", "万", "亿")
_MAX_AMOUNT = Decimal("1e14")


# The text amount most ledgers write: ASCII digits, perhaps thousands commas and a unit
# (1,200  3.5亿  800万元). Nothing in it to make half-width, strip or refuse, so it goes
# straight to Decimal; every other text takes the long way (_written_amount).
_PLAIN_AMOUNT = re.compile(r"([0-9][0-9,]*(?:\.[0-9]*)?)(亿元|亿|万元|万|元)?")
_CELL_UNITS = {"亿元": "亿元", "亿": "亿元", "万元": "万元", "万": "万元", "元": "元"}
_INFINITY = float("inf")


def amount(value, unit: str = DEFAULT_UNIT) -> Decimal | None:
    """An amount in 万元. `unit` is the column's (from its header); a cell that carries its
    own unit (3.5亿, 2.5亿元, 800万, 1,200元) wins. Negative amounts are refused."""
    kind = value.__class__
    if kind is float and 0 <= value < _INFINITY:
        number = Decimal(repr(value))
    elif kind is str and (plain := _PLAIN_AMOUNT.fullmatch(value)):
        written, own_unit = plain.groups()
        number = Decimal(written.replace(",", ""))
        if own_unit:
            unit = _CELL_UNITS[own_unit]
    else:
        written = _written_amount(value, unit)
        if written is None:
            return None
        number, unit = written
    scaled = number * UNIT_FACTORS[unit]
    if scaled >= _MAX_AMOUNT:  # before quantize(), which cannot hold 28 digits and more
        raise CellError(_("金额“%(value)s”过大") % {"value": text(value)})
    return scaled.quantize(CENT, ROUND_HALF_UP)


def _written_amount(value, unit: str) -> tuple[Decimal, str] | None:
    """Any amount cell but the common forms amount() reads itself: (the number, its unit),
    None for a blank cell, or CellError. Negative amounts are refused."""
    kind = value.__class__
    if kind is float:
        number = Decimal(repr(value))
    elif kind is int:
        number = Decimal(value)
    elif kind is str:
        raw = half_width(value).strip()
        if raw.lower() in BLANK_MARKS:
            return None
        cleaned = raw.replace(",", "")
        if "，" in cleaned or not cleaned.isprintable() or " " in cleaned:
            cleaned = _SEPARATORS.sub("", cleaned)
        if cleaned.endswith(_UNIT_ENDINGS):
            match = _AMOUNT_UNIT.search(cleaned)
            unit = "亿元" if match.group(1).startswith("亿") else ("万元" if match.group(1).startswith("万") else "元")
            cleaned = cleaned[: match.start()]
        if not _NUMBER.fullmatch(cleaned):
            raise CellError(_("金额“%(value)s”无法识别") % {"value": raw})
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise CellError(_("金额“%(value)s”无法识别") % {"value": raw}) from None
    else:
        if is_blank(value):
            return None
        if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)) or not isinstance(value, (int, float)):
            raise CellError(_("金额“%(value)s”无法识别") % {"value": text(value)})
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise CellError(_("金额“%(value)s”无法识别") % {"value": text(value)})
    if number < 0:
        raise CellError(_("金额不能为负数（%(value)s）") % {"value": text(value)})
    return number, unit


# ---------------------------------------------------------------- dates

_DATE_PATTERNS = [
    # 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 2024年3月5号, with an optional time after
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?(\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"),
    # 2024年3月, 2024.3, 2024-03, 2024/3 → the first of the month
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?(份)?"),
    # 20240305
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
]


# The date text most ledgers write (2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日): the first
# of _DATE_PATTERNS without its spaces and time, in ASCII digits, so that nothing in it
# needs making half-width.
_PLAIN_DATE = re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})[日号]?")


def date(value) -> dt.date | None:
    """A date from an Excel date, an Excel serial number, or text: 2024.3.5, 2024/3/5,
    2024-03-05, 2024年3月5日, 2024年3月 (the first of the month), full-width digits."""
    kind = value.__class__
    if kind is str:
        raw = value.strip()
        plain = _PLAIN_DATE.fullmatch(raw)
        if plain is None:
            raw = half_width(value).strip()
            if raw.lower() in BLANK_MARKS:
                return None
            plain = _PLAIN_DATE.fullmatch(raw)  # full-width digits, now made half-width
            if plain is None:
                return _date_text(raw)
        year, month, day = plain.groups()
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise CellError(_("日期“%(value)s”不存在") % {"value": raw}) from None
    # Dates and serial numbers as calamine gives them, then every other cell.
    if kind is dt.date:
        return value
    if kind is dt.datetime:
        return value.date()
    if kind is float and SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if SERIAL_RANGE[0] <= value <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        if isinstance(value, int) or float(value).is_integer():
            return date(str(int(value)))
        raise CellError(_("日期“%(value)s”无法识别") % {"value": text(value)})
    return _date_text(text(value))


def _date_text(raw: str) -> dt.date:
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            parts = match.groupdict()
            try:
                return dt.date(int(parts["y"]), int(parts["m"]), int(parts.get("d") or 1))
            except ValueError:
                raise CellError(_("日期“%(value)s”不存在") % {"value": raw}) from None
    if re.fullmatch(r"\d+(\.0+)?", raw):
        number = int(float(raw))
        if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=number)
    raise CellError(_("日期“%(value)s”无法识别，应写作 2024-03-05、2024.3.5、2024年3月5日 或 2024年3月") % {"value": raw})


# ---------------------------------------------------------------- yes / no

_YES = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "固投", "是固投"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "x", "非固投", "不是"}


def yes_no(value) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(_("“%(value)s”应填写“是”或“否”") % {"value": text(value)})


# ---------------------------------------------------------------- stage words

_STAGE_WORDS = {
    Stage.LEAD: ["线索", "谋划", "储备", "意向", "在谋划", "前期谋划", "跟踪", "在跟踪", "信息"],
    Stage.NEGOTIATING: ["在谈", "洽谈", "洽谈中", "在洽谈", "对接", "对接中", "接洽", "接洽中", "商谈", "谈判", "考察", "拟签约", "待签约"],
    Stage.SIGNED: ["签约", "已签约", "签约待开工", "待开工", "已签约未开工", "签约未开工", "已签订", "已签协议", "落地", "已落地"],
    Stage.STARTED: ["开工", "已开工", "在建", "开工建设", "建设中", "在建设", "已开工建设", "施工", "施工中", "续建", "新开工"],
    Stage.PRODUCING: ["投产", "已投产", "建成投产", "投产运营", "运营", "已运营", "竣工投产", "试生产", "达产", "部分投产"],
    Stage.DROPPED: ["终止", "已终止", "放弃", "已放弃", "取消", "已取消", "退出", "停止", "中止", "撤销"],
}
STAGE_WORDS = {word: stage for stage, words in _STAGE_WORDS.items() for word in words}
# Checked in this order when the word is not one of the above: the furthest stage named wins.
_STAGE_HINTS = [
    (Stage.DROPPED, ("终止", "放弃", "取消")),
    (Stage.PRODUCING, ("投产", "运营")),
    (Stage.STARTED, ("开工", "在建", "建设", "施工")),
    (Stage.SIGNED, ("签约", "签订", "落地")),
    (Stage.NEGOTIATING, ("洽谈", "在谈", "对接", "接洽")),
    (Stage.LEAD, ("线索", "谋划", "储备")),
]


def stage(value) -> Stage | None:
    """The stage a ledger's progress word names (在谈, 洽谈中, 已签约, 签约待开工, 已开工,
    在建, 开工建设, 已投产, 终止 …); None when blank."""
    if is_blank(value):
        return None
    word = re.sub(r"[\s。.，,；;、]", "", text(value))
    if word in STAGE_WORDS:
        return STAGE_WORDS[word]
    if "待开工" in word or "未开工" in word:
        return Stage.SIGNED
    for found, hints in _STAGE_HINTS:
        if any(hint in word for hint in hints):
            return found
    raise CellError(_("无法识别的项目进展“%(value)s”") % {"value": text(value)})


_KINDS = {
    "endogenous": ["内生型", "内生", "内生型项目", "增资扩产", "技改"],
    "chain": ["产业链", "产业链项目", "产业链型", "招商引资", "产业项目"],
    "foundational": ["基础类", "基础", "基础类项目", "基础设施", "基础设施类"],
}
KIND_WORDS = {word: kind for kind, words in _KINDS.items() for word in words}


def kind(value) -> str | None:
    if is_blank(value):
        return None
    word = re.sub(r"\s", "", text(value))
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    raise CellError(_("无法识别的项目类型“%(value)s”，应为内生型、产业链或基础类") % {"value": text(value)})


_NAME_SEPARATORS = re.compile(r"[、,，;；/\\|\n]+")
_NAME_SPLIT = re.compile(r"[、,，;；/\\|\n\s]")


def names(value) -> list[str]:
    """'王强、李娜' → ['王强', '李娜']; several separators, duplicates dropped. Spaces
    separate names only when every piece is a whole name: '王 强' (a name padded to
    line up) is one person, '王强 李娜' two."""
    written = text(value)  # for text: half-width and stripped, as is_blank() sees it
    if value is None or (isinstance(value, str) and written.lower() in BLANK_MARKS):
        return []
    if not _NAME_SPLIT.search(written):
        return [written]  # one name, nothing to split
    found = []
    for part in _NAME_SEPARATORS.split(written):
        pieces = part.split()
        if len(pieces) > 1 and any(len(piece) < 2 for piece in pieces):
            pieces = ["".join(pieces)]
        for name in pieces:
            if name and name not in found:
                found.append(name)
    return found
