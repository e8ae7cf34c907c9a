"""Policy conditions as data, and the one small evaluator that checks them.

A condition is (field, operator, value). `facts` — built by facts.py from what the
platform knows of an enterprise or project — maps each field to a value: a set of names
for the "set" fields (chain, cluster, tags, sector, park, stage), a Decimal for the
numbers (None when unknown), a bool for the yes/no fields. A policy matches when every
condition holds; it is nearly matched when all but one or two hold (and at least one
does), and the ones that do not are named in words.
"""

import re
from dataclasses import dataclass, field as dc_field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SET, NUMBER, BOOL = "set", "number", "bool"
QUALIFIES, NEARLY, NO = "qualifies", "nearly", "no"
NEAR_MISSING = 2  # "nearly qualifies": at most this many conditions not met


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    kind: str
    unit: str = ""


FIELDS = {
    f.code: f
    for f in [
        Field("chain", gettext_lazy("产业链"), SET),
        Field("cluster", gettext_lazy("产业集群"), SET),
        Field("tag", gettext_lazy("企业标签"), SET),
        Field("sector", gettext_lazy("国民经济行业分类"), SET),
        Field("park", gettext_lazy("落地园区"), SET),
        Field("stage", gettext_lazy("项目阶段"), SET),
        Field("revenue", gettext_lazy("上年度主营业务收入"), NUMBER, "万元"),
        Field("employees", gettext_lazy("从业人员"), NUMBER, "人"),
        Field("total_investment", gettext_lazy("项目总投资"), NUMBER, "万元"),
        Field("fixed_asset_investment", gettext_lazy("固定资产投资"), NUMBER, "万元"),
        Field("years_since_landing", gettext_lazy("落户年限"), NUMBER, "年"),
        Field("in_statistics", gettext_lazy("已纳入统计（四上）"), BOOL),
    ]
}

OPERATORS = {
    SET: {"in": "属于", "not_in": "不属于"},
    NUMBER: {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="},
    BOOL: {"is": "为"},
}
ALL_OPERATORS = {code: label for table in OPERATORS.values() for code, label in table.items()}

SEPARATORS = re.compile(r"[、,，;；/\s]+")
NUMBER_UNIT = re.compile(r"^(?P<number>[0-9]+(\.[0-9]+)?)\s*(?P<unit>亿元|亿|万元|万|人|年)?$")
YES, NO_WORDS = {"是", "yes", "true", "1"}, {"否", "no", "false", "0"}


def field_choices():
    return [(f.code, f.label) for f in FIELDS.values()]


def operator_choices():
    return [(code, label) for code, label in ALL_OPERATORS.items()]


def split_values(value: str) -> list[str]:
    return [part for part in SEPARATORS.split((value or "").strip()) if part]


def parse_number(text: str) -> Decimal | None:
    """'2000' / '2000万' → 2000; '1.5亿' → 15000 (万元); '50人' → 50; None if not a number."""
    text = (text or "").strip().replace(",", "").replace("，", "")
    match = NUMBER_UNIT.match(text)
    if not match:
        return None
    number = Decimal(match["number"])
    return number * 10000 if match["unit"] in ("亿", "亿元") else number


def _format_number(value: Decimal, unit: str) -> str:
    """2000 → '2000万元', 15000 → '15,000万元', 1234.5 → '1,234.50万元'."""
    if value == value.to_integral_value():
        number = int(value)
        shown = f"{number:,}" if abs(number) >= 10000 else str(number)
    else:
        shown = f"{value:,.2f}"
    return f"{shown}{unit}"


def describe(field: str, operator: str, value: str) -> str:
    """The condition in words: '上年度主营业务收入 ≥ 2000万元', '企业标签 属于 专精特新、小巨人'."""
    spec = FIELDS.get(field)
    if spec is None:
        return f"{field} {operator} {value}"
    if spec.kind == NUMBER:
        number = parse_number(value)
        shown = _format_number(number, spec.unit) if number is not None else value
        return f"{spec.label} {ALL_OPERATORS.get(operator, operator)} {shown}"
    if spec.kind == BOOL:
        return f"{spec.label}：{'是' if value in YES else '否'}"
    return f"{spec.label} {ALL_OPERATORS.get(operator, operator)} {'、'.join(split_values(value))}"


def clean(field: str, operator: str, value: str, zone=None, where: str = "") -> str:
    """Check one condition as the bureau typed it; returns the value in its stored form
    (names as the platform spells them, numbers in 万元/人/年), or raises a ValidationError
    that names the condition and the reason."""
    prefix = f"{where}：" if where else ""
    spec = FIELDS.get(field)
    if spec is None:
        raise ValidationError(_("%(prefix)s条件项“%(field)s”不存在") % {"prefix": prefix, "field": field})
    if operator not in OPERATORS[spec.kind]:
        allowed = "、".join(OPERATORS[spec.kind].values())
        raise ValidationError(_("%(prefix)s“%(label)s”只能用 %(allowed)s 比较") % {
            "prefix": prefix, "label": spec.label, "allowed": allowed})
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("%(prefix)s“%(label)s”的取值不能为空") % {"prefix": prefix, "label": spec.label})
    if spec.kind == NUMBER:
        return _clean_number(spec, value, prefix)
    if spec.kind == BOOL:
        return _clean_bool(spec, value, prefix)
    return _clean_names(spec, value, zone, prefix)


def _clean_number(spec: Field, value: str, prefix: str) -> str:
    number = parse_number(value)
    if number is None:
        raise ValidationError(_("%(prefix)s“%(label)s”的取值“%(value)s”不是数字（单位%(unit)s）") % {
            "prefix": prefix, "label": spec.label, "value": value, "unit": spec.unit})
    return f"{number.normalize():f}"


