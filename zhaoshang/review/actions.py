"""Every write of 认定 (certification) goes through here.

- A 签约, 开工 or 投产 (a StageChange to that stage) and a 增资 (CapitalIncrease) are
  claims. Where the zone's `certification_required` is off a claim is certified at once,
  on the fact's own date; where it is on it waits as 待认定 until the bureau certifies it
  (on a day: the fact counts as of that day) or returns it with a reason.
- A project counts once, at its first signing: a later 签约 (after a move back or a revival)
  makes no claim and puts the first signing date back, so it adds no count and no amount.
- The projects' *_certified_on columns and increase_total follow every certification, so
  the figures in zhaoshang.projects.kpi stay single aggregate queries.
"""

import datetime as dt
import os
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.core.models import Role
from zhaoshang.projects.models import CapitalIncrease, Project, StageChange
from zhaoshang.projects.stages import DATE_FIELD, Stage
from zhaoshang.review.models import Claim, Evidence

CERTIFIERS = {Role.ADMIN, Role.BUREAU}
STAGE_KINDS = {Stage.SIGNED: Claim.Kind.SIGNED, Stage.STARTED: Claim.Kind.STARTED, Stage.PRODUCING: Claim.Kind.PRODUCING}
CERTIFIED_FIELD = {
    Claim.Kind.SIGNED: "signed_certified_on",
    Claim.Kind.STARTED: "started_certified_on",
    Claim.Kind.PRODUCING: "producing_certified_on",
}
FACT_FIELD = {kind: DATE_FIELD[stage] for stage, kind in STAGE_KINDS.items()}

# Allowed evidence: extension → the bytes such a file starts with (docx and xlsx are zips).
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


def can_certify(user, zone) -> bool:
    """The bureau and the zone's administrators certify; nobody certifies elsewhere."""
    return access.is_superuser(user) or getattr(zone, "pk", zone) in access.zone_ids(user, CERTIFIERS)


def _today(today=None) -> dt.date:
    return today or timezone.localdate()


def _apply(claim: Claim) -> None:
    """Carry a certification over to the columns the figures read."""
    if claim.kind == Claim.Kind.INCREASE:
        increase = CapitalIncrease.objects.select_for_update().get(pk=claim.capital_increase_id)
        increase.certified_on = claim.certified_on
        increase.save(update_fields=["certified_on", "updated_at"])
        project = Project.objects.select_for_update().get(pk=claim.project_id)
        project.total_investment += increase.amount
        project.increase_total += increase.amount
        project.version += 1
        project.save(update_fields=["total_investment", "increase_total", "version", "updated_at"])
        return
    project = Project.objects.select_for_update().get(pk=claim.project_id)
    # A fact undone since (the project moved back, or merged away) has nothing left to
    # certify; a fact whose date was corrected since is still the same fact.
    if getattr(project, FACT_FIELD[claim.kind]) is not None:
        setattr(project, CERTIFIED_FIELD[claim.kind], claim.certified_on)
        project.save(update_fields=[CERTIFIED_FIELD[claim.kind], "updated_at"])


def _open_claim(project: Project, *, kind: str, date: dt.date, actor=None, **link) -> Claim:
    claim = Claim(project=project, kind=kind, date=date, claimed_by=actor, **link)
    if not project.zone.certification_required:
        claim.status, claim.certified_on, claim.certified_date = Claim.Status.CERTIFIED, date, date
    claim.save()
    if claim.status == Claim.Status.CERTIFIED:
        _apply(claim)
    return claim


