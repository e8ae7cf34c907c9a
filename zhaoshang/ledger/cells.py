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


def amount(value, unit: str = DEFAULT_UNIT, usd_rate: Decimal | None = None) -> Decimal | None:
    """An amount in 万元. `unit` is the column's (from its header); a cell that carries its
    own unit (3.5亿, 2.5亿元, 800万, 1,200元) wins. Negative amounts are refused. Words
    around the number, qualifiers and Chinese numerals: see _worded_amount(); an amount
    in 美元 needs `usd_rate` (元 per 美元). A qualified amount comes back as RoughAmount."""
    kind = value.__class__
    if kind is float and 0 <= value < _INFINITY:
        number = Decimal(repr(value))
    elif kind is str and (plain := _PLAIN_AMOUNT.fullmatch(value)):
        written, own_unit = plain.groups()
        number = Decimal(written.replace(",", ""))
        if own_unit:
            unit = _CELL_UNITS[own_unit]
    else:
        written = _written_amount(value, unit, usd_rate)
        if written is None:
            return None
        number, unit = written
    scaled = number * UNIT_FACTORS[unit]
    if scaled >= _MAX_AMOUNT:  # before quantize(), which cannot hold 28 digits and more
        raise CellError(_("金额“%(value)s”过大") % {"value": text(value)})
    if number.__class__ is RoughAmount:
        return RoughAmount(scaled.quantize(CENT, ROUND_HALF_UP))
    return scaled.quantize(CENT, ROUND_HALF_UP)


class RoughAmount(Decimal):
    """An amount written with a qualifier (约3亿元, 3000余万元, 超5亿): the number is kept,
    and the row is warned that it is 约数."""


def _written_amount(value, unit: str, usd_rate: Decimal | None = None) -> tuple[Decimal, str] | None:
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
        if cleaned.endswith(_UNIT_ENDINGS) and _NUMBER.fullmatch(cleaned[: _AMOUNT_UNIT.search(cleaned).start()]):
            match = _AMOUNT_UNIT.search(cleaned)
            unit = "亿元" if match.group(1).startswith("亿") else ("万元" if match.group(1).startswith("万") else "元")
            cleaned = cleaned[: match.start()]
        if not _NUMBER.fullmatch(cleaned):
            return _worded_amount(raw, unit, usd_rate)
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


# Amounts as published lists write them (DESIGN: docs/ledgers.md): words before the number,
# a qualifier, Chinese or mixed numerals, a currency after it.
_AMOUNT_PREFIX = re.compile(r"^(?:计划总投资|计划投资|协议总投资|协议投资|合同投资|总投资|投资总额|投资|注册资本)额?(?:约为|为)?[:：]?")
_QUALIFIER = re.compile("左右|以上|约|超过|超|逾|余|多")
_CURRENCY = re.compile("(美元|元|人民币)$")
_MAGNITUDE = {"亿": Decimal(100_000_000), "万": Decimal(10_000)}
_CHINESE_NUMERAL = re.compile("[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点]")
_TWO_NUMBERS = re.compile(r"[0-9零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾][亿万元]*\s*(?:[-~～—至到、/或;；]|，|,(?![0-9]{3}))\s*[0-9零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾]")


