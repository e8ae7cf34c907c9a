"""统一社会信用代码 (GB 32100-2015): alphabet, weights and the check character."""

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


class InvalidUSCC(ValueError):
    pass


def normalize(code: str) -> str:
    """Upper-case, without spaces, with full-width characters made half-width."""
    half = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in code)
    return "".join(half.split()).upper()


def check_character(first17: str) -> str:
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Return the normalised code or raise InvalidUSCC with a Chinese reason."""
    code = normalize(code)
    if len(code) != LENGTH:
        raise InvalidUSCC(_("统一社会信用代码应为18位，实际为%(length)s位") % {"length": len(code)})
    bad = [char for char in code if char not in VALUES]
    if bad:
        raise InvalidUSCC(_("统一社会信用代码含有不允许的字符“%(char)s”（不使用 I、O、Z、S、V）") % {"char": bad[0]})
    if not code[2:8].isdigit():
        raise InvalidUSCC(_("统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidUSCC(_("统一社会信用代码校验位错误：末位应为“%(expected)s”，实际为“%(actual)s”") % {"expected": expected, "actual": code[17]})
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except InvalidUSCC:
        return False
    return True