def _clean_bool(spec: Field, value: str, prefix: str) -> str:
    lowered = value.lower()
    if lowered not in YES | NO_WORDS:
        raise ValidationError(_("%(prefix)s“%(label)s”的取值只能是“是”或“否”") % {"prefix": prefix, "label": spec.label})
    return "是" if lowered in YES else "否"


def _clean_names(spec: Field, value: str, zone, prefix: str) -> str:
    """The names of a set condition as the platform spells them, each once."""
    names = split_values(value)
    known = _KNOWN_NAMES.get(spec.code, _as_typed)(names, zone)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValidationError(_("%(prefix)s%(label)s“%(names)s”不存在") % {
            "prefix": prefix, "label": spec.label, "names": "、".join(unknown)})
    return "、".join(dict.fromkeys(known[name] for name in names))


# Each finder maps the names it knows (as typed) to their stored spelling. Without a zone
# the zone's own names (chains, clusters, parks) cannot be checked: they are kept as typed.


def _as_typed(names: list[str], zone=None) -> dict[str, str]:
    return {name: name for name in names}


def _among(names: list[str], existing) -> dict[str, str]:
    existing = set(existing)
    return {name: name for name in names if name in existing}


def _known_chains(names: list[str], zone) -> dict[str, str]:
    if zone is None:
        return _as_typed(names)
    from zhaoshang.industry.actions import find_chain

    chains = {name: find_chain(zone, name) for name in names}
    return {name: chain.name for name, chain in chains.items() if chain is not None}


def _known_clusters(names: list[str], zone) -> dict[str, str]:
    if zone is None:
        return _as_typed(names)
    from zhaoshang.industry.models import IndustryCluster

    return _among(names, IndustryCluster.objects.filter(zone=zone).values_list("name", flat=True))


def _known_parks(names: list[str], zone) -> dict[str, str]:
    if zone is None:
        return _as_typed(names)
    from zhaoshang.core.models import Park

    return _among(names, Park.objects.filter(zone=zone).values_list("name", flat=True))


def _known_tags(names: list[str], zone) -> dict[str, str]:
    from zhaoshang.enterprises.models import DEFAULT_TAGS, Tag

    return _among(names, set(Tag.objects.values_list("name", flat=True)) | set(DEFAULT_TAGS))


def _known_stages(names: list[str], zone) -> dict[str, str]:
    from zhaoshang.projects.stages import Stage

    labels = {str(stage.label): str(stage.label) for stage in Stage} | {stage.value: str(stage.label) for stage in Stage}
    return {name: labels[name] for name in names if name in labels}


def _known_sectors(names: list[str], zone) -> dict[str, str]:
    """Sections (C) and classes (C39) by code, in either case, or classes by name."""
    from zhaoshang.stats import sectors

    by_name = {str(name): code for code, name, _group in sectors.CLASSES}
    sections = {code[:1] for code in sectors.NAMES}
    known = {}
    for name in names:
        upper = name.upper()
        if upper in sectors.NAMES or upper in sections:
            known[name] = upper
        elif name in by_name:
            known[name] = by_name[name]
    return known


_KNOWN_NAMES = {"chain": _known_chains, "cluster": _known_clusters, "park": _known_parks, "tag": _known_tags,
                "stage": _known_stages, "sector": _known_sectors}


@dataclass
class Check:
    field: str
    operator: str
    value: str
    met: bool
    actual: str

    @property
    def text(self) -> str:
        return describe(self.field, self.operator, self.value)

    @property
    def missing_text(self) -> str:
        """What is missing, in words: the condition and what the platform knows now."""
        return f"{self.text}（现为：{self.actual}）"


@dataclass
class Match:
    policy: object
    checks: list[Check] = dc_field(default_factory=list)

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.checks if not check.met]

    @property
    def status(self) -> str:
        missing = len(self.missing)
        if missing == 0:
            return QUALIFIES
        if missing <= NEAR_MISSING and missing < len(self.checks):
            return NEARLY
        return NO


def _actual(spec: Field, fact) -> str:
    if fact is None or fact == set():
        return "未知" if spec.kind != SET else "无"
    if spec.kind == NUMBER:
        return _format_number(Decimal(fact), spec.unit)
    if spec.kind == BOOL:
        return "是" if fact else "否"
    return "、".join(sorted(fact))


def check(field: str, operator: str, value: str, facts: dict) -> Check:
    spec = FIELDS.get(field)
    if spec is None:
        return Check(field, operator, value, False, "未知条件项")
    fact = facts.get(field)
    met = False
    if spec.kind == SET:
        wanted = set(split_values(value))
        have = set(fact or ())
        met = bool(wanted & have) if operator == "in" else not (wanted & have)
    elif spec.kind == NUMBER:
        target = parse_number(value)
        if fact is not None and target is not None:
            fact = Decimal(fact)
            met = {
                "gte": fact >= target, "gt": fact > target, "lte": fact <= target,
                "lt": fact < target, "eq": fact == target,
            }.get(operator, False)
    elif spec.kind == BOOL:
        wanted = value.strip().lower() in YES
        met = fact is not None and bool(fact) == wanted or (fact is None and not wanted)
    return Check(field, operator, value, met, _actual(spec, fact))


def evaluate(policy, conditions, facts: dict) -> Match:
    """Check every condition of `policy` against `facts`."""
    return Match(policy, [check(c.field, c.operator, c.value, facts) for c in conditions])