@transaction.atomic
def record_stage_claim(change: StageChange, *, actor=None) -> Claim | None:
    """The hook projects.actions calls after recording a stage change. A 签约, 开工 or
    投产 becomes a claim; a re-signing keeps the first signing (and its certification)."""
    project = change.project
    stage = Stage(change.to_stage)
    if stage not in STAGE_KINDS:
        # A move back (or a drop) undoes later facts: their certification goes with them.
        cleared = [CERTIFIED_FIELD[kind] for kind, field in FACT_FIELD.items()
                   if getattr(project, field) is None and getattr(project, CERTIFIED_FIELD[kind]) is not None]
        if cleared:
            for field in cleared:
                setattr(project, field, None)
            project.save(update_fields=[*cleared, "updated_at"])
        return None
    if stage == Stage.SIGNED:
        first = (StageChange.objects.filter(project=project, to_stage=Stage.SIGNED, date__lte=change.date)
                 .exclude(pk=change.pk).order_by("date", "id").select_related("claim").first())
        if first is not None:
            return _keep_first_signing(project, first)
    kind = STAGE_KINDS[stage]
    if getattr(project, FACT_FIELD[kind]) != change.date:
        return None  # the stage's date is an earlier one kept by the project (not this move's)
    return _open_claim(project, kind=kind, date=change.date, actor=actor, stage_change=change)


@transaction.atomic
def follow_date_correction(change: StageChange, *, old_date: dt.date) -> Claim | None:
    """The hook projects.actions.correct_stage_date calls once a stage fact's date moved
    from old_date to change.date. The claim is about the fact, so its date (and the month
    it is reviewed in) follows. A certification keeps its day and its record of the date
    certified (certified_date), except an automatic one — made on the fact's own date by
    nobody, where the zone does not certify — which moves with the fact, so the figures
    still behave as if there were no certification."""
    kind = STAGE_KINDS.get(Stage(change.to_stage))
    claim = Claim.objects.select_for_update().filter(stage_change=change).first()
    if claim is None and kind is not None:
        # Claims taken up in bulk (the ledger import, facts from before 认定) are not
        # linked to their stage change: the project's claim of that kind on that day.
        claim = (Claim.objects.select_for_update()
                 .filter(project_id=change.project_id, kind=kind, date=old_date, stage_change__isnull=True).first())
    project = Project.objects.select_for_update().get(pk=change.project_id)
    automatic = claim is None or (claim.status == Claim.Status.CERTIFIED and claim.certified_by_id is None
                                  and claim.certified_on == old_date)
    if claim is not None:
        claim.date = change.date
        if automatic:
            claim.certified_on = change.date
        claim.save(update_fields=["date", "certified_on", "updated_at"])
    if kind is not None and automatic and getattr(project, FACT_FIELD[kind]) == change.date \
            and getattr(project, CERTIFIED_FIELD[kind]) == old_date:
        setattr(project, CERTIFIED_FIELD[kind], change.date)
        project.save(update_fields=[CERTIFIED_FIELD[kind], "updated_at"])
    return claim


def _keep_first_signing(project: Project, first: StageChange) -> None:
    claim = getattr(first, "claim", None)
    if claim is None:
        certified_on = first.date  # a signing from before certification existed
    else:
        certified_on = claim.certified_on if claim.status == Claim.Status.CERTIFIED else None
    project.signed_on, project.signed_certified_on = first.date, certified_on
    project.save(update_fields=["signed_on", "signed_certified_on", "updated_at"])
    return None


@transaction.atomic
def record_created_claims(project: Project, *, actor=None) -> list[Claim]:
    """The hook projects.actions.create_project calls: one claim per dated stage the new
    project arrives with (entered after the fact)."""
    claims = []
    for change in project.stage_changes.filter(to_stage__in=list(STAGE_KINDS)).order_by("date", "id"):
        claim = record_stage_claim(change, actor=actor)
        if claim is not None:
            claims.append(claim)
    project.refresh_from_db(fields=[*CERTIFIED_FIELD.values(), "signed_on"])
    return claims


@transaction.atomic
def certify(claims, *, actor, on: dt.date | None = None) -> int:
    """Certify pending claims (one or many: the monthly review certifies in one pass) as of
    `on` (today by default). Returns how many were certified."""
    on = _today(on)
    if on > timezone.localdate():
        raise ValidationError({"on": _("认定日期不能晚于今天")})
    ids = [getattr(claim, "pk", claim) for claim in claims]
    rows = list(Claim.objects.select_for_update().filter(pk__in=ids).select_related("project__zone"))
    if not rows:
        raise ValidationError({"claims": _("请选择要认定的申报")})
    for claim in rows:
        if not can_certify(actor, claim.project.zone):
            raise PermissionDenied(_("只有投资促进局可以认定"))
        if claim.status != Claim.Status.PENDING:
            raise ValidationError({"claims": _("“%(claim)s”不是待认定状态") % {"claim": claim}})
        if on < claim.date:
            raise ValidationError({"on": _("认定日期（%(on)s）不能早于事项发生日期（%(date)s）") % {"on": on, "date": claim.date}})
    for claim in rows:
        claim.status, claim.certified_on, claim.certified_by, claim.return_reason = Claim.Status.CERTIFIED, on, actor, ""
        claim.certified_date = claim.date
        claim.save()
        _apply(claim)
    return len(rows)