def _count(words: str) -> Decimal:
    """A number written in figures, Chinese numerals or both (3, 2.5, 三千, 一点五, 2亿5千万)."""
    if _NUMBER.fullmatch(words):
        return Decimal(words)
    import cn2an

    try:
        found = cn2an.cn2an(words, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        tail = words[-1:]
        if tail in _MAGNITUDE and words[:-1]:
            return _count(words[:-1]) * _MAGNITUDE[tail]
        raise CellError("") from None
    return Decimal(repr(found)) if isinstance(found, float) else Decimal(found)


def _worded_amount(raw: str, unit: str, usd_rate: Decimal | None) -> tuple[Decimal, str]:
    """计划投资2.3亿元, 约3亿元, 3000余万元, 投资1亿5千万元, 一点五亿, 壹亿贰仟万, 5000万美元 …:
    (the number, its unit); a range (3-5亿) or two numbers are an error."""
    if _TWO_NUMBERS.search(_AMOUNT_PREFIX.sub("", re.sub(r"\s", "", raw))):
        raise CellError(_("金额“%(value)s”写了一个范围或两个数，请只填一个金额") % {"value": raw})
    words = _AMOUNT_PREFIX.sub("", _SEPARATORS.sub("", raw))
    rough = bool(_QUALIFIER.search(words))
    words = _QUALIFIER.sub("", words)
    currency = _CURRENCY.search(words)
    usd = bool(currency) and currency.group(1) == "美元"
    if currency:
        words = words[: currency.start()]
    if not words or not (_NUMBER.match(words) or _CHINESE_NUMERAL.match(words)):
        raise CellError(_("金额“%(value)s”无法识别") % {"value": raw})
    try:
        if words[-1] in _MAGNITUDE and _NUMBER.fullmatch(words[:-1]):
            number, unit = Decimal(words[:-1]) * _MAGNITUDE[words[-1]], "元"
        elif "亿" in words or "万" in words:
            number, unit = _count(words), "元"  # 2亿5千万: the whole number, in 元
        else:
            number = _count(words)
            unit = "元" if currency else unit
    except CellError:
        raise CellError(_("金额“%(value)s”无法识别") % {"value": raw}) from None
    if usd:
        if usd_rate is None:
            raise CellError(_("金额“%(value)s”以美元计，本园区未设置美元汇率：请换算为人民币后再导入，或由管理员在“台账设置”中填写汇率")
                            % {"value": raw})
        number = number * usd_rate
    if rough:
        number = RoughAmount(number)
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


class RoughDate(dt.date):
    """A date standing for a period (2024年底, 2024年上半年, 2024年一季度): the period's
    last day, with a note the row is warned with."""

    note = ""


class PartialDate:
    """A month without its year (同年11月, 次年9月, 11月): the row's other date gives the year
    (parsing.resolve_partial_dates)."""

    __slots__ = ("written", "offset", "month", "day")

    def __init__(self, written, offset, month, day):
        self.written, self.offset, self.month, self.day = written, offset, month, day

    def on(self, year: int) -> dt.date:
        try:
            return dt.date(year + self.offset, self.month, self.day)
        except ValueError:
            raise CellError(_("日期“%(value)s”不存在") % {"value": self.written}) from None


# A period's day (docs/ledgers.md): its last day, so that "by year-end" is never early.
PERIODS = {"年底": (12, 31), "年末": (12, 31), "下半年": (12, 31), "四季度": (12, 31), "第四季度": (12, 31), "4季度": (12, 31),
           "年中": (6, 30), "上半年": (6, 30), "二季度": (6, 30), "第二季度": (6, 30), "2季度": (6, 30),
           "一季度": (3, 31), "第一季度": (3, 31), "1季度": (3, 31), "三季度": (9, 30), "第三季度": (9, 30), "3季度": (9, 30),
           "年初": (1, 31)}
_PERIOD = re.compile(r"(?P<y>\d{4})\s*年?\s*(?:的)?(?P<p>%s)" % "|".join(sorted(PERIODS, key=len, reverse=True)))
_YEARLESS = re.compile(r"^(?P<rel>同年|当年|次年|翌年|上年|去年|今年)?(?P<m>\d{1,2})\s*月(?:份)?(?:(?P<d>\d{1,2})\s*[日号])?")
_RELATIVE_YEARS = {None: 0, "同年": 0, "当年": 0, "今年": 0, "次年": 1, "翌年": 1, "上年": -1, "去年": -1}


def _date_text(raw: str) -> dt.date:
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            return _date_of(match, raw)
    if re.fullmatch(r"\d+(\.0+)?", raw):
        number = int(float(raw))
        if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=number)
    return _worded_date(raw)


def _date_of(match, raw) -> dt.date:
    parts = match.groupdict()
    try:
        return dt.date(int(parts["y"]), int(parts["m"]), int(parts.get("d") or 1))
    except ValueError:
        raise CellError(_("日期“%(value)s”不存在") % {"value": raw}) from None


def _worded_date(raw: str):
    """2024年2月动工, 签约于2024.3, 2024年底, 同年11月 …; two dates in one cell are an error."""
    words = re.sub(r"\s+", "", raw)
    if len(re.findall(r"(?<!\d)\d{4}(?!\d)", words)) > 1:
        raise CellError(_("“%(value)s”写了两个日期，请只填一个") % {"value": raw})
    period = _PERIOD.search(words)
    if period:
        month, day = PERIODS[period.group("p")]
        found = RoughDate(int(period.group("y")), month, day)
        found.note = _("“%(value)s”按%(date)s计") % {"value": raw, "date": found.isoformat()}
        return found
    for pattern in _DATE_PATTERNS:
        match = pattern.search(words)
        if match:
            return _date_of(match, raw)
    yearless = _YEARLESS.search(words)
    if yearless and 1 <= int(yearless.group("m")) <= 12:
        return PartialDate(raw, _RELATIVE_YEARS[yearless.group("rel")], int(yearless.group("m")), int(yearless.group("d") or 1))
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
