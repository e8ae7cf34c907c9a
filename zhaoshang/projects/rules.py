"""The date rules of a project's facts, as plain functions: the web forms, the API (both
through projects.actions) and the ledger import call the same ones.

- A fact (a stage reached, a follow-up, a fund arrival) is never dated after today;
  planned dates (计划开工, 下步日期) may be.
- A project's stages are dated in order: 线索 ≤ 在谈 ≤ 签约 ≤ 开工 ≤ 投产, and a drop
  is not before any of them.
- A follow-up is not dated before the project's first fact (its first stage date).
- A fund arrival is not dated before the project's signing.

Each check raises django's ValidationError({field: message}) naming the field and the
dates involved; nothing is written by these functions.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.projects.stages import Stage

# The fields a project's stage dates are given in, in order (线索 and 在谈 are dated in
# their stage-change rows only; the others are also copied onto the project).
STAGE_DATE_FIELDS = [
    (Stage.LEAD, "lead_on"),
    (Stage.NEGOTIATING, "negotiating_on"),
    (Stage.SIGNED, "signed_on"),
    (Stage.STARTED, "started_on"),
    (Stage.PRODUCING, "producing_on"),
    (Stage.DROPPED, "dropped_on"),
]
FIELD_OF_STAGE = dict(STAGE_DATE_FIELDS)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _label(field: str) -> str:
    labels = {
        "lead_on": _("线索日期"), "negotiating_on": _("在谈日期"), "signed_on": _("签约日期"),
        "started_on": _("开工日期"), "producing_on": _("投产日期"), "dropped_on": _("终止日期"),
        "date": _("日期"), "on": _("日期"),
    }
    return labels.get(field, field)


def check_not_future(value: dt.date | None, field: str, label: str | None = None, today: dt.date | None = None) -> None:
    """A fact dated after today is refused, naming the field."""
    if value is None:
        return
    today = _today(today)
    if value > today:
        raise ValidationError({field: _("%(label)s（%(date)s）不能晚于今天（%(today)s）：已发生的事实不能填写将来的日期") % {
            "label": label or _label(field), "date": value.isoformat(), "today": today.isoformat()}})


def check_fact_dates(*, today: dt.date | None = None, **dates) -> None:
    """The stage dates of one project, given as lead_on, negotiating_on, signed_on,
    started_on, producing_on and dropped_on (any may be None or left out): none in the
    future, all in order. The ledger import calls this for every row it creates."""
    unknown = set(dates) - set(FIELD_OF_STAGE.values())
    if unknown:
        raise TypeError(f"unknown date fields: {sorted(unknown)}")
    today = _today(today)
    previous = None
    for _stage, field in STAGE_DATE_FIELDS:
        value = dates.get(field)
        if value is None:
            continue
        check_not_future(value, field, today=today)
        if previous and value < previous[1]:
            raise ValidationError({field: _("%(later)s（%(date)s）不能早于%(earlier)s（%(earlier_date)s）") % {
                "later": _label(field), "date": value.isoformat(),
                "earlier": _label(previous[0]), "earlier_date": previous[1].isoformat()}})
        previous = (field, value)


def check_follow_up_date(date: dt.date | None, first_date: dt.date | None, *, field: str = "date",
                         today: dt.date | None = None) -> None:
    """A follow-up happened by today and not before the project's first fact."""
    if date is None:
        raise ValidationError({field: _("请填写跟进日期")})
    check_not_future(date, field, _("跟进日期"), today)
    if first_date is not None and date < first_date:
        raise ValidationError({field: _("跟进日期（%(date)s）不能早于项目的第一个日期（%(first)s）；如项目实际更早开始，请先更正其线索日期") % {
            "date": date.isoformat(), "first": first_date.isoformat()}})


def check_fund_arrival_date(date: dt.date | None, signed_on: dt.date | None, *, field: str = "date",
                            today: dt.date | None = None) -> None:
    """Money arrives by today and, for a signed project, not before its signing. (Money
    for a project not yet signed — a deposit, a land payment — is left to the user.)"""
    if date is None:
        raise ValidationError({field: _("请填写到位日期")})
    check_not_future(date, field, _("到位日期"), today)
    if signed_on is not None and date < signed_on:
        raise ValidationError({field: _("到位日期（%(date)s）不能早于签约日期（%(signed)s）") % {
            "date": date.isoformat(), "signed": signed_on.isoformat()}})


def first_fact_date(project) -> dt.date | None:
    """The date of a project's first stage-change row (its first fact)."""
    return project.stage_changes.order_by("date", "id").values_list("date", flat=True).first()