@transaction.atomic
def return_claim(claim: Claim, *, actor, reason: str) -> Claim:
    """Send a pending claim back to its unit with a reason; it does not count."""
    claim = Claim.objects.select_for_update().select_related("project__zone").get(pk=claim.pk)
    if not can_certify(actor, claim.project.zone):
        raise PermissionDenied(_("只有投资促进局可以退回"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回需填写原因")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("退回原因不能超过300个字")})
    if claim.status != Claim.Status.PENDING:
        raise ValidationError({"reason": _("只有待认定的申报可以退回")})
    claim.status, claim.return_reason = Claim.Status.RETURNED, reason
    claim.save()
    return claim


@transaction.atomic
def resubmit(claim: Claim, *, actor) -> Claim:
    """A returned claim, its evidence completed, goes back to 待认定."""
    from zhaoshang.projects.permissions import can_write_project

    claim = Claim.objects.select_for_update().select_related("project").get(pk=claim.pk)
    if not can_write_project(actor, claim.project):
        raise PermissionDenied(_("无权修改该项目"))
    if claim.status != Claim.Status.RETURNED:
        raise ValidationError({"claim": _("只有已退回的申报可以重新提交")})
    claim.status = Claim.Status.PENDING
    claim.save()
    return claim


# --- evidence ------------------------------------------------------------------------


def max_evidence_bytes() -> int:
    return getattr(settings, "ZHAOSHANG_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)


def check_upload(upload) -> None:
    """Type and size limits, checked before anything is written: the extension must be one
    of pdf, jpg, png, docx, xlsx and the file must really start like one."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": _("“%(name)s”的文件类型不支持，请上传 PDF、JPG、PNG、DOCX 或 XLSX 文件") % {"name": name}})
    limit = max_evidence_bytes()
    if upload.size > limit:
        raise ValidationError({"evidence": _("“%(name)s”超过%(limit)sMB的大小限制") % {"name": name, "limit": round(limit / 1024 / 1024, 1)}})
    if upload.size == 0:
        raise ValidationError({"evidence": _("“%(name)s”是空文件") % {"name": name}})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[extension]):
        raise ValidationError({"evidence": _("“%(name)s”的内容与扩展名不符") % {"name": name}})


def _may_add_evidence(user, claim: Claim) -> bool:
    from zhaoshang.projects.permissions import can_write_project

    return can_write_project(user, claim.project) or can_certify(user, claim.project.zone)


@transaction.atomic
def add_evidence(claim: Claim, *, upload, actor, kind: str = Evidence.Kind.OTHER) -> Evidence:
    if actor is not None and not _may_add_evidence(actor, claim):
        raise PermissionDenied(_("无权为该项目上传材料"))
    if claim.status == Claim.Status.CERTIFIED and claim.project.zone.certification_required and claim.certified_by_id:
        raise ValidationError({"evidence": _("已认定的申报不能再更改材料")})
    if kind not in Evidence.Kind.values:
        raise ValidationError({"kind": _("材料类型无效")})
    check_upload(upload)
    name = os.path.basename(upload.name)[:200]
    evidence = Evidence(claim=claim, project_id=claim.project_id, kind=kind, name=name, size=upload.size, uploaded_by=actor)
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence


def default_evidence_kind(claim: Claim) -> str:
    return {
        Claim.Kind.SIGNED: Evidence.Kind.CONTRACT,
        Claim.Kind.STARTED: Evidence.Kind.PERMIT,
        Claim.Kind.PRODUCING: Evidence.Kind.PRODUCTION,
        Claim.Kind.INCREASE: Evidence.Kind.CONTRACT,
    }[claim.kind]


def attach_uploads(change: StageChange, uploads, *, actor) -> list[Evidence]:
    """Evidence sent with a stage-change form: attached to the claim the change made."""
    uploads = [upload for upload in uploads if upload]
    for upload in uploads:
        check_upload(upload)
    claim = Claim.objects.filter(stage_change=change).first()
    if claim is None:
        if uploads:
            raise ValidationError({"evidence": _("只有签约、开工、投产可以附证明材料")})
        return []
    return [add_evidence(claim, upload=upload, actor=actor, kind=default_evidence_kind(claim)) for upload in uploads]


@transaction.atomic
def delete_evidence(evidence: Evidence, *, actor) -> None:
    claim = evidence.claim
    if actor is not None and not _may_add_evidence(actor, claim):
        raise PermissionDenied(_("无权删除该材料"))
    if claim.status == Claim.Status.CERTIFIED and claim.certified_by_id:
        raise ValidationError({"evidence": _("已认定的申报不能再更改材料")})
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    # The file goes once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(stored))


# --- 增资 ----------------------------------------------------------------------------


@transaction.atomic
def add_capital_increase(project: Project, *, date: dt.date, amount, actor=None, note: str = "",
                         uploads=(), today: dt.date | None = None) -> CapitalIncrease:
    """A capital increase of a signed project: a fact of its own that adds only its amount
    (in its own period, once certified)."""
    project = Project.objects.select_for_update().select_related("zone").get(pk=project.pk)
    if date is None:
        raise ValidationError({"date": _("请填写增资日期")})
    if date > _today(today):
        raise ValidationError({"date": _("增资日期（%(date)s）不能晚于今天") % {"date": date}})
    if project.signed_on is None:
        raise ValidationError({"date": _("项目尚未签约，不能登记增资；请先办理签约")})
    if date < project.signed_on:
        raise ValidationError({"date": _("增资日期（%(date)s）不能早于签约日期（%(signed)s）") % {"date": date, "signed": project.signed_on}})
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"amount": _("金额“%(value)s”无法识别") % {"value": amount}}) from None
    if amount <= 0:
        raise ValidationError({"amount": _("增资金额应大于零")})
    note = (note or "").strip()[:200]
    uploads = [upload for upload in uploads if upload]
    for upload in uploads:
        check_upload(upload)
    increase = CapitalIncrease.objects.create(project=project, date=date, amount=amount, note=note, recorded_by=actor)
    claim = _open_claim(project, kind=Claim.Kind.INCREASE, date=date, actor=actor, capital_increase=increase)
    for upload in uploads:
        add_evidence(claim, upload=upload, actor=actor, kind=Evidence.Kind.CONTRACT)
    increase.refresh_from_db()
    return increase


# --- facts written in bulk ------------------------------------------------------------


@transaction.atomic
def claim_unclaimed_facts(zone, *, actor=None) -> int:
    """Dated facts written in bulk (the ledger import's new projects) without a claim get
    one under the zone's rule, in a few set-based statements: certified on their own dates
    where the zone does not certify (no claim rows then, only the columns the figures
    read), 待认定 claims where it does. Returns how many facts were taken up."""
    from django.db.models import Exists, F, OuterRef

    taken = 0
    for kind, field in FACT_FIELD.items():
        certified_field = CERTIFIED_FIELD[kind]
        claimed = Claim.objects.filter(project=OuterRef("pk"), kind=kind, date=OuterRef(field))
        unclaimed = Project.objects.filter(zone=zone, **{f"{field}__isnull": False, f"{certified_field}__isnull": True}).exclude(Exists(claimed))
        if not zone.certification_required:
            taken += unclaimed.update(**{certified_field: F(field)})
            continue
        rows = list(unclaimed.values_list("pk", field))
        Claim.objects.bulk_create(
            [Claim(project_id=pk, kind=kind, date=date, claimed_by=actor) for pk, date in rows], batch_size=2000
        )
        taken += len(rows)
    return taken
