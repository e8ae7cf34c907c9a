"""The indicators a target or a scheme can name: every figure of docs/figures.md (for the
units that bring in projects) and the ticket figures (for departments).

A unit's actual comes from `projects.kpi.compute_by(..., "responsible_unit")`; a
department's from `tickets.figures.department_figures(...)`. Rates are fractions (0.8065),
amounts 万元, counts integers, durations working days.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from zhaoshang.projects import kpi

COUNT, AMOUNT, RATE, DAYS = kpi.COUNT, kpi.AMOUNT, kpi.RATE, "days"

TICKET_FIGURES = [
    ("received", _("受理诉求数"), COUNT),
    ("closed_rate", _("诉求办结率"), RATE),
    ("on_time_rate", _("按时办结率"), RATE),
    ("avg_working_days", _("平均办理时长（工作日）"), DAYS),
    ("satisfaction_rate", _("满意率"), RATE),
]
TICKET_CODES = [code for code, _label, _kind in TICKET_FIGURES]

LABELS = {**kpi.LABELS, **{code: label for code, label, _kind in TICKET_FIGURES}}
KINDS = {**kpi.KINDS, **{code: kind for code, _label, kind in TICKET_FIGURES}}
CODES = [*kpi.CODES, *TICKET_CODES]
# Indicators where less is better: completion is target ÷ actual.
LOWER_IS_BETTER = {"avg_working_days"}

CHOICES = [(code, LABELS[code]) for code in CODES]
FOUR_PLACES = Decimal("0.0001")
CENT = Decimal("0.01")


def is_ticket_figure(code: str) -> bool:
    return code in TICKET_CODES


def completion(actual, target) -> Decimal | None:
    """实际 ÷ 目标 as a fraction with 4 places (target ÷ actual where less is better);
    None without a target, or without an actual for a lower-is-better indicator."""
    return _completion(actual, target, lower_is_better=False)


def completion_of(code: str, actual, target) -> Decimal | None:
    return _completion(actual, target, lower_is_better=code in LOWER_IS_BETTER)


def _completion(actual, target, *, lower_is_better: bool) -> Decimal | None:
    if target is None or actual is None:
        return None
    target, actual = Decimal(str(target)), Decimal(str(actual))
    if target <= 0:
        return None
    if lower_is_better:
        if actual <= 0:
            return Decimal("1.0000")
        return (target / actual).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return (actual / target).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def format_value(code: str, value) -> str:
    """A figure as people read it: 31个, 141.34亿元, 80.65%, 3.50个工作日."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    kind = KINDS.get(code, COUNT)
    if kind == AMOUNT:
        return kpi.format_amount(value)
    if kind == RATE:
        return kpi.format_rate(value)
    if kind == DAYS:
        return f"{value.quantize(CENT, rounding=ROUND_HALF_UP)}个工作日"
    if value == value.to_integral_value():
        return f"{int(value)}个"
    return f"{value.normalize()}个"
