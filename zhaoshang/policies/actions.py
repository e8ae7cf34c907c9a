"""Every write of the policy area."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from zhaoshang.core import validators
from zhaoshang.core.changelog import record_bulk
from zhaoshang.projects.kpi import format_amount

from zhaoshang.policies import rules
from zhaoshang.policies.models import Claim, Condition, Payment, Policy

def _wan(value) -> str:
    """1234.5 → '1,234.50万元'."""
    return format_amount(Decimal(value), "万元")


POLICY_FIELDS = {"title", "level", "document_number", "valid_from", "valid_to", "summary", "benefit_kind", "benefit", "max_amount", "is_active"}


def _amount(value, field: str, label: str, positive: bool = False) -> Decimal:
    return validators.amount(value, field, label, positive=positive)


def _check_policy(zone, fields: dict, exclude_pk=None) -> None:
    title = (fields.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("政策名称不能为空")})
    fields["title"] = title
    if Policy.objects.filter(zone=zone, title=title).exclude(pk=exclude_pk).exists():
        raise ValidationError({"title": _("政策“%(title)s”已存在") % {"title": title}})
    start, end = fields.get("valid_from"), fields.get("valid_to")
    if start and end and end < start:
        raise ValidationError({"valid_to": _("有效期止（%(end)s）不能早于有效期起（%(start)s）") % {"start": start, "end": end}})
    _check_max_amount(fields)


def _check_max_amount(fields: dict) -> None:
    if "max_amount" in fields:
        fields["max_amount"] = validators.amount(fields["max_amount"], "max_amount", _("最高金额"), optional=True)


def _clean_conditions(zone, conditions) -> list[tuple[str, str, str]]:
    cleaned = []
    errors = []
    for index, (field, operator, value) in enumerate(conditions, start=1):
        try:
            cleaned.append((field, operator, rules.clean(field, operator, value, zone=zone, where=_("第%(n)s个条件") % {"n": index})))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"conditions": errors})
    return cleaned


def _set_conditions(policy: Policy, conditions) -> None:
    policy.conditions.all().delete()
    record_bulk(Condition, Condition.objects.bulk_create(
        Condition(policy=policy, field=field, operator=operator, value=value, sort_order=order)
        for order, (field, operator, value) in enumerate(conditions)
    ), "create", zone=policy.zone_id)


@transaction.atomic
def create_policy(*, zone, title: str, conditions=(), actor=None, **fields) -> Policy:
    """A policy and its conditions, given as (field, operator, value) triples."""
    unknown = set(fields) - POLICY_FIELDS
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    fields["title"] = title
    _check_policy(zone, fields)
    cleaned = _clean_conditions(zone, conditions)
    policy = Policy.objects.create(zone=zone, **fields)
    _set_conditions(policy, cleaned)
    return policy


@transaction.atomic
def update_policy(policy: Policy, *, conditions=None, actor=None, **changes) -> Policy:
    """Change a policy; `conditions`, when given, replace its conditions."""
    unknown = set(changes) - POLICY_FIELDS
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(policy, field)) for field in ("title", "valid_from", "valid_to")}
    _check_policy(policy.zone, merged, exclude_pk=policy.pk)
    _check_max_amount(changes)
    changes["title"] = merged["title"]
    cleaned = _clean_conditions(policy.zone, conditions) if conditions is not None else None
    for field, value in changes.items():
        setattr(policy, field, value)
    policy.save()
    if cleaned is not None:
        _set_conditions(policy, cleaned)
    return policy


@transaction.atomic
def delete_policy(policy: Policy, *, actor=None) -> None:
    if policy.claims.exists():
        raise ValidationError(_("政策“%(title)s”已有申报记录，不能删除；可改为停用") % {"title": policy.title})
    policy.delete()


@transaction.atomic
def record_claim(*, policy: Policy, enterprise, applied_on: dt.date, amount_claimed=Decimal("0"),
                 project=None, notes: str = "", actor=None) -> Claim:
    """申报: an enterprise applies for a policy (optionally for one of its projects)."""
    if enterprise.zone_id != policy.zone_id:
        raise ValidationError({"enterprise": _("企业“%(name)s”不属于本政策所在园区") % {"name": enterprise}})
    if project is not None and project.investor_id != enterprise.pk:
        raise ValidationError({"project": _("项目“%(project)s”的投资主体不是“%(name)s”") % {"project": project, "name": enterprise}})
    if applied_on is None:
        raise ValidationError({"applied_on": _("请填写申报日期")})
    amount = _amount(amount_claimed or 0, "amount_claimed", _("申报金额"))
    if policy.max_amount is not None and amount > policy.max_amount:
        raise ValidationError({"amount_claimed": _("申报金额 %(amount)s 超过政策最高金额 %(max)s") % {
            "amount": _wan(amount), "max": _wan(policy.max_amount)}})
    return Claim.objects.create(
        policy=policy, enterprise=enterprise, project=project, applied_on=applied_on,
        amount_claimed=amount, notes=notes, recorded_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def decide_claim(claim: Claim, *, status: str, decided_on: dt.date, amount_approved=None, notes=None, actor=None) -> Claim:
    """审核: approve (with the approved amount) or turn down a claim."""
    if status not in (Claim.Status.APPROVED, Claim.Status.REJECTED, Claim.Status.APPLIED):
        raise ValidationError({"status": _("审核结果只能是已批准或未通过")})
    if decided_on is None:
        raise ValidationError({"decided_on": _("请填写审核日期")})
    if decided_on < claim.applied_on:
        raise ValidationError({"decided_on": _("审核日期（%(day)s）不能早于申报日期（%(applied)s）") % {
            "day": decided_on, "applied": claim.applied_on}})
    paid = claim.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if status == Claim.Status.REJECTED and paid:
        raise ValidationError({"status": _("该申报已有兑现记录，不能改为未通过")})
    if status == Claim.Status.APPROVED:
        approved = _amount(amount_approved if amount_approved not in (None, "") else claim.amount_claimed, "amount_approved", _("核定金额"))
        if approved < paid:
            raise ValidationError({"amount_approved": _("核定金额不能少于已兑现的 %(paid)s") % {"paid": _wan(paid)}})
        claim.amount_approved = approved
    elif status == Claim.Status.REJECTED:
        claim.amount_approved = None
    claim.status = status
    claim.decided_on = decided_on
    if notes is not None:
        claim.notes = notes
    claim.save()
    return claim


@transaction.atomic
def add_payment(claim: Claim, *, paid_on: dt.date, amount, note: str = "", actor=None) -> Payment:
    """兑现: money paid on an approved claim; the claim reads 已兑现 once paid in full."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status not in (Claim.Status.APPROVED, Claim.Status.PAID):
        raise ValidationError({"amount": _("申报尚未批准，不能兑现")})
    if paid_on is None:
        raise ValidationError({"paid_on": _("请填写兑现日期")})
    if claim.decided_on and paid_on < claim.decided_on:
        raise ValidationError({"paid_on": _("兑现日期（%(day)s）不能早于审核日期（%(decided)s）") % {"day": paid_on, "decided": claim.decided_on}})
    amount = _amount(amount, "amount", _("兑现金额"), positive=True)
    paid = claim.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if paid + amount > claim.amount_approved:
        raise ValidationError({"amount": _("兑现合计 %(total)s 将超过核定金额 %(approved)s") % {
            "total": _wan(paid + amount), "approved": _wan(claim.amount_approved)}})
    payment = Payment.objects.create(
        claim=claim, paid_on=paid_on, amount=amount, note=note, recorded_by=actor if getattr(actor, "pk", None) else None
    )
    claim.status = Claim.Status.PAID if paid + amount == claim.amount_approved else Claim.Status.APPROVED
    claim.save(update_fields=["status", "updated_at"])
    return payment


@transaction.atomic
def delete_claim(claim: Claim, *, actor=None) -> None:
    claim.delete()
